import { existsSync } from 'node:fs';
import path from 'node:path';
import { type LlamaLoadOptions, loadLlm } from '../../src/runtime/llama/index.js';
import type {
  GenerationEvent,
  GenerationRequest,
  LoadedLlm,
  SamplingOptions,
} from '../../src/wire/generation.js';
import { sharedModel, sharedModelsDir } from '../support/shared-models.js';

export const STORIES = 'stories260k/stories260K.gguf';
export const storiesPath = path.join(sharedModelsDir, STORIES);

/** stories260K on one thread without GPU; undefined when the file is absent (under CI, loading fails). */
export async function loadStories(options: Partial<LlamaLoadOptions> = {}): Promise<LoadedLlm | undefined> {
  if (!existsSync(storiesPath) && process.env.CI !== 'true') return undefined;
  return loadLlm({ path: storiesPath, threads: 1, parallel: 1, maxQueueSize: 4, gpu: false, ...options });
}

/** The loaded model, or a visible skip of this test when the model file is absent. */
export function need(llm: LoadedLlm | undefined, ctx: { skip: (note?: string) => void }): LoadedLlm {
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
  llm: LoadedLlm,
  request: GenerationRequest,
  signal: AbortSignal = new AbortController().signal,
): Promise<Collected> {
  const events: GenerationEvent[] = [];
  for await (const event of llm.generate(request, signal)) events.push(event);
  const text = events.map((e) => (e.type === 'text' ? e.text : '')).join('');
  const end = events.find((e): e is Extract<GenerationEvent, { type: 'end' }> => e.type === 'end');
  return { events, text, end };
}
