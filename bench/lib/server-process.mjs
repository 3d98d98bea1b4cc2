import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { awaitListening } from './await-listening.mjs';
import { managementApi } from './management-api.mjs';
import { cliBin, serverDist } from './paths.mjs';
import { processCpuMs } from './proc-cpu.mjs';

const { generateKey } = await import(serverDist('index.js'));

const running = new Set();

/** The parent's environment minus anything that would point the server at another store or config. */
function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('MODELPORT_') && k !== 'DATABASE_URL') env[k] = v;
  }
  return env;
}

/**
 * A Modelport server in its own process (`modelport serve`) with a fresh data dir, so its CPU time
 * can be read apart from the load generator's and the client never shares its event loop.
 * `nodeArgs` go to that process only, e.g. `['--cpu-prof']` to see where its time goes; `entry` is
 * the script and its arguments (another start-up that prints `listening on <url>`, e.g.
 * `lib/gateway-off-server.mjs`); `env` adds settings (e.g. `MODELPORT_LEDGER_DURABILITY`).
 */
export async function startServerProcess({ nodeArgs = [], entry = [cliBin, 'serve'], env = {} } = {}) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'modelport-bench-'));
  const key = generateKey();
  const child = spawn(process.execPath, [...nodeArgs, ...entry], {
    cwd: dataDir,
    env: {
      ...cleanEnv(),
      MODELPORT_HOST: '127.0.0.1',
      MODELPORT_PORT: '0',
      MODELPORT_DATA_DIR: dataDir,
      MODELPORT_ADMIN_KEY: key,
      MODELPORT_LOG_LEVEL: 'warn',
      MODELPORT_DEMO: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = awaitListening(child, 'server');
  const exited = started.exited;
  const url = await started.url;
  child.stdout.resume();

  const server = {
    url,
    key,
    pid: child.pid,
    api: managementApi(url, key),
    cpuMs: () => processCpuMs(child.pid),
    async close() {
      if (!running.delete(server)) return;
      await server.api.close();
      // SIGTERM lets the server stop its runners; they also exit when their IPC channel closes.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  running.add(server);
  return server;
}

/** For an interrupted run: stop whatever is still up. */
export async function closeAllServers() {
  await Promise.allSettled([...running].map((s) => s.close()));
}
