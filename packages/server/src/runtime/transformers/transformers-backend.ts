import { AppError } from '../../platform/errors/index.js';
import {
  type LoadedModel,
  type LoadOptions,
  RUNTIME_SPEC_VERSION,
  type RuntimeBackend,
} from '../contract.js';
import { loadTaskModel } from './load-task-model.js';
import { parsePredictRequest } from './predict-request-schema.js';
import type { TaskModel } from './task-model.js';
import { parseTransformersOptions } from './transformers-options.js';

/**
 * Serves transformers.js folders (speech recognition, text classification, feature extraction) on
 * onnxruntime: local files only, the instance's threads, no spin-waiting. One run at a time, since
 * a run already uses every thread the instance was given.
 */
export const transformersBackend: RuntimeBackend = {
  specificationVersion: RUNTIME_SPEC_VERSION,
  name: 'transformers',
  async load({ path, threads, options }: LoadOptions): Promise<LoadedModel> {
    const model = await loadTaskModel({ folder: path, options: parseTransformersOptions(options), threads });
    return taskModel(model);
  },
};

function taskModel(model: TaskModel): LoadedModel {
  const { embed } = model;
  return {
    specificationVersion: RUNTIME_SPEC_VERSION,
    capabilities: embed ? ['predict', 'embeddings'] : ['predict'],
    concurrency: 1,
    info: () => model.info,
    predict: async (request) => model.prepare(parsePredictRequest(request, model.info.task)),
    async embed(request) {
      if (!embed)
        throw new AppError(
          'task_not_supported',
          `This model does ${model.info.task}; embeddings need feature-extraction.`,
        );
      return embed.call(model, request.input);
    },
    unload: () => model.dispose(),
  };
}
