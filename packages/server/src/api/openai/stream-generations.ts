import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, renderError, toAppError } from '../../platform/errors/index.js';
import type { FinishReason, GenerationEvent, TokenLogprob, ToolCall } from '../../wire/index.js';
import type { ClientConnection } from './client-connection.js';
import { generationError } from './generation-error.js';
import { mergeGenerations } from './merge-generations.js';
import { SseStream } from './sse-stream.js';
import type { Generation } from './start-generations.js';
import { type ChoiceTokens, countTokens, type TokenCounts } from './token-usage.js';

/** Turns generation events into one endpoint's chunk objects. */
export interface ChunkRenderer {
  /** Chunks that open each choice (chat: the role; completions with echo: the prompt). */
  open(index: number): unknown[];
  text(index: number, text: string, logprobs: TokenLogprob[] | undefined): unknown;
  toolCalls(index: number, calls: ToolCall[]): unknown[];
  finish(index: number, reason: FinishReason): unknown;
  /** The `choices: []` chunk sent before `[DONE]` when `stream_options.include_usage` is set. */
  usage(counts: TokenCounts): unknown;
}

export interface StreamOptions {
  request: FastifyRequest;
  reply: FastifyReply;
  client: ClientConnection;
  generations: readonly Generation[];
  renderer: ChunkRenderer;
  includeUsage: boolean;
  choicesPerPrompt: number;
  /** Runs after the last choice ended, before `[DONE]` is sent. */
  beforeDone?: () => Promise<void>;
}

/** Streams the choices as SSE; returns the usage, or undefined when the stream failed or the client left. */
export async function streamGenerations(opts: StreamOptions): Promise<TokenCounts | undefined> {
  const { renderer, client } = opts;
  const sse = SseStream.open(opts.reply);
  const ends: ChoiceTokens[] = [];
  try {
    for (const g of opts.generations) for (const chunk of renderer.open(g.index)) await sse.send(chunk);
    for await (const { index, event } of mergeGenerations(opts.generations)) {
      if (client.gone()) break;
      for (const chunk of chunksOf(renderer, index, event, ends)) await sse.send(chunk);
    }
    if (client.gone()) return undefined;
    if (ends.length < opts.generations.length)
      throw new AppError('runner_failed', 'The generation stopped before it finished.');
    const counts = countTokens(ends, opts.choicesPerPrompt);
    if (opts.includeUsage) await sse.send(renderer.usage(counts));
    await opts.beforeDone?.();
    await sse.done();
    return counts;
  } catch (err) {
    client.abort();
    if (client.gone()) return undefined;
    const appErr = toAppError(err);
    if (opts.request.usage) opts.request.usage.errorCode = appErr.code;
    if (appErr.status >= 500) opts.request.log.error({ err }, 'stream failed');
    else opts.request.log.info({ code: appErr.code }, appErr.message);
    sse.fail(renderError('openai', appErr, opts.request.id));
    return undefined;
  } finally {
    // Choices the loop left behind (client gone, a sibling failed) must not stay suspended.
    for (const g of opts.generations) void g.events.return(undefined).catch(() => undefined);
  }
}

function chunksOf(
  renderer: ChunkRenderer,
  index: number,
  event: GenerationEvent,
  ends: ChoiceTokens[],
): unknown[] {
  switch (event.type) {
    case 'start':
      return [];
    case 'text':
      return event.text.length > 0 || event.logprobs?.length
        ? [renderer.text(index, event.text, event.logprobs)]
        : [];
    case 'tool_calls':
      return renderer.toolCalls(index, event.calls);
    case 'end':
      ends.push({ index, promptTokens: event.promptTokens, completionTokens: event.completionTokens });
      return [renderer.finish(index, event.finishReason)];
    case 'error':
      throw generationError(event);
  }
}
