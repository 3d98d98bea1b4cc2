import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import type {
  EmbedResponse,
  GenerationEvent,
  LlmInfo,
  PredictResponse,
  TaskInfo,
} from '../../src/wire/index.js';
import { storiesPath } from '../support/stories.js';
import { type TinyBertFolders, writeTinyBert } from '../support/tiny-bert.js';
import { describeConformance, sampling } from './conformance.js';

async function events(iterable: AsyncIterable<GenerationEvent>): Promise<GenerationEvent[]> {
  const all: GenerationEvent[] = [];
  for await (const event of iterable) all.push(event);
  return all;
}

describeConformance({
  backend: 'llama',
  load: async () =>
    existsSync(storiesPath)
      ? { options: { path: storiesPath, threads: 1, options: { parallel: 2, gpu: false, contextSize: 256 } } }
      : { skip: `${storiesPath} is absent` },
  capabilities: ['generation', 'embeddings'],
  checkInfo(info) {
    expect(info).toMatchObject({ contextSize: 256, parallel: 2 } satisfies Partial<LlmInfo>);
  },
  cases: {
    generation: {
      good: (m, o) => events(m.generate({ kind: 'completion', prompt: 'Once upon a time', ...sampling }, o)),
      check(answer) {
        const all = answer as GenerationEvent[];
        expect(all[0]).toEqual({ type: 'start', promptTokens: 5 });
        expect(all.at(-1)).toMatchObject({ type: 'end', finishReason: 'length', completionTokens: 8 });
        expect(all.filter((e) => e.type === 'text').length).toBeGreaterThan(0);
      },
      bad: (m, o) =>
        events(m.generate({ kind: 'completion', prompt: 'Lily ran. '.repeat(200), ...sampling }, o)),
      badCode: 'context_length_exceeded',
    },
    embeddings: {
      good: async (m, o) => (await m.embed({ input: ['a cat', 'a dog'] }, o)).value,
      check(answer) {
        expect((answer as EmbedResponse).embeddings.map((v) => v.length)).toEqual([64, 64]);
      },
      bad: (m, o) => m.embed({ input: ['Lily ran. '.repeat(200)] }, o),
      badCode: 'context_length_exceeded',
    },
  },
});

let bert: TinyBertFolders | undefined;

describeConformance({
  backend: 'transformers',
  async load() {
    bert = await writeTinyBert();
    return { options: { path: bert.encoder, threads: 1, options: { task: 'feature-extraction' } } };
  },
  capabilities: ['predict', 'embeddings'],
  checkInfo(info) {
    expect(info).toMatchObject({ task: 'feature-extraction', modelType: 'bert' } satisfies Partial<TaskInfo>);
  },
  cases: {
    predict: {
      good: async (m, o) => (await m.predict({ task: 'feature-extraction', texts: ['good movie'] }, o)).value,
      check(answer) {
        const response = answer as Extract<PredictResponse, { task: 'feature-extraction' }>;
        expect(response.task).toBe('feature-extraction');
        expect(response.embeddings).toHaveLength(1);
      },
      bad: (m, o) => m.predict({ task: 'feature-extraction', texts: [] }, o),
      badCode: 'validation_failed',
    },
    embeddings: {
      good: async (m, o) => (await m.embed({ input: ['good', 'bad'] }, o)).value,
      check(answer) {
        expect((answer as EmbedResponse).embeddings).toHaveLength(2);
      },
      bad: (m, o) => m.embed({ input: ['good '.repeat(100)] }, o),
      badCode: 'validation_failed',
    },
  },
  cleanup: async () => bert?.cleanup(),
});
