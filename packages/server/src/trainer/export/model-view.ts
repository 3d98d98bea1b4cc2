import type { LayersModel } from '@tensorflow/tfjs-layers';
import { unsupportedModel } from './export-errors.js';

/** A dimension as tfjs states it: null where the size is free (the batch, mostly). */
export type TfDim = number | null;

export interface WeightView {
  name: string;
  shape: readonly number[];
  values: Float32Array;
}

/** What the exporter reads of one tfjs layer: plain data, so converters need no tfjs at run time. */
export interface LayerView {
  className: string;
  name: string;
  config: Readonly<Record<string, unknown>>;
  /** In the order tfjs keeps them (kernel, then bias). */
  weights: readonly WeightView[];
  /** The layer's output shape without the batch dimension, channels last as in tfjs. */
  outputShape: readonly TfDim[];
}

export interface ModelView {
  /** The model input's shape without the batch dimension. */
  inputShape: readonly TfDim[];
  layers: readonly LayerView[];
}

/** Reads a Sequential model's input and layers; the model is only read, never changed. */
export function viewSequential(model: LayersModel): ModelView {
  const className = model.getClassName();
  if (className !== 'Sequential') throw unsupportedModel(`a ${className}; only Sequential models export`);
  const [input, ...moreInputs] = model.inputs;
  if (!input || moreInputs.length > 0 || model.outputs.length !== 1)
    throw unsupportedModel('a model with several inputs or outputs');
  if (input.dtype !== 'float32') throw unsupportedModel(`a model whose input is ${input.dtype}, not float32`);
  return { inputShape: input.shape.slice(1), layers: model.layers.map(viewLayer) };
}

function viewLayer(layer: LayersModel['layers'][number]): LayerView {
  const shape = layer.outputShape;
  if (Array.isArray(shape[0])) throw unsupportedModel(`layer '${layer.name}' with several outputs`);
  return {
    className: layer.getClassName(),
    name: layer.name,
    config: layer.getConfig(),
    weights: layer.weights.map((w) => {
      const tensor = w.read();
      return { name: w.name, shape: [...tensor.shape], values: Float32Array.from(tensor.dataSync()) };
    }),
    outputShape: (shape as readonly TfDim[]).slice(1),
  };
}
