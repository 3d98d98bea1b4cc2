import { applyActivation } from './activation-layer.js';
import { type Flow, imageDims, inLayout } from './flow.js';
import type { LayerContext } from './layer-context.js';
import { axisPadding, onnxPads } from './same-padding.js';

/** Conv2D: an ONNX Conv in NCHW with TensorFlow's padding written out, its bias, then its activation. */
export function convertConv2d(ctx: LayerContext, flow: Flow): Flow {
  ctx.requireChannelsLast();
  const dims = imageDims(flow.shape);
  if (!dims) throw ctx.refuse(`it reads a [${flow.shape}] input; it needs a fixed [height, width, channels]`);
  const [kh, kw] = ctx.pair('kernelSize');
  const [sh, sw] = ctx.pair('strides');
  const [dh, dw] = ctx.pair('dilationRate');
  const filters = ctx.layer.outputShape[2];
  if (!filters) throw ctx.refuse('its output has no fixed channel count');
  const kernel = ctx.weight(0, [kh, kw, dims.channels, filters]);
  const padding = ctx.padding();
  const height = axisPadding({ size: dims.height, window: kh, stride: sh, dilation: dh }, padding);
  const width = axisPadding({ size: dims.width, window: kw, stride: sw, dilation: dw }, padding);
  ctx.expectOutput(height.out, width.out);
  const weights = hwioToOihw(kernel.values, kh, kw, dims.channels, filters);
  const x = inLayout(ctx.draft, flow, 'NCHW');
  const operands = [x.value, ctx.draft.floats(ctx.stem('kernel'), [filters, dims.channels, kh, kw], weights)];
  if (ctx.flag('useBias')) {
    const bias = ctx.weight(1, [filters]);
    operands.push(ctx.draft.floats(ctx.stem('bias'), bias.shape, bias.values));
  }
  const value = ctx.draft.node('Conv', operands, ctx.stem(), {
    kernel_shape: [kh, kw],
    strides: [sh, sw],
    dilations: [dh, dw],
    pads: onnxPads(height, width),
    group: 1,
  });
  return applyActivation(ctx, ctx.next(x, value, { layout: 'NCHW', activation: 'linear' }));
}

/** tfjs kernels are [kh, kw, in, out]; ONNX Conv wants [out, in, kh, kw]. */
function hwioToOihw(values: Float32Array, kh: number, kw: number, ci: number, co: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let h = 0; h < kh; h++)
    for (let w = 0; w < kw; w++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++)
          out[((o * ci + i) * kh + h) * kw + w] = values[((h * kw + w) * ci + i) * co + o] ?? 0;
  return out;
}
