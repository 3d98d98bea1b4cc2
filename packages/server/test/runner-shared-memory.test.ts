import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharedMemorySlots } from '../src/engine/shared-memory-slots.js';
import { AppError } from '../src/platform/errors/index.js';
import { SharedMemoryRegions } from '../src/runtime/runner/shared-memory-regions.js';
import { addModel } from './support/artifacts.js';
import { deployModel } from './support/deploy-model.js';
import { sharedMemoryBytes } from './support/shared-memory-bytes.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/** 20,000 rows of the [-1, 4] adder: 320 KB in and out, far above the 64 KiB threshold. */
const ROWS = 20_000;
const BIAS = 1;

function rowsOf(seed: number): Float32Array {
  const data = new Float32Array(ROWS * 4);
  for (let i = 0; i < data.length; i++) data[i] = ((i * 7919 + seed * 104_729) % 10_007) / 16;
  return data;
}

/** A binary OIP request of `data` and its answer's `y`, decoded. */
async function inferBinary(t: TestServer, data: Float32Array): Promise<Float32Array> {
  const header = Buffer.from(
    JSON.stringify({
      inputs: [
        { name: 'x', datatype: 'FP32', shape: [ROWS, 4], parameters: { binary_data_size: data.byteLength } },
      ],
      outputs: [{ name: 'y', parameters: { binary_data: true } }],
    }),
  );
  const res = await t.fetch('/v2/models/adder/infer', {
    method: 'POST',
    headers: {
      'content-type': 'application/octet-stream',
      'inference-header-content-length': String(header.length),
    },
    body: Buffer.concat([header, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]),
  });
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`infer: ${res.status} ${body.toString()}`);
  const headerLength = Number(res.headers.get('inference-header-content-length'));
  const bytes = body.subarray(headerLength);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function expectAdded(output: Float32Array, input: Float32Array): void {
  expect(output.length).toBe(input.length);
  let wrong = 0;
  for (let i = 0; i < input.length; i++) if (output[i] !== Math.fround((input[i] ?? 0) + BIAS)) wrong++;
  expect(wrong).toBe(0);
}

const leftoverFiles = () => readdirSync('/dev/shm').filter((f) => f.startsWith(`modelport-${process.pid}-`));

describe('tensor bytes through shared memory between the API process and its runners', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await deployModel(t, { name: 'adder', bytes: addModel(BIAS) }, { batching: { maxBatchSize: 1 } });
  }, 60_000);
  afterAll(() => t?.close());

  it('passes large inputs and outputs through shared memory, with the same results', async () => {
    const before = await sharedMemoryBytes(t);
    const input = rowsOf(1);
    expectAdded(await inferBinary(t, input), input);
    const after = await sharedMemoryBytes(t);
    expect(after.to - before.to).toBe(input.byteLength);
    expect(after.from - before.from).toBe(input.byteLength);
  });

  it('keeps concurrent requests apart while slots are reused', async () => {
    const inputs = Array.from({ length: 24 }, (_, i) => rowsOf(i + 2));
    for (let round = 0; round < 2; round++) {
      const outputs = await Promise.all(inputs.map((x) => inferBinary(t, x)));
      for (const [i, y] of outputs.entries()) expectAdded(y, inputs[i] as Float32Array);
    }
  });

  it('sends JSON requests encoded as binary the same way', async () => {
    const before = await sharedMemoryBytes(t);
    const input = rowsOf(99);
    const res = await t.fetch('/v2/models/adder/infer', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [ROWS, 4], data: [...input] }] }),
    });
    expect(res.status).toBe(200);
    const out = (await res.json()) as { outputs: { data: number[] }[] };
    expectAdded(Float32Array.from(out.outputs[0]?.data ?? []), input);
    expect((await sharedMemoryBytes(t)).to - before.to).toBe(input.byteLength);
  });

  it('drops the slots of requests cut by a runner crash, and serves correctly after the restart', async () => {
    const d = (await (await t.fetch('/api/v1/deployments/adder')).json()) as { instances: { pid: number }[] };
    const pid = d.instances[0]?.pid as number;
    const inputs = Array.from({ length: 8 }, (_, i) => rowsOf(200 + i));
    const inflight = Promise.allSettled(inputs.map((x) => inferBinary(t, x)));
    process.kill(pid, 'SIGKILL');
    const settled = await inflight;
    // Each request either finished before the kill, with the right answer, or failed.
    for (const [i, r] of settled.entries()) {
      if (r.status === 'fulfilled') expectAdded(r.value, inputs[i] as Float32Array);
    }
    let after: Float32Array | undefined;
    for (let i = 0; i < 100 && !after; i++) {
      after = await inferBinary(t, inputs[0] as Float32Array).catch(() => undefined);
      if (!after) await new Promise((r) => setTimeout(r, 100));
    }
    expectAdded(after as Float32Array, inputs[0] as Float32Array);
    const outputs = await Promise.all(inputs.map((x) => inferBinary(t, x)));
    for (const [i, y] of outputs.entries()) expectAdded(y, inputs[i] as Float32Array);
  });

  it('leaves no file in /dev/shm: slots are unlinked as soon as they are opened', () => {
    expect(leftoverFiles()).toEqual([]);
  });

  it('sends small tensors through the socket', async () => {
    const before = await sharedMemoryBytes(t);
    const res = await t.fetch('/v2/models/adder/infer', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 4], data: [1, 2, 3, 4] }] }),
    });
    expect(((await res.json()) as { outputs: { data: number[] }[] }).outputs[0]?.data).toEqual([2, 3, 4, 5]);
    expect(await sharedMemoryBytes(t)).toEqual(before);
  });
});

