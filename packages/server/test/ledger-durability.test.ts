import { afterEach, describe, expect, it } from 'vitest';
import { addModel } from './support/artifacts.js';
import { deployModel } from './support/deploy-model.js';
import { ledgerRows } from './support/ledger-rows.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const REQUESTS = 40;
const inferBody = JSON.stringify({
  inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 4] }],
});

/**
 * With `fsync` (a writer thread commits and flushes each batch) and `commit` (the API thread
 * commits to the log), a SQLite ledger row is committed before its answer leaves: once a burst of
 * answers is in, each has its row, once.
 */
describe.each(['fsync', 'commit'] as const)('SQLite ledger, durability %s', (durability) => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('has the row of every answered request when the answer arrives, and only one', async () => {
    t = await startTestServer({ env: { MODELPORT_LEDGER_DURABILITY: durability } });
    await deployModel(t, { name: 'adder', bytes: addModel(1) });
    const server = t;
    const answers = await Promise.all(
      Array.from({ length: REQUESTS }, () =>
        server.fetch('/v2/models/adder/infer', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: inferBody,
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(REQUESTS).fill(200));
    const ids = answers.map((a) => a.headers.get('x-request-id'));
    const rows = await ledgerRows(server);
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(row.request_id, (counts.get(row.request_id) ?? 0) + 1);
    expect(ids.map((id) => counts.get(id ?? ''))).toEqual(Array(REQUESTS).fill(1));
    for (const row of rows.filter((r) => ids.includes(r.request_id)))
      expect(row).toMatchObject({ model: 'adder', endpoint: 'oip.infer', status: '200' });
  });
});
