import type { LLamaContextualRepeatPenalty } from 'node-llama-cpp';
import type { FinishReason, SamplingOptions } from '../../wire/index.js';

/** The generation options LlamaChat and LlamaCompletion share, from our sampling fields. */
export interface LlamaSampling {
  maxTokens: number;
  temperature: number;
  topP: number;
  seed?: number;
  repeatPenalty: false | LLamaContextualRepeatPenalty;
}

export function llamaSampling(options: SamplingOptions, maxTokens: number): LlamaSampling {
  const penalized = options.presencePenalty !== 0 || options.frequencyPenalty !== 0;
  return {
    maxTokens,
    temperature: options.temperature,
    topP: options.topP,
    // llama.cpp takes a 32-bit seed; clients may send any integer.
    ...(options.seed === undefined
      ? {}
      : { seed: Number(BigInt.asUintN(32, BigInt(Math.trunc(options.seed)))) }),
    // node-llama-cpp penalizes repeats by default (1.1); OpenAI's fields mean no penalty at 0.
    repeatPenalty: penalized
      ? {
          penalty: 1,
          presencePenalty: options.presencePenalty,
          frequencyPenalty: options.frequencyPenalty,
          penalizeNewLine: true,
        }
      : false,
  };
}

type StopReason =
  | 'eogToken'
  | 'stopGenerationTrigger'
  | 'customStopTrigger'
  | 'functionCalls'
  | 'maxTokens'
  | 'abort';

/** An aborted generation ends as `stop`: the client asked it to. */
export function finishReasonOf(stopReason: StopReason): FinishReason {
  if (stopReason === 'maxTokens') return 'length';
  if (stopReason === 'functionCalls') return 'tool_calls';
  return 'stop';
}
