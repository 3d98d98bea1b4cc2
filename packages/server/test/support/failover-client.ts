import type { TestServer } from './test-server.js';

/* The failover tests' client: requests through a chain, what answered them, and the metrics they moved. */

export const json = { 'content-type': 'application/json' };
/** The input every request sends. */
const x = [1, 2, 3, 4];
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a client saw for one request through a chain. */
export interface Answer {
  status: number;
  deployment: string | null;
  fallback: string | null;
  requestId: string;
  y: number[] | undefined;
}

/** One inference request of `x` to deployment `name` (as `key`, else the admin key). */
export async function infer(t: TestServer, name: string, key?: string): Promise<Answer> {
  const res = await t.fetch(`/v2/models/${name}/infer`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: x }] }),
    ...(key ? { key } : {}),
  });
  const body = (await res.json()) as { outputs?: { data: number[] }[] };
  return {
    status: res.status,
    deployment: res.headers.get('x-modelport-deployment'),
    fallback: res.headers.get('x-modelport-fallback'),
    requestId: res.headers.get('x-request-id') ?? '',
    y: body.outputs?.[0]?.data,
  };
}

/** The sum of a metric's samples whose labels include all of `labels`. */
export async function metric(
  t: TestServer,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await (await t.fetch('/metrics')).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const sample = match[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => sample.includes(`${k}="${v}"`))) sum += Number(match[3]);
  }
  return sum;
}

/** Requests a deployment's runners took (answered or failed by the server). */
export const reached = (t: TestServer, deployment: string) =>
  metric(t, 'modelport_variant_requests_total', { deployment });

/** A deployment as the management API shows it (what these tests read of it). */
export async function deployment(t: TestServer, name: string) {
  const res = await t.fetch(`/api/v1/deployments/${name}`);
  return (await res.json()) as {
    revision: number;
    status: string;
    settings: Record<string, unknown>;
    instances: { pid: number | null; state: string }[];
  };
}

/** A management or API request with a JSON body. */
export const send = (t: TestServer, method: string, path: string, body: unknown) =>
  t.fetch(path, { method, headers: json, body: JSON.stringify(body) });
