import { convertActivation } from './activation-layer.js';
import { convertConv2d } from './conv2d-layer.js';
import { convertDense } from './dense-layer.js';
import type { Flow } from './flow.js';
import type { LayerContext } from './layer-context.js';
import { convertAveragePooling2d, convertMaxPooling2d, globalPooling } from './pooling-layers.js';
import { convertFlatten, passThrough } from './shape-layers.js';

type Converter = (ctx: LayerContext, flow: Flow) => Flow;

/** tfjs layer class → its ONNX form. */
const CONVERTERS: Readonly<Record<string, Converter>> = {
  InputLayer: passThrough,
  Dense: convertDense,
  Dropout: passThrough,
  Activation: convertActivation,
  Conv2D: convertConv2d,
  MaxPooling2D: convertMaxPooling2d,
  AveragePooling2D: convertAveragePooling2d,
  GlobalAveragePooling2D: globalPooling('GlobalAveragePool'),
  GlobalMaxPooling2D: globalPooling('GlobalMaxPool'),
  Flatten: convertFlatten,
};

/** The tfjs layer classes `exportToOnnx` accepts, so a trainer can refuse others before training. */
export const EXPORTABLE_LAYERS: readonly string[] = Object.keys(CONVERTERS);

export function convertLayer(ctx: LayerContext, flow: Flow): Flow {
  const convert = CONVERTERS[ctx.layer.className];
  if (!convert) throw ctx.refuse(`the exporter supports only ${EXPORTABLE_LAYERS.join(', ')}`);
  return convert(ctx, flow);
}
