import { EXPORTABLE_ACTIVATIONS, isExportableActivation, writeActivation } from './activation-nodes.js';
import { channelAxis, type Flow } from './flow.js';
import type { LayerContext } from './layer-context.js';

/** Applies the layer's `activation` config entry (Dense, Conv2D and Activation layers all have one). */
export function applyActivation(ctx: LayerContext, flow: Flow): Flow {
  const activation = ctx.text('activation', 'linear');
  if (!isExportableActivation(activation))
    throw ctx.refuse(`activation '${activation}' is not one of ${EXPORTABLE_ACTIVATIONS.join(', ')}`);
  const value = writeActivation(ctx.draft, flow.value, activation, channelAxis(flow), ctx.stem(activation));
  return { ...flow, value, activation };
}

/** Activation layer: the function alone. */
export function convertActivation(ctx: LayerContext, flow: Flow): Flow {
  return applyActivation(ctx, ctx.next(flow, flow.value));
}
