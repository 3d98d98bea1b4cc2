import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { TrainedModelArtifacts } from '../../wire/training/index.js';
import { outputUnits } from './predict-rows.js';

/** The model's topology and weights as plain data (what `model.save` writes), without the optimizer. */
export async function modelArtifacts(
  model: tfl.Sequential,
  inputShape: readonly number[],
): Promise<TrainedModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved?.modelTopology || !saved.weightSpecs || !saved.weightData)
    throw new Error('the model saved no topology or weights');
  const weightData = Array.isArray(saved.weightData)
    ? tf.io.concatenateArrayBuffers(saved.weightData)
    : saved.weightData;
  return {
    format: 'layers-model',
    modelTopology: saved.modelTopology as Record<string, unknown>,
    weightSpecs: saved.weightSpecs.map((w) => {
      if (w.dtype !== 'float32') throw new Error(`weight ${w.name} is ${w.dtype}, not float32`);
      return { name: w.name, shape: [...w.shape], dtype: 'float32' as const };
    }),
    weightData,
    inputShape: [...inputShape],
    outputUnits: outputUnits(model),
  };
}

/** Rebuilds a trained model from its artifacts (on the current backend). */
export async function loadTrainedModel(artifacts: TrainedModelArtifacts): Promise<tfl.LayersModel> {
  return tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: artifacts.modelTopology,
      weightSpecs: artifacts.weightSpecs.map((w) => ({ ...w, shape: [...w.shape] })),
      weightData: artifacts.weightData,
    }),
  );
}
