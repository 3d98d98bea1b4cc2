import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployment, send } from './support/failover-client.js';
import { ledgerRowOf } from './support/ledger-rows.js';
import { startTestServer, type TestServer } from './support/test-server.js';

describe('failover chains of the task API (the demo iris model, twice)', () => {
  let t: TestServer;
  const setosa = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };
  beforeAll(async () => {
    t = await startTestServer({ demo: true });
    const created = await send(t, 'POST', '/api/v1/deployments', {
      model: 'iris',
      name: 'iris-b',
      threads: 1,
    });
    if (created.status !== 201) throw new Error(`iris-b: ${await created.text()}`);
    const patched = await send(t, 'PATCH', '/api/v1/deployments/iris', { fallbacks: ['iris-b'] });
    if (patched.status !== 200) throw new Error(`iris: ${await patched.text()}`);
  }, 180_000);
  afterAll(async () => {
    if (t) await t.close();
  });

  it('answers a predict request from the fallback while the first deployment is down', async () => {
    const [instance] = (await deployment(t, 'iris')).instances;
    if (!instance?.pid) throw new Error('iris has no runner pid');
    process.kill(instance.pid, 'SIGKILL');
    const res = await send(t, 'POST', '/api/v1/predict/iris', { rows: [setosa] });
    expect(res.status).toBe(200);
    expect([res.headers.get('x-modelport-deployment'), res.headers.get('x-modelport-fallback')]).toEqual([
      'iris-b',
      'true',
    ]);
    const body = (await res.json()) as { predictions: { label: string }[] };
    expect(body.predictions.map((p) => p.label)).toEqual(['setosa']);
    expect(await ledgerRowOf(t, res.headers.get('x-request-id') as string)).toMatchObject({
      deployment: 'iris-b',
      model: 'iris',
      endpoint: 'predict',
      status: '200',
    });
  });
});
