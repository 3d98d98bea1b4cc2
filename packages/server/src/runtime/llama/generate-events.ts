import type { LlamaContextSequence } from 'node-llama-cpp';
import { toAppError } from '../../platform/errors/index.js';
import type { GenerationEvent } from '../../wire/index.js';
import type { GenerationRun } from '../contract.js';
import { EventChannel } from './event-channel.js';
import type { GenerationPlan } from './generation-plan.js';
import type { LlamaRuntime } from './llama-runtime.js';
import type { ReplyOutcome, ReplyText } from './reply.js';
import { runChat } from './run-chat.js';
import { runCompletion } from './run-completion.js';
import { StopScanner } from './stop-scanner.js';
import { TokenLogprobs } from './token-logprobs.js';

/**
 * Starts one planned generation in its queue turn; after `start`, failures become an `error`
 * event. The generation owns its sequence and gives it back when it ends (`done`), so an aborted
 * signal frees it even if nobody reads on; a consumer that stops reading aborts it.
 */
export function startGeneration(rt: LlamaRuntime, plan: GenerationPlan, signal: AbortSignal): GenerationRun {
  const sequence = rt.pool.take();
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) stop.abort();
  const channel = new EventChannel<GenerationEvent>();
  channel.push({ type: 'start', promptTokens: plan.promptTokens });
  const done = produce(rt, sequence, plan, stop.signal, channel).finally(() => {
    signal.removeEventListener('abort', onAbort);
    return rt.pool.release(sequence);
  });
  async function* events(): AsyncGenerator<GenerationEvent, void, undefined> {
    try {
      yield* channel;
    } finally {
      stop.abort();
      await done;
    }
  }
  return { events: events(), done };
}

/** Runs the reply into the channel; never rejects. */
async function produce(
  rt: LlamaRuntime,
  sequence: LlamaContextSequence,
  plan: GenerationPlan,
  signal: AbortSignal,
  channel: EventChannel<GenerationEvent>,
): Promise<void> {
  const meter = sequence.tokenMeter.getState();
  const logprobs =
    plan.topLogprobs === undefined
      ? undefined
      : new TokenLogprobs(sequence, rt.model, plan.topLogprobs, plan.promptTail);
  const push: ReplyText = (text, tokens) => {
    if (text === '') return;
    channel.push(
      logprobs
        ? { type: 'text', text, tokens: tokens.length, logprobs: logprobs.take(tokens) }
        : { type: 'text', text, tokens: tokens.length },
    );
  };
  // Stop strings are matched here, not by node-llama-cpp, so text before a stop inside a token stays.
  const local = new AbortController();
  const forward = () => local.abort();
  signal.addEventListener('abort', forward, { once: true });
  if (signal.aborted) local.abort();
  const scanner = plan.stop.length > 0 ? new StopScanner(plan.stop, push, () => local.abort()) : undefined;
  const onText: ReplyText = scanner ? scanner.feed : push;
  const end = (finishReason: ReplyOutcome['finishReason']): GenerationEvent => ({
    type: 'end',
    finishReason,
    promptTokens: plan.promptTokens,
    // Each sampled token comes from one decode with logits, which is what the meter counts as output.
    completionTokens: sequence.tokenMeter.diff(meter).usedOutputTokens,
  });
  try {
    const outcome: ReplyOutcome =
      plan.kind === 'chat'
        ? await runChat(sequence, rt.chatWrapper, plan, local.signal, onText)
        : await runCompletion(sequence, plan, local.signal, onText);
    if (scanner?.stopped) outcome.finishReason = 'stop';
    else scanner?.flush();
    if (outcome.toolCalls) channel.push({ type: 'tool_calls', calls: outcome.toolCalls });
    channel.push(end(outcome.finishReason));
  } catch (err) {
    // Aborted before node-llama-cpp's stopOnAbortSignal applies (waiting for its lock, say).
    if (local.signal.aborted) channel.push(end('stop'));
    else channel.push(errorEvent(err));
  } finally {
    signal.removeEventListener('abort', forward);
    logprobs?.restore();
    channel.close();
  }
}

function errorEvent(err: unknown): GenerationEvent {
  const appErr = toAppError(err);
  const message = err instanceof Error ? err.message : String(err);
  if (appErr.status >= 500) process.stderr.write(`llama: ${err instanceof Error ? err.stack : message}\n`);
  return { type: 'error', code: appErr.code, message: appErr.status >= 500 ? message : appErr.message };
}
