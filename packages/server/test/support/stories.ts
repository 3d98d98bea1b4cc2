import { existsSync } from 'node:fs';
import path from 'node:path';
import { type LlamaLoadOptions, loadLlm } from '../../src/runtime/llama/index.js';
import { type ServedModel, serveModel } from '../../src/runtime/runner/served-model.js';
import type {
  EmbedRequest,
  EmbedResponse,
  GenerationEvent,
  GenerationRequest,
  LlmInfo,
  RunnerStats,
  SamplingOptions,
} from '../../src/wire/index.js';
import { sharedModel, sharedModelsDir } from './shared-models.js';

export const STORIES = 'stories260k/stories260K.gguf';
export const storiesPath = path.join(sharedModelsDir, STORIES);

/** The llama backend's model behind the runner's queue, called as the tests call it. */
export interface StoriesModel {
  info(): LlmInfo;
  /** Events until `end` (or `error`); aborting the signal stops generation and frees the sequence. */
  generate(request: GenerationRequest, signal: AbortSignal): AsyncIterable<GenerationEvent>;
  embed(request: EmbedRequest, signal: AbortSignal): Promise<EmbedResponse>;
  stats(): RunnerStats;
  unload(): Promise<void>;
  /** The same model as the runner server serves it. */
  served: ServedModel;
}

export interface StoriesOptions extends Partial<LlamaLoadOptions> {
  /** Requests waiting for a free sequence before new ones get 503 `queue_full`. */
  maxQueueSize?: number;
  /** How long a request may wait for a free sequence before 504 `deadline_exceeded`. */
  queueTimeoutMs?: number;
}

/** stories260K on one thread without GPU; undefined when the file is absent (under CI, loading fails). */
export async function loadStories(options: StoriesOptions = {}): Promise<StoriesModel | undefined> {
  if (!existsSync(storiesPath) && process.env.CI !== 'true') return undefined;
  const { maxQueueSize = 4, queueTimeoutMs = 600_000, ...load } = options;
  const served = serveModel(
    await loadLlm({ path: storiesPath, threads: 1, parallel: 1, gpu: false, ...load }),
    {
      maxQueueSize,
      timeoutMs: queueTimeoutMs,
      batching: { maxBatchSize: 1, maxQueueDelayMs: 0 },
      options: {},
    },
  );
  return {
    info: () => served.info() as LlmInfo,
    generate: (request, signal) => served.generate(request, { signal, timeoutMs: queueTimeoutMs }),
    embed: async (request, signal) =>
      (await served.embed(request, { signal, timeoutMs: queueTimeoutMs })).value,
    stats: () => served.stats(),
    unload: () => served.close(),
    served,
  };
}

/** The loaded model, or a visible skip of this test when the model file is absent. */
export function need(llm: StoriesModel | undefined, ctx: { skip: (note?: string) => void }): StoriesModel {
  sharedModel(STORIES, ctx);
  if (!llm) throw new Error(`${STORIES} did not load`);
  return llm;
}

const greedy: SamplingOptions = {
  maxTokens: 20,
  temperature: 0,
  topP: 1,
  stop: [],
  presencePenalty: 0,
  frequencyPenalty: 0,
};

type ChatRequest = Extract<GenerationRequest, { kind: 'chat' }>;
type CompletionRequest = Extract<GenerationRequest, { kind: 'completion' }>;

export function completion(
  prompt: string,
  extra: Partial<Omit<CompletionRequest, 'kind' | 'prompt'>> = {},
): CompletionRequest {
  return { kind: 'completion', prompt, ...greedy, ...extra };
}

export function chat(content: string, extra: Partial<Omit<ChatRequest, 'kind'>> = {}): ChatRequest {
  return { kind: 'chat', messages: [{ role: 'user', content }], ...greedy, ...extra };
}

export interface Collected {
  events: GenerationEvent[];
  text: string;
  end: Extract<GenerationEvent, { type: 'end' }> | undefined;
}

export async function collect(
  llm: StoriesModel,
  request: GenerationRequest,
  signal: AbortSignal = new AbortController().signal,
): Promise<Collected> {
  const events: GenerationEvent[] = [];
  for await (const event of llm.generate(request, signal)) events.push(event);
  const text = events.map((e) => (e.type === 'text' ? e.text : '')).join('');
  const end = events.find((e): e is Extract<GenerationEvent, { type: 'end' }> => e.type === 'end');
  return { events, text, end };
}
