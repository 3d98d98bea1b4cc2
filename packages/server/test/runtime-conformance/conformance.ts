import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/platform/errors/index.js';
import { backendNamed } from '../../src/runtime/backends.js';
import {
  type Capability,
  capabilities,
  type LoadedModel,
  type LoadOptions,
  RUNTIME_SPEC_VERSION,
} from '../../src/runtime/contract.js';
import type { QueueOptions } from '../../src/runtime/queue/index.js';
import { buildRunnerServer } from '../../src/runtime/runner/runner-server.js';
import { type ServedModel, serveModel } from '../../src/runtime/runner/served-model.js';
import type { BackendName } from '../../src/wire/runner/index.js';

/** One call of a capability through the served model (the backend behind its queue). */
export type Call = (model: ServedModel, options: QueueOptions) => Promise<unknown>;

export interface CapabilityCase {
  /** A request the model must answer; `check` asserts on the answer. */
  good: Call;
  check(answer: unknown): void;
  /** A request the model must refuse with a 4xx AppError of this code, before or instead of running. */
  bad: Call;
  badCode: string;
}

export interface BackendCase {
  backend: BackendName;
  /** What the backend loads, or undefined (with the reason) when a file it needs is absent. */
  load(): Promise<{ options: LoadOptions } | { skip: string }>;
  capabilities: Capability[];
  /** Asserts on what the runner reports to its supervisor when ready. */
  checkInfo(info: unknown): void;
  cases: Partial<Record<Capability, CapabilityCase>>;
  cleanup?(): Promise<void>;
}

const settings = {
  maxQueueSize: 4,
  timeoutMs: 30_000,
  batching: { maxBatchSize: 4, maxQueueDelayMs: 1 },
};

const calm = (): QueueOptions => ({ signal: new AbortController().signal, timeoutMs: 30_000 });

/**
 * The one conformance suite every runtime backend passes: load, metadata, a request and a bad
 * request per declared capability, abort, health (idle stats and the runner server's routes),
 * and unload. A missing model file skips visibly (and fails under CI, where every model exists).
 */
