import type { LabelScore, PredictResponse } from '../../wire/index.js';
import { labelsOf, scoreFunction, topLabels } from './label-scores.js';
import { modelConfig, type PipelineParts } from './pipeline-parts.js';
import { runEncoder } from './run-encoder.js';
import { requestFor, type TaskModel } from './task-model.js';
import { maxTokensOf, textBatches, tokenizeTexts } from './tokenize-texts.js';

/** Labels a request gets when it names no `topK` (fewer when the model has fewer). */
export const DEFAULT_TOP_K = 5;

/**
 * Sequence classification with the pipeline's tokenizer and model; scoring and top-k happen here
 * rather than in the pipeline's call, whose top-k runs a helper onnxruntime session created with
 * default options (a thread per core, spin-waiting on) outside this runner's CPU budget.
 */
export async function createTextClassifier(parts: PipelineParts): Promise<TaskModel> {
  const config = modelConfig(parts);
  const maxTokens = maxTokensOf(parts);
  // A first run at load: fails a broken model before the runner reports ready, and counts classes.
  const probe = await runEncoder(
    parts,
    tokenizeTexts(parts, ['ready'], { offset: 0, param: 'texts', maxTokens }),
    ['logits'],
  );
  const labels = labelsOf(config, probe.dims[1] ?? 0);
  const scores = scoreFunction(config.problem_type);
  return {
    info: { task: 'text-classification', modelType: config.model_type ?? 'unknown', labels },
    prepare(input) {
      const request = requestFor(input, 'text-classification');
      const k = Math.min(request.topK ?? DEFAULT_TOP_K, labels.length);
      return async (signal): Promise<PredictResponse> => {
        const predictions: LabelScore[][] = [];
        for (const [offset, texts] of textBatches(request.texts)) {
          signal.throwIfAborted();
          const batch = tokenizeTexts(parts, texts, { offset, param: 'texts', maxTokens });
          const logits = await runEncoder(parts, batch, ['logits']);
          for (let row = 0; row < texts.length; row++) {
            const slice = logits.data.subarray(row * labels.length, (row + 1) * labels.length);
            predictions.push(topLabels(scores(slice), labels, k));
          }
        }
        return { task: 'text-classification', predictions };
      };
    },
    dispose: () => parts.dispose(),
  };
}
