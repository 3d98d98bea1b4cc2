import { execFileSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Rollout } from '@modelport/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedModelOrNull, sharedModelsDir } from './support/shared-models.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };
const gguf = sharedModelOrNull('stories260k/stories260K.gguf');
const terminal = new Set(['succeeded', 'failed', 'rolled_back']);
const quickGuardrails = { intervalSeconds: 0.1, windowSeconds: 10, minSamples: 2, consecutiveBreaches: 2 };

/** A second version of the language model: random weights, stories260K's tokenizer (../shared/tools). */
function randomGguf(out: string, [embd, layers, ff] = [64, 2, 128]): void {
  const tool = path.join(sharedModelsDir, '..', 'tools', 'make-gguf.mjs');
  const args = ['--out', out, '--embd', String(embd), '--layers', String(layers), '--ff', String(ff)];
  args.push('--heads', '4', '--ctx', '512');
  execFileSync(process.execPath, [tool, ...args], { stdio: 'ignore' });
}

describe.skipIf(!gguf)(
  'rollouts of a language model: streams open during a promotion or a rollback end with [DONE]',
  () => {
    let t: TestServer;
    const v2 = path.join(os.tmpdir(), `modelport-rollout-${process.pid}.gguf`);
    /** A much larger random model: its first token comes far later than the small one's. */
    const v3 = path.join(os.tmpdir(), `modelport-rollout-${process.pid}-large.gguf`);
    beforeAll(async () => {
      t = await startTestServer();
      randomGguf(v2);
      randomGguf(v3, [768, 12, 2048]);
      const steps: [string, RequestInit][] = [
        [
          '/api/v1/models',
          {
            method: 'POST',
            headers: json,
            body: JSON.stringify({ name: 'stories', task: 'text-generation' }),
          },
        ],
        ['/api/v1/models/stories/versions', { method: 'POST', body: await readFile(gguf as string) }],
        ['/api/v1/models/stories/versions', { method: 'POST', body: await readFile(v2) }],
        ['/api/v1/models/stories/versions', { method: 'POST', body: await readFile(v3) }],
        [
          '/api/v1/deployments',
          {
            method: 'POST',
            headers: json,
            body: JSON.stringify({
              model: 'stories',
              version: 1,
              threads: 1,
              llm: { parallel: 4, contextSize: 512 },
            }),
          },
        ],
      ];
      for (const [pathname, init] of steps) {
        const res = await t.fetch(pathname, {
          ...init,
          headers: { 'content-type': 'application/octet-stream', ...init.headers },
        });
        if (res.status !== 201) throw new Error(`${pathname}: ${res.status} ${await res.text()}`);
      }
    }, 120_000);
    afterAll(async () => {
      await t?.close();
      await rm(v2, { force: true });
      await rm(v3, { force: true });
    });

    const current = async () =>
      (await (await t.fetch('/api/v1/deployments/stories/rollouts/current')).json()) as Rollout;

    /** One streamed chat completion, read to its end; `opened` resolves at its first bytes. */
    function stream(opened?: () => void, headers: Record<string, string> = {}) {
      return (async () => {
        const res = await t.fetch('/v1/chat/completions', {
          method: 'POST',
          headers: { ...json, ...headers },
          body: JSON.stringify({
            model: 'stories',
            stream: true,
            max_tokens: 48,
            messages: [{ role: 'user', content: 'Once upon a time' }],
          }),
        });
        let text = '';
        const decoder = new TextDecoder();
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          if (text === '') opened?.();
          text += decoder.decode(chunk, { stream: true });
        }
        return {
          status: res.status,
          revision: Number(res.headers.get('x-modelport-revision')),
          done: text.trimEnd().endsWith('data: [DONE]'),
          errors: text.includes('"error"'),
        };
      })();
    }

    it('streams throughout a canary promotion all end with [DONE], on both revisions', async () => {
      const res = await t.fetch('/api/v1/deployments/stories/rollouts', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          variants: [{ variantName: 'default', modelVersion: 2, weight: 100 }],
          strategy: { type: 'canary', percent: 50, bakeSeconds: 1 },
          guardrails: quickGuardrails,
        }),
      });
      expect(res.status).toBe(202);
      const results: Awaited<ReturnType<typeof stream>>[] = [];
      const until = Date.now() + 60_000;
      while (!terminal.has((await current()).state) && Date.now() < until) {
        results.push(...(await Promise.all([stream(), stream(), stream(), stream()])));
      }
      // Streams opened just before the promotion, still running on the old fleet as it drains.
      const last = Array.from({ length: 4 }, () => stream());
      expect((await current()).state).toBe('succeeded');
      results.push(...(await Promise.all(last)));
      expect(results.filter((r) => r.status !== 200 || !r.done || r.errors)).toEqual([]);
      expect(new Set(results.map((r) => r.revision)).size).toBe(2);
    }, 120_000);

    it('streams open when a rollout is aborted finish on the revision they started on', async () => {
      const res = await t.fetch('/api/v1/deployments/stories/rollouts', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          variants: [{ variantName: 'default', modelVersion: 1, weight: 100 }],
          strategy: { type: 'canary', percent: 50, bakeSeconds: 60 },
          guardrails: quickGuardrails,
        }),
      });
      expect(res.status).toBe(202);
      const started = (await res.json()) as Rollout;
      for (let i = 0; i < 200 && (await current()).state !== 'baking'; i++)
        await new Promise((r) => setTimeout(r, 50));
      const opened: Promise<void>[] = [];
      // Half name the variant: during a rollout that is the new revision's variant of that name.
      const streams = Array.from({ length: 8 }, (_, i) => {
        let resolve!: () => void;
        opened.push(new Promise<void>((r) => (resolve = r)));
        return stream(resolve, i % 2 ? { 'x-modelport-target-variant': 'default' } : {});
      });
      await Promise.all(opened);
      const abort = await t.fetch('/api/v1/deployments/stories/rollouts/current/abort', {
        method: 'POST',
        headers: json,
        body: '{}',
      });
      expect(abort.status).toBe(200);
      const results = await Promise.all(streams);
      expect(results.filter((r) => r.status !== 200 || !r.done || r.errors)).toEqual([]);
      expect(results.filter((_, i) => i % 2).map((r) => r.revision)).toEqual(
        Array(4).fill(started.toRevision),
      );
      expect((await current()).state).toBe('rolled_back');
    }, 120_000);

    it('rolls back a canary whose time to first token breaks its guardrail', async () => {
      const res = await t.fetch('/api/v1/deployments/stories/rollouts', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          variants: [{ variantName: 'default', modelVersion: 3, weight: 100 }],
          strategy: { type: 'canary', percent: 50, bakeSeconds: 60 },
          guardrails: {
            ...quickGuardrails,
            minSamples: 3,
            fastFail: null,
            rules: [{ metric: 'ttft_p95', maxRatio: 2 }],
          },
        }),
      });
      expect(res.status).toBe(202);
      const results: Awaited<ReturnType<typeof stream>>[] = [];
      const until = Date.now() + 90_000;
      let rollout = await current();
      while (!terminal.has(rollout.state) && Date.now() < until) {
        results.push(...(await Promise.all([stream(), stream(), stream(), stream()])));
        rollout = await current();
      }
      expect(rollout).toMatchObject({ state: 'rolled_back', reason: 'guardrail_breach' });
      const rule = rollout.lastEvaluation?.rules.find((r) => r.metric === 'ttft_p95');
      expect(rule?.outcome).toBe('breach');
      expect(rule?.value).toBeGreaterThan(2 * (rule?.baseline ?? Number.POSITIVE_INFINITY));
      expect(results.filter((r) => r.status !== 200 || !r.done)).toEqual([]);
    }, 150_000);
  },
);