export function describeConformance(c: BackendCase): void {
  describe(`runtime conformance: ${c.backend}`, () => {
    let model: LoadedModel | undefined;
    let served: ServedModel | undefined;
    let skip: string | undefined;

    beforeAll(async () => {
      const loaded = await c.load();
      if ('skip' in loaded) {
        if (process.env.CI === 'true') throw new Error(`required for conformance under CI: ${loaded.skip}`);
        skip = loaded.skip;
        return;
      }
      const backend = await backendNamed(c.backend);
      model = await backend.load(loaded.options);
      served = serveModel(model, { ...settings, options: loaded.options.options });
    });
    afterAll(async () => {
      await served?.close();
      await c.cleanup?.();
    });

    const ready = (ctx: { skip: (note?: string) => void }) => {
      if (skip) {
        console.log(`skipped: ${skip}`);
        ctx.skip(skip);
      }
      if (!model || !served) throw new Error('the model did not load');
      return { model, served };
    };

    it('loads a model of its specification version that declares what it serves', async (ctx) => {
      const { model } = ready(ctx);
      const backend = await backendNamed(c.backend);
      expect({ version: backend.specificationVersion, name: backend.name }).toEqual({
        version: RUNTIME_SPEC_VERSION,
        name: c.backend,
      });
      expect(model.specificationVersion).toBe(RUNTIME_SPEC_VERSION);
      expect([...model.capabilities].sort()).toEqual([...c.capabilities].sort());
      for (const capability of model.capabilities) expect(capabilities).toContain(capability);
      const methods: Record<Capability, unknown> = {
        tensors: model.infer,
        predict: model.predict,
        embeddings: model.embed,
        generation: model.generate,
      };
      for (const capability of model.capabilities)
        expect(methods[capability], capability).toBeTypeOf('function');
      expect(model.concurrency).toBeGreaterThanOrEqual(1);
    });

    it('reports its metadata', (ctx) => {
      const { model, served } = ready(ctx);
      c.checkInfo(model.info());
      expect(served.info()).toEqual(model.info());
    });

    for (const capability of c.capabilities) {
      const capabilityCase = c.cases[capability];
      it(`answers a ${capability} request through its queue`, async (ctx) => {
        const { served } = ready(ctx);
        if (!capabilityCase) throw new Error(`no conformance case for ${capability}`);
        capabilityCase.check(await capabilityCase.good(served, calm()));
        expect(served.stats()).toEqual({ running: 0, waiting: 0 });
      });

      it(`refuses a bad ${capability} request with a catalogued 4xx`, async (ctx) => {
        const { served } = ready(ctx);
        if (!capabilityCase) throw new Error(`no conformance case for ${capability}`);
        const err = await capabilityCase.bad(served, calm()).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(AppError);
        expect({ code: (err as AppError).code, client: (err as AppError).status < 500 }).toEqual({
          code: capabilityCase.badCode,
          client: true,
        });
      });

      it(`drops an aborted ${capability} request without running it`, async (ctx) => {
        const { served } = ready(ctx);
        if (!capabilityCase) throw new Error(`no conformance case for ${capability}`);
        const abort = new AbortController();
        abort.abort(new Error('the caller went away'));
        await expect(
          capabilityCase.good(served, { signal: abort.signal, timeoutMs: 30_000 }),
        ).rejects.toThrow(/went away/);
        expect(served.stats()).toEqual({ running: 0, waiting: 0 });
      });
    }

    it('refuses what it does not serve with 400 task_not_supported', async (ctx) => {
      const { served } = ready(ctx);
      const missing = capabilities.filter((cap) => !served.capabilities.has(cap));
      const probes: Record<Capability, Call> = {
        tensors: (m, o) => m.infer({ inputs: [] }, o),
        predict: (m, o) => m.predict({ task: 'text-classification', texts: ['x'] }, o),
        embeddings: (m, o) => m.embed({ input: ['x'] }, o),
        generation: async (m, o) => {
          for await (const _ of m.generate({ kind: 'completion', prompt: 'x', ...sampling }, o)) break;
        },
      };
      for (const capability of missing) {
        const err = await probes[capability](served, calm()).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect((err as AppError | undefined)?.code, capability).toBe('task_not_supported');
      }
    });

    it('answers health, info and stats on the runner server', async (ctx) => {
      const { served } = ready(ctx);
      const spec = { modelName: 'm', modelVersion: '1', timeoutMs: 30_000, maxBodyBytes: 1 << 20 };
      const app = await buildRunnerServer(spec, served);
      try {
        expect((await app.inject({ url: '/v2/health/ready' })).statusCode).toBe(200);
        expect((await app.inject({ url: '/v1/info' })).json()).toEqual(served.info());
        expect((await app.inject({ url: '/v1/stats' })).json()).toEqual({ running: 0, waiting: 0 });
      } finally {
        await app.close();
      }
    });

    it('unloads: running work ends, then new requests are refused with 503', async (ctx) => {
      const { served } = ready(ctx);
      const capability = c.capabilities[0];
      const capabilityCase = capability ? c.cases[capability] : undefined;
      if (!capabilityCase) throw new Error('no capability to probe');
      const running = capabilityCase.good(served, calm());
      await new Promise((resolve) => setTimeout(resolve, 20));
      await served.close();
      capabilityCase.check(await running);
      const err = await capabilityCase.good(served, calm()).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect({ code: (err as AppError).code, status: (err as AppError).status }).toEqual({
        code: 'service_unavailable',
        status: 503,
      });
    });
  });
}

export const sampling = {
  maxTokens: 8,
  temperature: 0,
  topP: 1,
  stop: [],
  presencePenalty: 0,
  frequencyPenalty: 0,
};
