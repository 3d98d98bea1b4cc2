/**
 * For bench/batching-throughput.mjs and bench/flask-baseline.mjs only: the thinnest batching
 * server Node allows, to measure what dynamic batching can gain over plain HTTP on this machine.
 * Plain node:http (no auth, no metering, no validation beyond what decoding needs), one FP32 input
 * of shape [1, width] as OIP JSON or binary, requests stacked into batches of at most BARE_MAX_BATCH
 * rows within BARE_DELAY_MS of the oldest (the same rule as Modelport's batcher), the batch run by
 * onnxruntime on the front's own thread (BARE_MODE=inline, default) or on a worker thread
 * (`thread`), each request answered its own rows in the form it asked in. Never expose it. Prints
 * `listening on <url>`; stops on SIGTERM. Settings from the environment: BARE_MODEL_FILE,
 * BARE_INPUT and BARE_OUTPUT (names), BARE_WIDTH, BARE_MAX_BATCH, BARE_DELAY_MS.
 */
import { once } from 'node:events';
import http from 'node:http';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { bareSession, readBody } from './bare-http.mjs';

const width = Number(process.env.BARE_WIDTH ?? 1024);

/** The model on this thread: `rows` stacked rows in, the output's floats out. */
async function loadModel() {
  const { ort, session } = await bareSession();
  const input = process.env.BARE_INPUT;
  const output = process.env.BARE_OUTPUT;
  return async (rows, floats) => {
    const out = await session.run({ [input]: new ort.Tensor('float32', floats, [rows, width]) });
    return out[output].data;
  };
}

/** The batch's model call: inline, or a round trip to a worker thread (rows copied into the message). */
async function modelCall(mode) {
  if (mode !== 'thread') return loadModel();
  const worker = new Worker(new URL(import.meta.url), { execArgv: [] });
  await once(worker, 'message');
  return (rows, floats) => {
    const answered = once(worker, 'message').then(([out]) => out);
    worker.postMessage({ rows, floats }, [floats.buffer]);
    return answered;
  };
}

async function threadRunner() {
  const run = await loadModel();
  parentPort.on('message', async ({ rows, floats }) => {
    // A copy of the output in a buffer of its own, which the message then transfers.
    const out = new Float32Array(await run(rows, floats));
    parentPort.postMessage(out, [out.buffer]);
  });
  parentPort.postMessage('ready');
}

/** One request's row: JSON `data` or the binary section after the JSON header. */
function decode(req, body) {
  const headerLength = req.headers['inference-header-content-length'];
  if (headerLength !== undefined) {
    const bytes = body.subarray(Number(headerLength));
    return { binary: true, row: new Float32Array(new Uint8Array(bytes).buffer) };
  }
  const data = JSON.parse(body.toString('utf8')).inputs[0].data;
  return { binary: false, row: Float32Array.from(data) };
}

function answer(res, binary, values) {
  const output = process.env.BARE_OUTPUT;
  if (binary) {
    const header = Buffer.from(
      JSON.stringify({
        outputs: [
          {
            name: output,
            datatype: 'FP32',
            shape: [1, values.length],
            parameters: { binary_data_size: values.byteLength },
          },
        ],
      }),
    );
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'inference-header-content-length': String(header.length),
    });
    res.end(Buffer.concat([header, Buffer.from(values.buffer, values.byteOffset, values.byteLength)]));
    return;
  }
  const json = JSON.stringify({
    outputs: [{ name: output, datatype: 'FP32', shape: [1, values.length], data: Array.from(values) }],
  });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(json);
}

/** Batches of ≤ maxBatch queued rows, run one at a time; the oldest waits at most `delayMs`. */
function batcher(run, maxBatch, delayMs) {
  const queue = [];
  let running = false;
  let timer;
  const start = async () => {
    clearTimeout(timer);
    timer = undefined;
    running = true;
    const batch = queue.splice(0, maxBatch);
    const floats = new Float32Array(batch.length * width);
    for (const [i, item] of batch.entries()) floats.set(item.row, i * width);
    const out = await run(batch.length, floats);
    const per = out.length / batch.length;
    for (const [i, item] of batch.entries()) item.done(out.subarray(i * per, (i + 1) * per));
    running = false;
    plan();
  };
  const plan = () => {
    if (running || queue.length === 0) return;
    const waited = performance.now() - queue[0].at;
    if (queue.length >= maxBatch || waited >= delayMs) void start();
    else
      timer ??= setTimeout(() => {
        // A timer may fire a little early: plan again, with a new timer if the wait is not over.
        timer = undefined;
        plan();
      }, delayMs - waited);
  };
  return (row) =>
    new Promise((done) => {
      queue.push({ row, done, at: performance.now() });
      // Like Modelport's batcher: plan at the end of the turn, so rows read together run together.
      setImmediate(plan);
    });
}

async function front() {
  const run = await modelCall(process.env.BARE_MODE ?? 'inline');
  const submit = batcher(
    run,
    Number(process.env.BARE_MAX_BATCH ?? 8),
    Number(process.env.BARE_DELAY_MS ?? 2),
  );
  const server = http.createServer(async (req, res) => {
    const { binary, row } = decode(req, await readBody(req));
    answer(res, binary, await submit(row));
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(
      `bare batcher (bench only): listening on http://127.0.0.1:${server.address().port}\n`,
    );
  });
  process.once('SIGTERM', () => process.exit(0));
}

if (!isMainThread) await threadRunner();
else await front();
