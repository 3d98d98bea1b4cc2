import type { TrainingLayer } from '@modelport/contracts';
import * as tfl from '@tensorflow/tfjs-layers';
import { specError } from '../training-errors.js';

/**
 * A Sequential model from layer specs with an explicit input shape. Initializers are seeded per layer
 * from `seed`, so a seed always gives the same starting weights; layer names are fixed
 * (`dense_1`, `conv2d_2`, …: kind and position) so topology and weight names never depend on how
 * many models the process built before.
 */
export function buildModel(
  layers: readonly TrainingLayer[],
  inputShape: readonly number[],
  seed: number,
  param: string,
): tfl.Sequential {
  const model = tfl.sequential();
  let shape: (number | null)[] = [null, ...inputShape];
  for (const [i, layer] of layers.entries()) {
    const at = `${param}.${i}`;
    const first = i === 0 ? { inputShape: [...inputShape] } : {};
    const spatial = shape.length === 4;
    if ((layer.type === 'conv2d' || layer.type === 'maxPool2d' || layer.type === 'avgPool2d') && !spatial) {
      throw specError(`${layer.type} needs an image input (height × width × channels)`, at);
    }
    if (layer.type === 'dense' && shape.length !== 2)
      throw specError('dense needs a flat input: put a flatten layer before it', at);
    try {
      model.add(makeLayer(layer, `${layer.type.toLowerCase()}_${i + 1}`, layerSeed(seed, i), first));
    } catch (err) {
      throw specError(err instanceof Error ? err.message : String(err), at);
    }
    shape = model.outputs[0]?.shape ?? [];
    if (shape.slice(1).some((d) => d !== null && d < 1)) {
      throw specError(
        `leaves no pixels (output shape [${shape.slice(1).join(', ')}]): the input is too small for the layers before`,
        at,
      );
    }
  }
  return model;
}

function makeLayer(
  layer: TrainingLayer,
  name: string,
  seed: number,
  first: { inputShape?: number[] },
): tfl.layers.Layer {
  switch (layer.type) {
    case 'dense':
      return tfl.layers.dense({
        ...first,
        name,
        units: layer.units,
        activation: layer.activation,
        kernelInitializer: tfl.initializers.glorotUniform({ seed }),
        biasInitializer: 'zeros',
        ...penalties(layer.l1, layer.l2),
      });
    case 'conv2d':
      return tfl.layers.conv2d({
        ...first,
        name,
        filters: layer.filters,
        kernelSize: layer.kernelSize,
        strides: layer.strides,
        padding: layer.padding,
        activation: layer.activation,
        kernelInitializer: tfl.initializers.glorotUniform({ seed }),
        biasInitializer: 'zeros',
        ...penalties(layer.l1, layer.l2),
      });
    case 'maxPool2d':
      return tfl.layers.maxPooling2d({
        ...first,
        name,
        poolSize: layer.poolSize,
        strides: layer.strides ?? layer.poolSize,
      });
    case 'avgPool2d':
      return tfl.layers.averagePooling2d({
        ...first,
        name,
        poolSize: layer.poolSize,
        strides: layer.strides ?? layer.poolSize,
      });
    case 'dropout':
      // The seed is drawn anew before every batch (see dropout-seeds.ts): a fixed one repeats the mask.
      return tfl.layers.dropout({ ...first, name, rate: layer.rate, seed });
    case 'flatten':
      return tfl.layers.flatten({ ...first, name });
  }
}

function penalties(l1: number, l2: number): { kernelRegularizer?: ReturnType<typeof tfl.regularizers.l1l2> } {
  return l1 > 0 || l2 > 0 ? { kernelRegularizer: tfl.regularizers.l1l2({ l1, l2 }) } : {};
}

/** A distinct, reproducible seed per layer. */
function layerSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 31) + index * 7919 + 1) >>> 0;
}
