import type { InferredImageSchema } from '@modelport/contracts';
import type { ImageFrame, ImageSizes } from '../formats/index.js';

/** Classes with their image counts, and the sizes seen: what the API shows of an image dataset. */
export function inferImageSchema(frame: ImageFrame, sizes: ImageSizes): InferredImageSchema {
  const counts = new Map<string, number>(frame.classes.map((name) => [name, 0]));
  for (const item of frame.items) counts.set(item.className, (counts.get(item.className) ?? 0) + 1);
  return {
    kind: 'images',
    images: frame.items.length,
    classes: [...counts].map(([name, count]) => ({ name, count })),
    width: sizes.width,
    height: sizes.height,
    channels: sizes.channels,
    encodings: sizes.encodings,
  };
}
