import type { PreprocessingState } from '../../wire/training/index.js';
import type { OnnxExportOptions } from '../export/index.js';

/**
 * How a trained model is exported: the arithmetic of its preprocessing folded into the graph
 * (log1p and standardisation of number features; scale, mean and std of pixels), so the ONNX
 * model takes rows whose missing values are filled and categories one-hot encoded (serving does
 * those from the stored pipeline config), or raw 0–255 pixels. A one-unit sigmoid over two
 * classes gets both class columns, which the classification pipelines read.
 */
export function exportOptionsOf(state: PreprocessingState, outputUnits: number): OnnxExportOptions {
  const classes = state.classes ?? undefined;
  const labels = classes ? { labels: [...classes] } : {};
  const binary = classes?.length === 2 && outputUnits === 1 ? { binaryOutput: 'both' as const } : {};
  const metadata = { metadata: { 'modelport.trainedTask': state.task } };
  if (state.kind === 'image') {
    return {
      ...labels,
      ...binary,
      ...metadata,
      imageLayout: 'NCHW',
      preprocessing: { image: { scale: state.scale, mean: [...state.mean], std: [...state.std] } },
    };
  }
  const slots = state.features.flatMap((f) =>
    f.kind === 'number'
      ? [{ name: f.column, log1p: f.log1p, mean: f.mean, std: f.std }]
      : f.categories.map((c) => ({ name: `${f.column}=${c}`, log1p: false, mean: 0, std: 1 })),
  );
  return {
    ...labels,
    ...binary,
    ...metadata,
    features: slots.map((s) => s.name),
    preprocessing: {
      features: {
        log1p: slots.map((s) => s.log1p),
        mean: slots.map((s) => s.mean),
        std: slots.map((s) => s.std),
      },
    },
  };
}
