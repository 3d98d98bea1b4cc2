import { finalPullStates, type PullJob, type PullState } from '@modelport/contracts';
import type { TestServer } from './test-server.js';

const json = { 'content-type': 'application/json' };

export async function createModel(t: TestServer, name: string, task: string): Promise<void> {
  const res = await t.fetch('/api/v1/models', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ name, task }),
  });
  if (res.status !== 201) throw new Error(`create ${name}: ${res.status} ${await res.text()}`);
}

/** `POST /api/v1/models/{model}/versions` with a JSON body: the answer as it came. */
export function postPull(t: TestServer, model: string, body: Record<string, unknown>): Promise<Response> {
  return t.fetch(`/api/v1/models/${model}/versions`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify(body),
  });
}

export async function startPull(t: TestServer, model: string, source: string): Promise<PullJob> {
  const res = await postPull(t, model, { source });
  if (res.status !== 202) throw new Error(`pull ${source}: ${res.status} ${await res.text()}`);
  return (await res.json()) as PullJob;
}

export async function readPull(t: TestServer, id: string): Promise<PullJob> {
  const res = await t.fetch(`/api/v1/pulls/${id}`);
  if (res.status !== 200) throw new Error(`pull ${id}: ${res.status} ${await res.text()}`);
  return (await res.json()) as PullJob;
}

/** Reads the pull until `done` holds (by default: it ended), at most `tries` times. */
export async function waitForPull(
  t: TestServer,
  id: string,
  done: (job: PullJob) => boolean = (job) => finalPullStates.includes(job.state),
  tries = 2400,
): Promise<PullJob> {
  let job = await readPull(t, id);
  for (let i = 0; i < tries && !done(job); i++) {
    await new Promise((r) => setTimeout(r, 25));
    job = await readPull(t, id);
  }
  return job;
}

export function isState(...states: PullState[]): (job: PullJob) => boolean {
  return (job) => states.includes(job.state);
}

export async function versionCount(t: TestServer, model: string): Promise<number> {
  const res = await t.fetch(`/api/v1/models/${model}/versions`);
  return ((await res.json()) as { data: unknown[] }).data.length;
}
