import { readFile } from 'node:fs/promises';
import { sharedModelCatalog } from '../../../server/src/app/shared-models.js';
import type { TestServer } from '../../../server/test/support/test-server.js';

const json = { 'content-type': 'application/json' };

/** SqueezeNet's pipeline settings as the demo registers them, labels read the same way. */
export async function squeezenetConfig(labelsPath: string): Promise<string> {
  const entry = sharedModelCatalog.find((m) => m.name === 'squeezenet');
  const lines = (await readFile(labelsPath, 'utf8')).split(/\r?\n/).filter((l) => l.trim() !== '');
  const labels = lines.map((line) => line.split(',')[1]?.trim() ?? line.trim());
  return JSON.stringify({ ...entry?.config, labels });
}

/** The language model for the chat, set up through the API while the browser does the rest. */
export async function deployStories(t: TestServer, ggufPath: string): Promise<void> {
  const steps: [string, RequestInit, number][] = [
    [
      '/api/v1/models',
      { method: 'POST', headers: json, body: JSON.stringify({ name: 'stories', task: 'text-generation' }) },
      201,
    ],
    ['/api/v1/models/stories/versions', { method: 'POST', body: await readFile(ggufPath) }, 201],
    [
      '/api/v1/deployments',
      {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ model: 'stories', threads: 1, llm: { parallel: 1, contextSize: 512 } }),
      },
      201,
    ],
  ];
  for (const [url, init, status] of steps) {
    const res = await t.fetch(url, init);
    if (res.status !== status) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  }
}
