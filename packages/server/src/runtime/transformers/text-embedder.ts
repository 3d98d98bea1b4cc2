import type { Tensor } from '@huggingface/transformers';
import type { EmbedResponse, PredictResponse } from '../../wire/index.js';
import type { Work } from '../contract.js';
import { modelConfig, type PipelineParts } from './pipeline-parts.js';
import { checkPooling, normalized, type Pooling, pool } from './pooling.js';
import { runEncoder } from './run-encoder.js';
import { requestFor, type TaskModel } from './task-model.js';
import { maxTokensOf, textBatches, tokenizeTexts } from './tokenize-texts.js';
import type { TaskConfig } from './transformers-options.js';

/** Encoder outputs holding per-token (or already pooled) vectors, in the order transformers.js looks. */
const hiddenOutputs = ['last_hidden_state', 'token_embeddings', 'sentence_embedding', 'logits'];

interface EmbedOptions {
  pooling: Pooling;
  normalize: boolean;
  /** The request field the texts came from, for errors. */
  param: string;
}

/**
 * Feature extraction with the pipeline's tokenizer and model, pooled here so that the token count
 * (`promptTokens`) comes from the same tokenization. `taskConfig.pooling` and `.normalize` are the
 * defaults, and all `/v1/embed` uses.
 */
export async function createTextEmbedder(parts: PipelineParts, taskConfig: TaskConfig): Promise<TaskModel> {
  const maxTokens = maxTokensOf(parts);
  const embed = (texts: string[], options: EmbedOptions): Work<EmbedResponse> => {
    checkPooling(options.pooling, texts.length);
    return (signal) => embedTexts(parts, texts, { ...options, maxTokens }, signal);
  };
  const defaults = { pooling: taskConfig.pooling, normalize: taskConfig.normalize };
  // A first run at load: fails a broken model before the runner reports ready, and measures it.
  const probe = await embed(['ready'], { ...defaults, param: 'texts' })(new AbortController().signal);
  return {
    info: {
      task: 'feature-extraction',
      modelType: modelConfig(parts).model_type ?? 'unknown',
      dimension: probe.embeddings[0]?.length ?? 0,
    },
    prepare(input) {
      const request = requestFor(input, 'feature-extraction');
      const work = embed(request.texts, {
        pooling: request.pooling ?? defaults.pooling,
        normalize: request.normalize ?? defaults.normalize,
        param: 'texts',
      });
      return async (signal): Promise<PredictResponse> => ({
        task: 'feature-extraction',
        ...(await work(signal)),
      });
    },
    embed: (input) => embed(input, { ...defaults, param: 'input' }),
    dispose: () => parts.dispose(),
  };
}

async function embedTexts(
  parts: PipelineParts,
  texts: string[],
  options: EmbedOptions & { maxTokens: number },
  signal: AbortSignal,
): Promise<EmbedResponse> {
  const embeddings: number[][] = [];
  let promptTokens = 0;
  for (const [offset, slice] of textBatches(texts)) {
    signal.throwIfAborted();
    const batch = tokenizeTexts(parts, slice, { offset, param: options.param, maxTokens: options.maxTokens });
    const hidden = await runEncoder(parts, batch, hiddenOutputs);
    const mask = (batch.inputs.attention_mask as Tensor).data as BigInt64Array;
    const vectors = pool(hidden, mask, options.pooling);
    embeddings.push(...(options.normalize ? vectors.map(normalized) : vectors));
    promptTokens += batch.lengths.reduce((sum, n) => sum + n, 0);
  }
  return { embeddings, promptTokens };
}