describe('with MODELPORT_RUNNER_SHARED_MEMORY=off', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { MODELPORT_RUNNER_SHARED_MEMORY: 'off' } });
    await deployModel(t, { name: 'adder', bytes: addModel(BIAS) });
  }, 60_000);
  afterAll(() => t?.close());

  it('serves the same tensors through the socket only', async () => {
    const input = rowsOf(5);
    expectAdded(await inferBinary(t, input), input);
    expect(await sharedMemoryBytes(t)).toEqual({ to: 0, from: 0 });
  });
});

describe("a runner's shared-memory regions", () => {
  it("reads and writes the parent's slots, and refuses any other process's", () => {
    const slots = SharedMemorySlots.create({ maxSlots: 2, retainBytes: 1024 });
    if (!slots) throw new Error('this host has no /dev/shm');
    const slot = slots.acquire();
    if (!slot) throw new Error('no slot');
    slot.write(Buffer.from('tensor bytes'));
    // The test process stands for the runner's parent here.
    const regions = new SharedMemoryRegions(process.pid);
    expect(regions.read(slot.ref, 12).toString()).toBe('tensor bytes');
    regions.write(slot.ref, Buffer.from('answer'));
    const back = Buffer.alloc(6);
    slot.readInto(back, 0, 6);
    expect(back.toString()).toBe('answer');
    expect(() => regions.read(slot.ref, 4096)).toThrow(/fewer than 4096 bytes/);

    const stranger = new SharedMemoryRegions(process.pid + 1);
    expect(() => stranger.read(slot.ref, 4)).toThrow(AppError);
    expect(() => regions.read('../../etc/passwd', 4)).toThrow(/not one of the parent/);
    regions.close();
    slots.release(slot);
    slots.close();
  });

  it('hands out at most maxSlots at once and never reuses a discarded one', () => {
    const slots = SharedMemorySlots.create({ maxSlots: 2, retainBytes: 1024 });
    if (!slots) throw new Error('this host has no /dev/shm');
    const a = slots.acquire();
    const b = slots.acquire();
    expect(a && b).toBeTruthy();
    expect(slots.acquire()).toBeUndefined();
    if (!a || !b) return;
    slots.discard(a);
    const c = slots.acquire();
    expect(c?.ref).not.toBe(a.ref);
    slots.release(b);
    expect(slots.acquire()).toBe(b);
    slots.close();
  });
});
