import type { ModelInfo, PredictRequest, PredictResponse } from '../../../wire/index.js';
import { outputNamed, tensorValues } from '../../../wire/index.js';
import { type ImageTaskConfig, resolveImageConfig } from '../../../wire/task-config/index.js';
import { softmax } from '../scores/softmax.js';
import { topK } from '../scores/top-k.js';
import type { TaskInfer, TaskPipeline } from '../task-pipeline.js';
import { decodeImage } from './decode-image.js';
import { DEFAULT_TOP_K } from './image-limits.js';
import { parseImageRequest } from './image-request.js';
import { imageTensor } from './image-tensor.js';

/**
 * Image classification: decode and resize, build the input tensor, run it, rank the classes. The
 * config is checked against the model here, so a wrong one fails when the runner starts.
 */
export function createImagePipeline(config: unknown, info: ModelInfo, infer: TaskInfer): TaskPipeline {
  const settings = resolveImageConfig(config, info);
  return {
    run: (request, signal) => classify(settings, infer, request, signal),
  };
}

async function classify(
  settings: ImageTaskConfig,
  infer: TaskInfer,
  request: PredictRequest,
  signal: AbortSignal,
): Promise<PredictResponse> {
  const { image, topK: k = DEFAULT_TOP_K } = parseImageRequest(request);
  const pixels = await decodeImage(Buffer.from(image, 'base64'), settings);
  signal.throwIfAborted();
  const input = imageTensor(pixels, settings);
  // No output list: tensor requests rarely send one, and the batcher only merges equal lists.
  const { outputs } = await infer({ inputs: [input] }, signal);
  const values = tensorValues(outputNamed(outputs, settings.output));
  const scores = settings.outputKind === 'logits' ? softmax(values) : values;
  return { task: 'image-classification', predictions: topK(scores, settings.labels, k) };
}
