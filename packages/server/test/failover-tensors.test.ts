import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModel } from './support/artifacts.js';
import { deployModel } from './support/deploy-model.js';
import { type Answer, deployment, infer, metric, reached, send, sleep } from './support/failover-client.js';
import { ledgerRowOf } from './support/ledger-rows.js';
import { failingModelBytes } from './support/misbehaving-models.js';
import { alive, until } from './support/processes.js';
import { startTestServer, type TestServer } from './support/test-server.js';

describe('failover chains of tensor deployments (ONNX adders)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await deployModel(t, { name: 'backup', bytes: addModel(2) }, { threads: 1 });
    await deployModel(
      t,
      { name: 'primary', bytes: addModel(1) },
      { threads: 1, fallbacks: ['backup'], failover: { coolDownSeconds: 1 } },
    );
    await deployModel(
      t,
      { name: 'flaky', bytes: failingModelBytes() },
      { threads: 1, fallbacks: ['backup'], failover: { failureThreshold: 3, coolDownSeconds: 3 } },
    );
    await deployModel(
      t,
      { name: 'broken', bytes: failingModelBytes() },
      { threads: 1, fallbacks: ['backup'], failover: { failureThreshold: 1000 } },
    );
  }, 120_000);
  afterAll(async () => {
    if (t) await t.close();
  });

  it('answers with the deployment that served, and whether it was a fallback', async () => {
    const answer = await infer(t, 'primary');
    expect(answer).toMatchObject({ status: 200, deployment: 'primary', fallback: 'false', y: [2, 3, 4, 5] });
    const direct = await infer(t, 'backup');
    expect(direct).toMatchObject({ status: 200, deployment: 'backup', fallback: 'false', y: [3, 4, 5, 6] });
    const shown = await deployment(t, 'primary');
    expect(shown.settings).toMatchObject({ fallbacks: ['backup'], failover: { coolDownSeconds: 1 } });
  });

  it('serves every request of a steady stream while the first deployment is killed', async () => {
    const [instance] = (await deployment(t, 'primary')).instances;
    const pid = instance?.pid;
    if (!pid) throw new Error('primary has no runner pid');
    const answers: Answer[] = [];
    let killedAt = -1;
    let stop = false;
    const worker = async () => {
      while (!stop) {
        answers.push(await infer(t, 'primary'));
        if (answers.length === 40) {
          killedAt = answers.length;
          process.kill(pid, 'SIGKILL');
        }
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    // Until the restarted runner answers again (its cool-down is 1 s).
    const back = await until(
      () => killedAt > 0 && answers.slice(killedAt + 8).some((a) => a.deployment === 'primary'),
      30_000,
    );
    stop = true;
    await Promise.all(workers);
    expect(back).toBe(true);
    expect(alive(pid)).toBe(false);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    const byBackup = answers.filter((a) => a.deployment === 'backup');
    expect(byBackup.length).toBeGreaterThan(0);
    for (const a of byBackup) expect(a).toMatchObject({ fallback: 'true', y: [3, 4, 5, 6] });
    for (const a of answers.filter((a) => a.deployment === 'primary'))
      expect(a).toMatchObject({ fallback: 'false', y: [2, 3, 4, 5] });
    expect(
      await metric(t, 'modelport_failover_total', { from: 'primary', to: 'backup' }),
    ).toBeGreaterThanOrEqual(byBackup.length);
  }, 60_000);

  it('cools a failing deployment down: no request reaches it until the cool-down ends', async () => {
    // Three failures (its threshold) within the window: each request still answered, by the backup.
    for (let i = 0; i < 3; i++)
      expect(await infer(t, 'flaky')).toMatchObject({ status: 200, deployment: 'backup', fallback: 'true' });
    const cooledAt = Date.now();
    expect(await reached(t, 'flaky')).toBe(3);
    expect(await metric(t, 'modelport_failover_cool_downs_total', { deployment: 'flaky' })).toBe(1);
    expect(await metric(t, 'modelport_failover_cooled_down_deployments')).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 20; i++)
      expect(await infer(t, 'flaky')).toMatchObject({ status: 200, deployment: 'backup', fallback: 'true' });
    expect(Date.now() - cooledAt).toBeLessThan(2_500);
    expect(await reached(t, 'flaky')).toBe(3);
    expect(
      await metric(t, 'modelport_failover_total', { from: 'flaky', reason: 'cooling_down' }),
    ).toBeGreaterThanOrEqual(20);
    // After 3 s it is tried again; that probe fails, which cools it down again at once.
    await sleep(cooledAt + 3_200 - Date.now());
    expect(await infer(t, 'flaky')).toMatchObject({ status: 200, deployment: 'backup' });
    expect(await reached(t, 'flaky')).toBe(4);
    for (let i = 0; i < 5; i++) await infer(t, 'flaky');
    expect(await reached(t, 'flaky')).toBe(4);
    expect(await metric(t, 'modelport_failover_cool_downs_total', { deployment: 'flaky' })).toBe(2);
  }, 30_000);

  it('writes one ledger row per request, naming the deployment that answered', async () => {
    const byPrimary = await infer(t, 'primary');
    const byBackup = await infer(t, 'broken');
    expect(byBackup).toMatchObject({ status: 200, deployment: 'backup', fallback: 'true' });
    expect(await ledgerRowOf(t, byPrimary.requestId)).toMatchObject({
      deployment: 'primary',
      model: 'primary',
      endpoint: 'oip.infer',
      status: '200',
    });
    // ledgerRowOf throws when a request has more than one row.
    expect(await ledgerRowOf(t, byBackup.requestId)).toMatchObject({
      deployment: 'backup',
      model: 'backup',
      version: '1',
      endpoint: 'oip.infer',
      status: '200',
    });
  });

  it('applies the limits of the deployment named once per request, however many deployments it tried', async () => {
    const before = await reached(t, 'broken');
    const key = await t.mintKey({
      scopes: ['infer'],
      limits: { models: { broken: { requestsPerMinute: 2 } } },
    });
    const answers = [await infer(t, 'broken', key), await infer(t, 'broken', key)];
    expect(answers.map((a) => [a.status, a.deployment])).toEqual([
      [200, 'backup'],
      [200, 'backup'],
    ]);
    // Each of them tried `broken` first (it never cools down: threshold 1000).
    expect(await reached(t, 'broken')).toBe(before + 2);
    expect((await infer(t, 'broken', key)).status).toBe(429);
  });

  it('refuses fallbacks naming the deployment itself, twice the same, an unknown one, or a cycle', async () => {
    const before = await deployment(t, 'primary');
    const refusals = [
      await send(t, 'POST', '/api/v1/deployments', {
        model: 'primary',
        name: 'selfish',
        fallbacks: ['selfish'],
      }),
      await send(t, 'PATCH', '/api/v1/deployments/primary', { fallbacks: ['primary'] }),
      await send(t, 'PATCH', '/api/v1/deployments/primary', { fallbacks: ['backup', 'backup'] }),
      await send(t, 'PATCH', '/api/v1/deployments/primary', { fallbacks: ['nowhere'] }),
      await send(t, 'PATCH', '/api/v1/deployments/backup', { fallbacks: ['primary'] }),
    ];
    const messages: string[] = [];
    for (const res of refusals) {
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect({ status: res.status, code: body.error.code }).toEqual({
        status: 400,
        code: 'invalid_fallbacks',
      });
      messages.push(body.error.message);
    }
    expect(messages.at(-1)).toBe("Fallback 'primary' would make a cycle: backup → primary → backup.");
    expect((await t.fetch('/api/v1/deployments/selfish')).status).toBe(404);
    expect((await deployment(t, 'backup')).settings.fallbacks).toBeUndefined();
    const after = await deployment(t, 'primary');
    expect(after.settings).toEqual(before.settings);
    expect(after.revision).toBe(before.revision);
  });

  it('changes fallbacks without a new revision or a restart', async () => {
    const before = await deployment(t, 'broken');
    const res = await send(t, 'PATCH', '/api/v1/deployments/broken', { fallbacks: ['primary', 'backup'] });
    expect(res.status).toBe(200);
    const after = await deployment(t, 'broken');
    expect(after.settings.fallbacks).toEqual(['primary', 'backup']);
    expect([after.revision, after.instances.map((i) => i.pid)]).toEqual([
      before.revision,
      before.instances.map((i) => i.pid),
    ]);
    expect(await infer(t, 'broken')).toMatchObject({ status: 200, deployment: 'primary', fallback: 'true' });
    const cleared = await send(t, 'PATCH', '/api/v1/deployments/broken', { fallbacks: [] });
    expect(cleared.status).toBe(200);
    expect((await infer(t, 'broken')).status).toBeGreaterThanOrEqual(500);
  });
});
