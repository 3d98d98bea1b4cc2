import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';

const json = { 'content-type': 'application/json' };
const setosa = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };

interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

describe('management bodies and queries refuse unknown fields', () => {
  let t: TestServer;
  beforeAll(async () => {
    // The demo deploys `iris`, a tabular model: something to patch, price and predict with.
    t = await startTestServer({ demo: true });
  }, 180_000);
  afterAll(() => t.close());

  const getJson = async (pathname: string): Promise<unknown> => {
    const res = await t.fetch(pathname);
    expect(res.status, pathname).toBe(200);
    return res.json();
  };

  const send = (method: string, pathname: string, body: unknown) =>
    t.fetch(pathname, { method, headers: json, body: JSON.stringify(body) });

  /** 400 `validation_failed` whose message names the unknown field(s). */
  async function expectRefused(res: Response, named: string): Promise<ErrorBody['error']> {
    const body = (await res.json()) as ErrorBody;
    expect({ status: res.status, code: body.error.code }).toEqual({ status: 400, code: 'validation_failed' });
    expect(body.error.message).toContain(named);
    return body.error;
  }

  /** What a refused request must leave as it was: the lists it would have added to, and the audit log. */
  async function snapshot(...lists: string[]): Promise<unknown[]> {
    return Promise.all([...lists, '/api/v1/audit?limit=200'].map(getJson));
  }

  it('POST /api/v1/models names the field and creates no model', async () => {
    const before = await snapshot('/api/v1/models');
    const res = await send('POST', '/api/v1/models', { name: 'ghost', tsak: 'tabular' });
    const error = await expectRefused(res, "Unknown field 'tsak'");
    expect(error.message).toBe("Invalid body: Unknown field 'tsak'");
    expect(error.details).toEqual([{ path: '/', message: "Unknown field 'tsak'" }]);
    expect(await snapshot('/api/v1/models')).toEqual(before);
  });

  it('names every unknown field of one object', async () => {
    const res = await send('POST', '/api/v1/models', { name: 'ghost', colour: 'red', size: 3 });
    await expectRefused(res, "Unknown fields 'colour', 'size'");
  });

  it('POST /api/v1/deployments refuses unknown fields at the top and in nested settings', async () => {
    const before = await snapshot('/api/v1/models');
    const top = await send('POST', '/api/v1/deployments', { model: 'iris', name: 'ghost', replicas: 2 });
    await expectRefused(top, "Unknown field 'replicas'");
    const batching = await send('POST', '/api/v1/deployments', {
      model: 'iris',
      name: 'ghost',
      batching: { maxBatchSize: 8, maxDelayMs: 5 },
    });
    const error = await expectRefused(batching, "/batching Unknown field 'maxDelayMs'");
    expect(error.details).toEqual([{ path: '/batching', message: "Unknown field 'maxDelayMs'" }]);
    const llm = await send('POST', '/api/v1/deployments', {
      model: 'iris',
      name: 'ghost',
      llm: { ctx: 512 },
    });
    await expectRefused(llm, "/llm Unknown field 'ctx'");
    expect((await t.fetch('/api/v1/deployments/ghost')).status).toBe(404);
    expect(await snapshot('/api/v1/models')).toEqual(before);
  });

  it('PATCH /api/v1/deployments/{name} changes nothing when a field is unknown', async () => {
    const served = async () => {
      const d = (await getJson('/api/v1/deployments/iris')) as Record<string, unknown>;
      return [d.revision, d.version, d.settings, d.variants];
    };
    const before = [await served(), await snapshot()];
    const res = await send('PATCH', '/api/v1/deployments/iris', { instances: 2, replicas: 2 });
    await expectRefused(res, "Unknown field 'replicas'");
    expect([await served(), await snapshot()]).toEqual(before);
  });

  it('POST /api/v1/keys and /api/v1/projects/{id}/keys mint no key, limits included', async () => {
    const project = (await (await send('POST', '/api/v1/projects', { name: 'strict' })).json()) as {
      id: string;
    };
    const lists = ['/api/v1/keys', '/api/v1/projects'];
    const before = await snapshot(...lists);
    await expectRefused(
      await send('POST', '/api/v1/keys', { name: 'k', scope: ['admin'] }),
      "Unknown field 'scope'",
    );
    const limits = await send('POST', '/api/v1/keys', {
      name: 'k',
      limits: { requestsPerMinute: 10, models: { iris: { concurrent: 1, burst: 5 } } },
    });
    const error = await expectRefused(limits, "Unknown field 'burst'");
    expect(error.details?.[0]?.path).toBe('/limits/models/iris');
    const other = await send('POST', `/api/v1/projects/${project.id}/keys`, { name: 'k', role: 'admin' });
    await expectRefused(other, "Unknown field 'role'");
    expect(await snapshot(...lists)).toEqual(before);
  });

  it('POST /api/v1/keys/{id}/rotate keeps the secret when a field is unknown', async () => {
    const minted = (await (await send('POST', '/api/v1/keys', { name: 'rotating' })).json()) as {
      id: string;
    };
    const before = await snapshot(`/api/v1/keys/${minted.id}`);
    const res = await send('POST', `/api/v1/keys/${minted.id}/rotate`, { graceSeconds: 0 });
    await expectRefused(res, "Unknown field 'graceSeconds'");
    expect(await snapshot(`/api/v1/keys/${minted.id}`)).toEqual(before);
  });

  it('POST /api/v1/projects creates no project', async () => {
    const before = await snapshot('/api/v1/projects');
    await expectRefused(
      await send('POST', '/api/v1/projects', { name: 'ghost', owner: 'me' }),
      "Unknown field 'owner'",
    );
    expect(await snapshot('/api/v1/projects')).toEqual(before);
  });

  it('prices, budgets, aliases and version configs change nothing when a field is unknown', async () => {
    const lists = ['/api/v1/prices', '/api/v1/budgets', '/api/v1/models/iris/versions/1'];
    const before = await snapshot(...lists);
    const price = await send('PUT', '/api/v1/models/iris/price', { perRequest: 0.01, currency: 'EUR' });
    await expectRefused(price, "Unknown field 'currency'");
    const budget = await send('PUT', '/api/v1/budgets/project', { limit: 5, reset: 'month' });
    await expectRefused(budget, "Unknown field 'reset'");
    const alias = await send('PUT', '/api/v1/models/iris/aliases/prod', { version: 1, pinned: true });
    await expectRefused(alias, "Unknown field 'pinned'");
    const config = await send('PATCH', '/api/v1/models/iris/versions/1', { config: {}, labels: [] });
    await expectRefused(config, "Unknown field 'labels'");
    expect(await snapshot(...lists)).toEqual(before);
  });

  it('usage and audit queries refuse unknown parameters', async () => {
    await expectRefused(await t.fetch('/api/v1/usage?groupby=key'), "Unknown field 'groupby'");
    await expectRefused(await t.fetch('/api/v1/usage/export?since=2026-01-01'), "Unknown field 'since'");
    const audit = await t.fetch('/api/v1/audit?limit=5&page=2');
    expect((await expectRefused(audit, "Unknown field 'page'")).message).toMatch(/^Invalid querystring: /);
    expect((await t.fetch('/api/v1/usage?groupBy=key&model=iris')).status).toBe(200);
  });

  it('POST /api/v1/deployments refuses an unknown backend option', async () => {
    const res = await send('POST', '/api/v1/deployments', {
      model: 'iris',
      name: 'ghost',
      options: { executionProvider: ['cpu'] },
    });
    const error = await expectRefused(res, "/options Unknown field 'executionProvider'");
    expect(error.details).toEqual([{ path: '/options', message: "Unknown field 'executionProvider'" }]);
    expect((await t.fetch('/api/v1/deployments/ghost')).status).toBe(404);
  });

  /** Every management route of a method, from the OpenAPI document, its path parameters filled in. */
  async function managementRoutes(method: string): Promise<string[]> {
    const doc = (await getJson('/docs/json')) as { paths: Record<string, Record<string, unknown>> };
    return Object.entries(doc.paths)
      .filter(([pathname, ops]) => pathname.startsWith('/api/v1/') && method in ops)
      .map(([pathname]) => pathname.replace(/\{version\}/g, '1').replace(/\{[a-z]+\}/g, 'iris'));
  }

  it('every management GET and DELETE refuses a query parameter it does not read', async () => {
    const gets = await managementRoutes('get');
    const deletes = await managementRoutes('delete');
    expect(gets).toEqual(expect.arrayContaining(['/api/v1/models', '/api/v1/deployments', '/api/v1/audit']));
    expect(deletes).toEqual(expect.arrayContaining(['/api/v1/models/iris', '/api/v1/deployments/iris']));
    for (const pathname of gets) {
      await expectRefused(await t.fetch(`${pathname}?colour=red`), "Unknown field 'colour'");
    }
    for (const pathname of deletes) {
      const res = await t.fetch(`${pathname}?force=true`, { method: 'DELETE' });
      await expectRefused(res, "Unknown field 'force'");
    }
    expect((await t.fetch('/api/v1/deployments/iris')).status).toBe(200);
  });

  it('every management DELETE refuses a body, and POST routes a query parameter', async () => {
    for (const pathname of await managementRoutes('delete')) {
      const error = await expectRefused(
        await send('DELETE', pathname, { force: true }),
        "Unknown field 'force'",
      );
      expect(error.message).toMatch(/^Invalid body: /);
    }
    await expectRefused(await send('POST', '/api/v1/keys?dryRun=true', {}), "Unknown field 'dryRun'");
    const upload = await t.fetch('/api/v1/models/iris/versions?format=onnx', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array([1, 2, 3]),
    });
    await expectRefused(upload, "Unknown field 'format'");
    const predict = await send('POST', '/api/v1/predict/iris?topK=1', { rows: [setosa] });
    await expectRefused(predict, "Unknown field 'topK'");
    const versions = (await getJson('/api/v1/models/iris/versions')) as { data: unknown[] };
    expect(versions.data).toHaveLength(1);
    expect((await t.fetch('/api/v1/models/iris')).status).toBe(200);
  });

  it('POST /api/v1/predict/{model} refuses unknown fields as JSON and as form fields', async () => {
    const body = await send('POST', '/api/v1/predict/iris', { rows: [setosa], topk: 1 });
    const error = await expectRefused(body, "Unknown field 'topk'");
    expect(error.message).toBe("Invalid request body: Unknown field 'topk'");
    const form = new FormData();
    form.append('rows', JSON.stringify([setosa]));
    form.append('top_k', '1');
    await expectRefused(
      await t.fetch('/api/v1/predict/iris', { method: 'POST', body: form }),
      "Unknown field 'top_k'",
    );
    const fine = new FormData();
    fine.append('rows', JSON.stringify([setosa]));
    expect((await t.fetch('/api/v1/predict/iris', { method: 'POST', body: fine })).status).toBe(200);
  });
});
