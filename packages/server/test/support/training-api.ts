import type { TrainingEvent, TrainingJob } from '@modelport/contracts';
import type { TestServer } from './test-server.js';

const json = { 'content-type': 'application/json' };

/** What these helpers need of a server: its authenticated fetch. */
export type Api = Pick<TestServer, 'fetch'>;

/** An `Api` for a server started elsewhere (another process), with a key. */
export function apiAt(url: string, key: string): Api {
  return {
    fetch: (pathname, init = {}) => {
      const headers = new Headers(init.headers);
      if (init.key !== null) headers.set('authorization', `Bearer ${init.key ?? key}`);
      return fetch(url + pathname, { ...init, headers });
    },
  };
}
const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** `POST /api/v1/training/jobs`. */
export function postJob(t: Api, body: Record<string, unknown>, key?: string): Promise<Response> {
  return t.fetch('/api/v1/training/jobs', {
    method: 'POST',
    headers: json,
    body: JSON.stringify(body),
    ...(key === undefined ? {} : { key }),
  });
}

/** Creates a job and expects 201. */
export async function createJob(t: Api, body: Record<string, unknown>): Promise<TrainingJob> {
  const res = await postJob(t, body);
  if (res.status !== 201) throw new Error(`create job: ${res.status} ${await res.text()}`);
  return (await res.json()) as TrainingJob;
}

export async function getJob(t: Api, id: string): Promise<TrainingJob> {
  const res = await t.fetch(`/api/v1/training/jobs/${id}`);
  if (res.status !== 200) throw new Error(`get job: ${res.status} ${await res.text()}`);
  return (await res.json()) as TrainingJob;
}

/** Polls the job until `done` holds (default: a final state) or `timeoutMs` passes (then throws with the job). */
export async function waitForJob(
  t: Api,
  id: string,
  timeoutMs: number,
  done: (job: TrainingJob) => boolean = (job) => FINAL.has(job.state),
): Promise<TrainingJob> {
  const end = Date.now() + timeoutMs;
  let job = await getJob(t, id);
  while (!done(job)) {
    if (Date.now() > end) throw new Error(`job ${id} still ${job.state}: ${JSON.stringify(job.progress)}`);
    await new Promise((r) => setTimeout(r, 200));
    job = await getJob(t, id);
  }
  return job;
}

export interface SseRecord {
  event: string;
  id: string | undefined;
  data: TrainingEvent;
}

/** Reads `GET …/events` to its end (the server closes it once the job has ended). */
export async function readEvents(t: Api, id: string, query = ''): Promise<SseRecord[]> {
  const res = await t.fetch(`/api/v1/training/jobs/${id}/events${query}`);
  if (res.status !== 200) throw new Error(`events: ${res.status} ${await res.text()}`);
  if (!res.headers.get('content-type')?.startsWith('text/event-stream'))
    throw new Error(`events: content-type ${res.headers.get('content-type')}`);
  return parseSseText(await res.text());
}

/** Splits a `text/event-stream` body into its events (comments skipped). */
export function parseSseText(text: string): SseRecord[] {
  const records: SseRecord[] = [];
  for (const block of text.split('\n\n')) {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      fields.set(line.slice(0, colon), line.slice(colon + 2));
    }
    const data = fields.get('data');
    if (data === undefined) continue;
    records.push({
      event: fields.get('event') ?? 'message',
      id: fields.get('id'),
      data: JSON.parse(data) as TrainingEvent,
    });
  }
  return records;
}
