import { type Flow, inLayout } from './flow.js';
import type { LayerContext } from './layer-context.js';

/**
 * Flatten: tfjs flattens channels-last, so an image held as NCHW goes back to NHWC first; the
 * weights of the Dense after it then line up with no reordering.
 */
export function convertFlatten(ctx: LayerContext, flow: Flow): Flow {
  if (flow.layout === 'flat' && flow.shape.length === 1) return ctx.next(flow, flow.value);
  const x = inLayout(ctx.draft, flow, 'NHWC');
  const value = ctx.draft.node('Flatten', [x.value], ctx.stem(), { axis: 1 });
  return ctx.next(x, value, { layout: 'flat' });
}

/** Layers that do nothing at inference: Dropout, and an explicit InputLayer. */
export function passThrough(ctx: LayerContext, flow: Flow): Flow {
  return ctx.next(flow, flow.value);
}
