import type { PreTrainedModel, PreTrainedTokenizer, Processor } from '@huggingface/transformers';

/** What this runtime uses of a transformers.js pipeline object (its typings return `any` for calls). */
export interface PipelineParts {
  task: string;
  model: PreTrainedModel;
  tokenizer: PreTrainedTokenizer;
  processor: Processor | null;
  dispose(): Promise<void>;
}

/** The model's `config.json` fields read here. */
export interface ModelConfig {
  model_type?: string;
  id2label?: Record<string, string>;
  problem_type?: string;
  max_position_embeddings?: number;
}

export function modelConfig(parts: PipelineParts): ModelConfig {
  return parts.model.config as unknown as ModelConfig;
}
