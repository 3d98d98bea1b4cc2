/**
 * For bench/serving-latency.mjs only: the thinnest API-process + runner pair Node allows, to
 * measure what the split itself costs on this machine. The front (plain node:http, no auth, no
 * metering, no validation) reads the body and hands it to the model: with BARE_MODE=process
 * (default) over a Unix socket to a child process, with `thread` to a worker thread (the body's
 * buffer transferred), with `inline` to a session on the front's own thread (HTTP alone). The
 * model runs on that runner's main thread and answers the output's raw bytes. Same payloads and
 * hops as Modelport's path; none of its work (and nothing it checks: never expose it). Prints
 * `listening on <url>`; stops on SIGTERM. Settings come from the environment: BARE_MODEL_FILE,
 * BARE_INPUT (JSON: name, ortType, shape) and BARE_OUTPUT.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { bareSession, readBody } from './bare-http.mjs';

/** The model on this thread: a function from the tensor's bytes to the output's bytes. */
async function loadModel() {
  const { ort, session } = await bareSession();
  const input = JSON.parse(process.env.BARE_INPUT);
  const output = process.env.BARE_OUTPUT;
  const Typed = input.ortType === 'float16' ? Uint16Array : Float32Array;
  return async (raw) => {
    // A copy keeps the typed array aligned, as the real runner must.
    const data = new Uint8Array(raw).buffer;
    const feeds = { [input.name]: new ort.Tensor(input.ortType, new Typed(data), input.shape) };
    const out = (await session.run(feeds))[output].data;
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  };
}

const tensorBytes = (req, body) => body.subarray(Number(req.headers['inference-header-content-length']));

async function runner(socketPath) {
  const run = await loadModel();
  const server = http.createServer(async (req, res) => {
    const out = await run(tensorBytes(req, await readBody(req)));
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(out);
  });
  server.listen(socketPath, () => process.send('ready'));
}

/** The runner as a worker thread: tensor bytes in, output bytes out, one message each. */
async function threadRunner() {
  const run = await loadModel();
  parentPort.on('message', async (raw) => {
    const out = await run(raw);
    parentPort.postMessage(out, [out.buffer]);
  });
  parentPort.postMessage('ready');
}

/** How the front reaches the model in each mode: bytes in, output bytes out. */
async function modelCall(mode) {
  if (mode === 'inline') return loadModel();
  if (mode === 'thread') {
    const worker = new Worker(new URL(import.meta.url), { execArgv: [] });
    await once(worker, 'message');
    return (raw) => {
      // A copy of the tensor section in a buffer of its own, which the message then transfers.
      const own = new Uint8Array(raw);
      const answered = once(worker, 'message').then(([out]) =>
        Buffer.from(out.buffer, out.byteOffset, out.byteLength),
      );
      worker.postMessage(own, [own.buffer]);
      return answered;
    };
  }
  return undefined;
}

/** The front answers like the process pair: an empty JSON header, the output's bytes as the body. */
function answer(res, out) {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'inference-header-content-length': '0' });
  res.end(out);
}

async function front(mode) {
  const local = await modelCall(mode);
  if (local)
    return listen(
      http.createServer(async (req, res) => answer(res, await local(tensorBytes(req, await readBody(req))))),
    );
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
      async (reply) => answer(res, await readBody(reply)),
    );
    upstream.end(body);
  });
  listen(server, () => child.kill());
}

function listen(server, onStop = () => {}) {
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`bare pair (bench only): listening on http://127.0.0.1:${server.address().port}\n`);
  });
  process.once('SIGTERM', () => {
    onStop();
    process.exit(0);
  });
}

if (!isMainThread) await threadRunner();
else if (process.argv[2] === 'runner') await runner(process.argv[3]);
else await front(process.env.BARE_MODE ?? 'process');
