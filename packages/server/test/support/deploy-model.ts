import type { TestServer } from './test-server.js';

const json = { 'content-type': 'application/json' };

/**
 * Registers `bytes` as the first version of a new model and deploys it, as a user would through
 * the API; throws with the server's answer when a step fails.
 */
export async function deployModel(
  t: TestServer,
  model: { name: string; task?: string; bytes: Uint8Array },
  deployment: Record<string, unknown> = {},
): Promise<void> {
  const steps: [string, RequestInit][] = [
    [
      '/api/v1/models',
      {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ name: model.name, ...(model.task ? { task: model.task } : {}) }),
      },
    ],
    [
      `/api/v1/models/${model.name}/versions`,
      { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: model.bytes },
    ],
    [
      '/api/v1/deployments',
      { method: 'POST', headers: json, body: JSON.stringify({ model: model.name, ...deployment }) },
    ],
  ];
  for (const [path, init] of steps) {
    const res = await t.fetch(path, init);
    if (res.status !== 201) throw new Error(`${init.method} ${path}: ${res.status} ${await res.text()}`);
  }
}
