import { z } from 'zod';
import { zodIssueError } from '../../../platform/errors/index.js';
import { MAX_TOP_K } from './image-limits.js';

const imageRequestSchema = z.object({
  task: z.literal('image-classification'),
  image: z.base64(),
  topK: z.number().int().min(1).max(MAX_TOP_K).optional(),
});

export type ImageRequest = z.infer<typeof imageRequestSchema>;

/** Requests reach the runner as JSON from another process, so they are checked again here. */
export function parseImageRequest(request: unknown): ImageRequest {
  const parsed = imageRequestSchema.safeParse(request);
  if (!parsed.success) throw zodIssueError(parsed.error, 'image-classification request');
  return parsed.data;
}
