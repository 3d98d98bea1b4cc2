/**
 * For bench/serving-latency.mjs only: the thinnest API-process + runner-process pair Node allows,
 * to measure what the process split itself costs on this machine. The front process (plain
 * node:http, no auth, no metering, no validation) reads the body and forwards it over a Unix socket
 * to a child that runs the model on its main thread and answers the output's raw bytes. Same
 * payloads and hops as Modelport's path; none of its work (and nothing it checks: never expose it). Prints `listening on <url>`; stops on
 * SIGTERM. Settings come from the environment: BARE_MODEL_FILE, BARE_INPUT (JSON: name, ortType,
 * shape, headerBytes: the request's JSON header length to skip) and BARE_OUTPUT.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const readBody = (req) =>
  new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });

async function runner(socketPath) {
  process.env.ORT_DISABLE_TELEMETRY ??= '1';
  const ort = await import('onnxruntime-node');
  const { singleThreadOptions } = await import('./ort-session.mjs');
  const session = await ort.InferenceSession.create(process.env.BARE_MODEL_FILE, singleThreadOptions);
  const input = JSON.parse(process.env.BARE_INPUT);
  const output = process.env.BARE_OUTPUT;
  const server = http.createServer(async (req, res) => {
    const body = await readBody(req);
    const raw = body.subarray(Number(req.headers['inference-header-content-length']));
    // A copy keeps the typed array aligned, as the real runner must.
    const data = new Uint8Array(raw).buffer;
    const Typed = input.ortType === 'float16' ? Uint16Array : Float32Array;
    const feeds = { [input.name]: new ort.Tensor(input.ortType, new Typed(data), input.shape) };
    const out = (await session.run(feeds))[output].data;
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(Buffer.from(out.buffer, out.byteOffset, out.byteLength));
  });
  server.listen(socketPath, () => process.send('ready'));
}

async function front() {
  const socketPath = path.join(os.tmpdir(), `modelport-bare-${process.pid}.sock`);
  const child = fork(new URL(import.meta.url).pathname, ['runner', socketPath], { execArgv: [] });
  await new Promise((resolve) => child.once('message', resolve));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const server = http.createServer(async (req, res) => {
    const body = await readBody(req);
    const upstream = http.request(
      {
        socketPath,
        path: '/',
        method: 'POST',
        agent,
        headers: {
          'content-length': body.length,
          'inference-header-content-length': req.headers['inference-header-content-length'],
        },
      },
      async (reply) => {
        const answer = await readBody(reply);
        // An empty JSON header: the whole body is the output's bytes, as the bench client reads it.
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'inference-header-content-length': '0',
        });
        res.end(answer);
      },
    );
    upstream.end(body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`bare pair (bench only): listening on http://127.0.0.1:${server.address().port}\n`);
  });
  process.once('SIGTERM', () => {
    child.kill();
    process.exit(0);
  });
}

if (process.argv[2] === 'runner') await runner(process.argv[3]);
else await front();
