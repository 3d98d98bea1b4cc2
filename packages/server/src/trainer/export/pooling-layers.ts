import { type Flow, imageDims, inLayout } from './flow.js';
import type { LayerContext } from './layer-context.js';
import { axisPadding, onnxPads } from './same-padding.js';

/** MaxPooling2D: MaxPool; padded cells never win, as in TensorFlow. */
export function convertMaxPooling2d(ctx: LayerContext, flow: Flow): Flow {
  return pool(ctx, flow, 'MaxPool', {});
}

/** AveragePooling2D: AveragePool dividing by the cells inside the image only, as TensorFlow's 'same'. */
export function convertAveragePooling2d(ctx: LayerContext, flow: Flow): Flow {
  return pool(ctx, flow, 'AveragePool', { count_include_pad: 0 });
}

function pool(ctx: LayerContext, flow: Flow, opType: string, extra: Record<string, number>): Flow {
  ctx.requireChannelsLast();
  const dims = imageDims(flow.shape);
  if (!dims) throw ctx.refuse(`it reads a [${flow.shape}] input; it needs a fixed [height, width, channels]`);
  const [ph, pw] = ctx.pair('poolSize');
  const [sh, sw] = ctx.pair('strides');
  const padding = ctx.padding();
  const height = axisPadding({ size: dims.height, window: ph, stride: sh, dilation: 1 }, padding);
  const width = axisPadding({ size: dims.width, window: pw, stride: sw, dilation: 1 }, padding);
  ctx.expectOutput(height.out, width.out);
  const x = inLayout(ctx.draft, flow, 'NCHW');
  const value = ctx.draft.node(opType, [x.value], ctx.stem(), {
    kernel_shape: [ph, pw],
    strides: [sh, sw],
    pads: onnxPads(height, width),
    ...extra,
  });
  return ctx.next(x, value, { layout: 'NCHW' });
}

/** GlobalAveragePooling2D / GlobalMaxPooling2D: [batch, h, w, c] → [batch, c]. */
export function globalPooling(opType: 'GlobalAveragePool' | 'GlobalMaxPool') {
  return (ctx: LayerContext, flow: Flow): Flow => {
    ctx.requireChannelsLast();
    if (flow.shape.length !== 3) throw ctx.refuse(`it reads a [${flow.shape}] input, not an image`);
    if (ctx.layer.outputShape.length !== 1) throw ctx.refuse('keepDims is not supported');
    const x = inLayout(ctx.draft, flow, 'NCHW');
    const pooled = ctx.draft.node(opType, [x.value], ctx.stem());
    const value = ctx.draft.node('Flatten', [pooled], ctx.stem(), { axis: 1 });
    return ctx.next(x, value, { layout: 'flat' });
  };
}
