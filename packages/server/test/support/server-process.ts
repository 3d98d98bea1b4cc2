import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const bin = path.join(root, 'packages/cli/dist/bin.js');
const START_TIMEOUT_MS = 60_000;

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  exited: Promise<unknown>;
}

/** The parent's environment without anything that would point the server at another store. */
export function serverEnv(
  dataDir: string,
  adminKey: string,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('MODELPORT_') && k !== 'DATABASE_URL' && k !== 'REDIS_URL') env[k] = v;
  }
  return {
    ...env,
    MODELPORT_HOST: '127.0.0.1',
    MODELPORT_PORT: '0',
    MODELPORT_DATA_DIR: dataDir,
    MODELPORT_ADMIN_KEY: adminKey,
    MODELPORT_LOG_LEVEL: 'warn',
    MODELPORT_LOG_FORMAT: 'json',
    MODELPORT_DEMO: 'false',
    MODELPORT_GPU: 'off',
    ...extra,
  };
}

/** `modelport serve` as a real process (the compiled CLI) on a free loopback port; resolves once it listens. */
export async function serveProcess(
  dataDir: string,
  adminKey: string,
  extra: Record<string, string> = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [bin, 'serve'], {
    cwd: dataDir,
    env: serverEnv(dataDir, adminKey, extra),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = `${stderr}${chunk}`.slice(-10_000);
  });
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start\n${stderr}`)), START_TIMEOUT_MS);
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited during start (code ${code})\n${stderr}`));
    });
  });
  return { child, base, exited };
}
