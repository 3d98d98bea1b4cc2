import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderConsoleApiTypes } from '../../../scripts/console-api-types.mjs';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';

const schemaFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/api/schema.d.ts');

describe("the console's typed client", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t?.close());

  it("is generated from the server's current OpenAPI document (npm run console:api-types)", async () => {
    const document = (await (await t.fetch('/docs/json', { key: null })).json()) as object;
    expect(readFileSync(schemaFile, 'utf8')).toBe(await renderConsoleApiTypes(document));
  });

  it('keeps the console pages out of the API document', async () => {
    const document = (await (await t.fetch('/docs/json', { key: null })).json()) as { paths: object };
    expect(Object.keys(document.paths).filter((p) => p === '/' || p.startsWith('/console'))).toEqual([]);
    expect(Object.keys(document.paths)).toContain('/api/v1/keys/self');
  });
});
