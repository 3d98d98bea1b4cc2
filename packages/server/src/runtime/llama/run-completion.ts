import { LlamaCompletion, type LlamaContextSequence, type Token } from 'node-llama-cpp';
import type { GenerationPlan } from './generation-plan.js';
import type { ReplyOutcome, ReplyText } from './reply.js';
import { finishReasonOf } from './sampling-options.js';

type CompletionPlan = Extract<GenerationPlan, { kind: 'completion' }>;

/** A raw-prompt completion on the sequence; the prompt fits (checked), so the context never shifts. */
export async function runCompletion(
  sequence: LlamaContextSequence,
  plan: CompletionPlan,
  signal: AbortSignal,
  onText: ReplyText,
): Promise<ReplyOutcome> {
  const completion = new LlamaCompletion({ contextSequence: sequence, autoDisposeSequence: false });
  let released: Token[] = [];
  try {
    const result = await completion.generateCompletionWithMeta(plan.tokens, {
      ...plan.sampling,
      ...(plan.grammar ? { grammar: plan.grammar } : {}),
      signal,
      stopOnAbortSignal: true,
      disableContextShift: true,
      contextShiftSize: 1,
      // node-llama-cpp calls onToken, then onTextChunk with those tokens' text.
      onToken: (tokens) => {
        released = tokens;
      },
      onTextChunk: (text) => {
        onText(text, released);
        released = [];
      },
    });
    return { finishReason: finishReasonOf(result.metadata.stopReason) };
  } finally {
    completion.dispose({ disposeSequence: false });
  }
}
