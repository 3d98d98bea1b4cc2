import type { ModelInfo, PredictRequest, PredictResponse, Tensor } from '../../../wire/index.js';
import { outputNamed, tensorValues } from '../../../wire/index.js';
import { resolveTabularConfig, type TabularTaskConfig } from '../../../wire/task-config/index.js';
import type { TaskInfer, TaskPipeline } from '../task-pipeline.js';
import { encodeRows } from './encode-rows.js';
import { rowsTensor } from './rows-tensor.js';
import { type TabularPrediction, tabularPredictions } from './tabular-predictions.js';
import { parseTabularRequest } from './tabular-request.js';

/**
 * Table rows → (the stored preprocessing, for a trained model) → one FP32 [rows, features] run
 * (or one run per row) → one record per row.
 */
export function createTabularPipeline(config: unknown, info: ModelInfo, infer: TaskInfer): TaskPipeline {
  const settings = resolveTabularConfig(config, info);
  return {
    run: (request, signal) => predictRows(settings, infer, request, signal),
  };
}

async function predictRows(
  settings: TabularTaskConfig,
  infer: TaskInfer,
  request: PredictRequest,
  signal: AbortSignal,
): Promise<PredictResponse> {
  const { rows } = parseTabularRequest(request);
  // Every row is checked before the first run, so a bad last row wastes no compute.
  const input = settings.preprocessing
    ? encodeRows(rows, settings.preprocessing, settings.input)
    : rowsTensor(rows, settings.features, settings.input);
  let predictions: TabularPrediction[] = [];
  for (const chunk of settings.oneRowPerRun ? singleRows(input) : [input]) {
    // No output list: tensor requests rarely send one, and the batcher only merges equal lists.
    const { outputs } = await infer({ inputs: [chunk] }, signal);
    const values = tensorValues(outputNamed(outputs, settings.output));
    predictions = predictions.concat(tabularPredictions(values, chunk.shape[0] ?? 0, settings));
  }
  return { task: 'tabular', predictions };
}

/** Views of each row as its own [1, features] tensor, for models whose batch dimension is fixed at 1. */
function singleRows(input: Tensor<'FP32'>): Tensor<'FP32'>[] {
  const [rows = 0, width = 0] = input.shape;
  return Array.from({ length: rows }, (_, r) => ({
    ...input,
    shape: [1, width],
    data: input.data.subarray(r * width, (r + 1) * width),
  }));
}
