import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CreateKeyRequest } from '@modelport/contracts';
import { type RunningServer, startServer } from '../../src/app/start-server.js';
import { generateKey } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import type { RunnerHostFactory } from '../../src/engine/index.js';
import type { Clock } from '../../src/platform/clock.js';
import type { ArtifactStore } from '../../src/registry/index.js';
import { sharedModelsDir } from './shared-models.js';

export interface TestServer {
  url: string;
  adminKey: string;
  dataDir: string;
  server: RunningServer;
  /** Creates a key with the given scopes (and allow-list) through the API, like a user would. */
  mintKey(input: CreateKeyRequest): Promise<string>;
  fetch(pathname: string, init?: RequestInit & { key?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  databaseUrl?: string;
  env?: Record<string, string>;
  demo?: boolean;
  /** Time as the server sees it (key expiry, rotation grace). */
  clock?: Clock;
  /** Another server's admin key, for replicas sharing one database. */
  adminKey?: string;
  /** Another (closed) server's data folder, to start again on what it stored. */
  dataDir?: string;
  /** Another artifact store than the data folder's (see folder-artifact-store.ts). */
  artifacts?: ArtifactStore;
  /** Where the engine runs runner instances (default: local child processes). */
  runnerHosts?: RunnerHostFactory;
}

/** A real server on a loopback port with its own data folder and database. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'modelport-test-')));
  const adminKey = options.adminKey ?? generateKey();
  const env: Record<string, string> = {
    MODELPORT_PORT: '0',
    MODELPORT_DATA_DIR: dataDir,
    MODELPORT_ADMIN_KEY: adminKey,
    MODELPORT_LOG_LEVEL: 'silent',
    // Whatever terminal the tests run in, the server logs JSON lines as it does in production.
    MODELPORT_LOG_FORMAT: 'json',
    MODELPORT_GPU: 'off',
    MODELPORT_DEMO: options.demo ? 'true' : 'false',
    MODELPORT_SHARED_MODELS_DIR: sharedModelsDir,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...options.env,
  };
  const server = await startServer(loadConfig({ env, cwd: dataDir }), {
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.artifacts ? { artifacts: options.artifacts } : {}),
    ...(options.runnerHosts ? { runnerHosts: options.runnerHosts } : {}),
  });
  const doFetch = (pathname: string, init: RequestInit & { key?: string | null } = {}) => {
    const headers = new Headers(init.headers);
    const key = init.key === undefined ? adminKey : init.key;
    if (key !== null) headers.set('authorization', `Bearer ${key}`);
    return fetch(server.url + pathname, { ...init, headers });
  };
  return {
    url: server.url,
    adminKey,
    dataDir,
    server,
    fetch: doFetch,
    async mintKey(input) {
      const res = await doFetch('/api/v1/keys', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      if (res.status !== 201) throw new Error(`mintKey: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { key: string }).key;
    },
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
