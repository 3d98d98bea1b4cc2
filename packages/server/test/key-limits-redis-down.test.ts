import { expect, it } from 'vitest';

// Port 6390 has no Redis: the server still starts and limits with its own counters (policy `local`).
import { startTestServer } from './support/test-server.js';

it('starts with Redis unreachable and limits locally', async () => {
  const t = await startTestServer({ env: { REDIS_URL: 'redis://127.0.0.1:6390' } });
  const key = await t.mintKey({ scopes: ['manage'], limits: { requestsPerMinute: 1 } });
  expect((await t.fetch('/api/v1/models', { key })).status).toBe(200);
  expect((await t.fetch('/api/v1/models', { key })).status).toBe(429);
  await t.close();
});
