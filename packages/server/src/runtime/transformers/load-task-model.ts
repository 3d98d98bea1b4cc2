import { loadPipeline, type PipelineLoad } from './load-pipeline.js';
import type { PipelineParts } from './pipeline-parts.js';
import { createSpeechRecognizer } from './speech-recognizer.js';
import type { TaskModel } from './task-model.js';
import { createTextClassifier } from './text-classifier.js';
import { createTextEmbedder } from './text-embedder.js';

/**
 * Loads the folder's pipeline for the task and wraps it (its info says the dtype loaded); a
 * wrapper that refuses the model frees it.
 */
export async function loadTaskModel(load: PipelineLoad): Promise<TaskModel> {
  const { parts, dtype } = await loadPipeline(load);
  try {
    const model = await wrap(parts, load);
    model.info = { ...model.info, dtype };
    return model;
  } catch (err) {
    await parts.dispose().catch(() => {});
    throw err;
  }
}

async function wrap(parts: PipelineParts, load: PipelineLoad): Promise<TaskModel> {
  switch (load.options.task) {
    case 'automatic-speech-recognition':
      return createSpeechRecognizer(parts);
    case 'text-classification':
      return createTextClassifier(parts);
    case 'feature-extraction':
      return createTextEmbedder(parts, load.options.taskConfig);
  }
}
