import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/** A self-signed EC certificate for 127.0.0.1 (subject CN `name`) made by openssl; its PEM files. */
function makeCert(dir: string, name: string): { cert: string; key: string } {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

/** The certificate the server presents now, by its subject's common name. */
function presented(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const cn = socket.getPeerCertificate().subject?.CN;
      socket.end();
      resolve(String(cn));
    });
    socket.on('error', reject);
  });
}

function get(port: number, ca: Buffer, pathname: string): Promise<number> {
  return new Promise((resolve, reject) => {
    https
      .get({ host: '127.0.0.1', port, path: pathname, ca }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    if (process.env.CI === 'true') throw new Error(`openssl is required under CI: ${String(err)}`);
    console.log('skipped: openssl is absent (it makes the test certificates)');
    return false;
  }
})();

describe.runIf(hasOpenssl)('HTTPS listener', () => {
  let dir: string;
  let t: TestServer;
  let port: number;
  let certFile: string;
  let keyFile: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mp-tls-'));
    const first = makeCert(dir, 'first');
    certFile = path.join(dir, 'server.crt');
    keyFile = path.join(dir, 'server.key');
    await copyFile(first.cert, certFile);
    await copyFile(first.key, keyFile);
    t = await startTestServer({
      env: { MODELPORT_TLS_CERT_FILE: certFile, MODELPORT_TLS_KEY_FILE: keyFile },
    });
    port = Number(new URL(t.server.url).port);
  });
  afterAll(async () => {
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves HTTPS with the configured certificate, and not plain HTTP', async () => {
    expect(t.server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await presented(port)).toBe('first');
    expect(await get(port, await readFile(certFile), '/health/live')).toBe(200);
    await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
  });

  it('takes a renewed certificate on reload, and keeps the current one when the new files are bad', async () => {
    const second = makeCert(dir, 'second');
    await copyFile(second.cert, certFile);
    await copyFile(second.key, keyFile);
    await t.server.reloadTls();
    expect(await presented(port)).toBe('second');
    expect(await get(port, await readFile(certFile), '/health/live')).toBe(200);

    await writeFile(certFile, 'not a certificate');
    await expect(t.server.reloadTls()).rejects.toThrow();
    expect(await presented(port)).toBe('second');
  });

  it('refuses a certificate without its key at start', () => {
    expect(() => loadConfig({ env: { MODELPORT_TLS_CERT_FILE: certFile }, cwd: dir })).toThrow(
      /tls\.keyFile.*certFile and keyFile come together/,
    );
  });
});
