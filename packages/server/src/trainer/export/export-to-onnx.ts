import type { LayersModel } from '@tensorflow/tfjs-layers';
import { buildOnnxModel } from '../../formats/index.js';
import type { OnnxExportOptions } from './export-options.js';
import { planExport } from './export-plan.js';
import { viewSequential } from './model-view.js';

/**
 * Writes a trained tfjs Sequential model as ONNX (opset 17, IR 8) computing what `model.predict`
 * computes, with the options' preprocessing in front so it takes raw rows (float32 [batch,
 * features]) or raw images (float32 [batch, C, H, W], or [batch, H, W, C] with `imageLayout`).
 * Refuses layers and activations it cannot reproduce with an error naming them. The model is only
 * read. Equal models and options give byte-identical files.
 */
export function exportToOnnx(model: LayersModel, options: OnnxExportOptions = {}): Uint8Array {
  return buildOnnxModel(planExport(viewSequential(model), options).spec);
}
