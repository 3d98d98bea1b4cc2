import { applyActivation } from './activation-layer.js';
import type { Flow } from './flow.js';
import type { LayerContext } from './layer-context.js';

/**
 * Dense: y = x·W + b as one Gemm (tfjs keeps W as [in, out], Gemm's B without transB), then its
 * activation. Only on [batch, features]: a Dense applied to an image needs a Flatten before it.
 */
export function convertDense(ctx: LayerContext, flow: Flow): Flow {
  const [inputs] = flow.shape;
  if (flow.layout !== 'flat' || flow.shape.length !== 1 || !inputs)
    throw ctx.refuse(`it reads a [${flow.shape}] input; add a Flatten before it`);
  const units = ctx.layer.outputShape[0];
  if (!units) throw ctx.refuse('its output has no fixed size');
  const kernel = ctx.weight(0, [inputs, units]);
  const operands = [flow.value, ctx.draft.floats(ctx.stem('kernel'), kernel.shape, kernel.values)];
  if (ctx.flag('useBias')) {
    const bias = ctx.weight(1, [units]);
    operands.push(ctx.draft.floats(ctx.stem('bias'), bias.shape, bias.values));
  }
  const value = ctx.draft.node('Gemm', operands, ctx.stem());
  return applyActivation(ctx, ctx.next(flow, value, { activation: 'linear' }));
}
