import { convertActivation } from './activation-layer.js';
import { convertConv2d } from './conv2d-layer.js';
import { convertDense } from './dense-layer.js';
import { unsupportedLayer } from './export-errors.js';
import type { Flow } from './flow.js';
import type { LayerContext } from './layer-context.js';
import type { LayerView } from './model-view.js';
import { convertAveragePooling2d, convertMaxPooling2d, globalPooling } from './pooling-layers.js';
import { convertFlatten, passThrough } from './shape-layers.js';

type Converter = (ctx: LayerContext, flow: Flow) => Flow;

/** tfjs layer class → its ONNX form. */
const CONVERTERS: Readonly<Record<string, Converter>> = {
  Dense: convertDense,
  Dropout: passThrough,
  Activation: convertActivation,
  Conv2D: convertConv2d,
  MaxPooling2D: convertMaxPooling2d,
  AveragePooling2D: convertAveragePooling2d,
  GlobalAveragePooling2D: globalPooling('GlobalAveragePool'),
  GlobalMaxPooling2D: globalPooling('GlobalMaxPool'),
  Flatten: convertFlatten,
  InputLayer: passThrough,
};

/** The tfjs layer classes `exportToOnnx` accepts, so a trainer can refuse others before training. */
export const EXPORTABLE_LAYERS: readonly string[] = Object.keys(CONVERTERS);

/** Names the first layer the exporter cannot write, before anything else about the model is judged. */
export function refuseUnknownLayers(layers: readonly LayerView[]): void {
  layers.forEach((layer, index) => {
    if (!Object.hasOwn(CONVERTERS, layer.className))
      throw unsupportedLayer(layer, index, `the exporter supports only ${EXPORTABLE_LAYERS.join(', ')}`);
  });
}

export function convertLayer(ctx: LayerContext, flow: Flow): Flow {
  const convert = CONVERTERS[ctx.layer.className];
  if (!convert) throw ctx.refuse(`the exporter supports only ${EXPORTABLE_LAYERS.join(', ')}`);
  return convert(ctx, flow);
}
