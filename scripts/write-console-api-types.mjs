import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildApp, createPlatform, loadConfig, MODELPORT_VERSION } from '../packages/server/dist/index.js';
import { renderConsoleApiTypes } from './console-api-types.mjs';

// The app's own OpenAPI document, built from a throwaway data folder: no server listens, no runner starts.
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'modelport-api-types-'));
const env = {
  MODELPORT_DATA_DIR: dataDir,
  MODELPORT_LOG_LEVEL: 'silent',
  MODELPORT_DEMO: 'false',
  MODELPORT_RUNNER_SPARES: '0',
  MODELPORT_GPU: 'off',
};
const platform = await createPlatform(loadConfig({ env, cwd: dataDir }));
try {
  const app = await buildApp({ ...platform, version: MODELPORT_VERSION });
  await app.ready();
  const out = new URL('../packages/console/src/api/schema.d.ts', import.meta.url);
  await writeFile(out, await renderConsoleApiTypes(app.swagger()));
  await app.close();
} finally {
  await platform.engine.close();
  await platform.spares.close();
  await platform.limiter.close();
  await platform.ledger.close();
  await platform.store.close();
  await rm(dataDir, { recursive: true, force: true });
}
