import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameClient, socketTransport } from '../src/engine/frame-client.js';
import { LocalRunnerHost } from '../src/engine/local-runner-host.js';
import { defaultRunnerTiming } from '../src/engine/runner-timing.js';
import { SharedMemorySlots } from '../src/engine/shared-memory-slots.js';
import { createLogger } from '../src/platform/index.js';
import { serveFrameSocket } from '../src/runtime/runner/frame-connection.js';
import type { FramedInferHandler } from '../src/runtime/runner/framed-infer.js';
import { encodeInferRequest } from '../src/wire/oip/index.js';
import {
  decodeFrame,
  encodeFrame,
  FRAME_PREFACE,
  FrameReader,
  MalformedFrameError,
} from '../src/wire/runner/index.js';
import { slowModelBytes } from './support/misbehaving-models.js';
import { scratchDir, writeModel } from './support/onnx-model-files.js';

const MAX_FRAME = 1 << 20;

function whole(parts: Buffer[]): Buffer {
  return Buffer.concat(parts);
}

describe('frame codec', () => {
  it('round-trips frames cut into any chunks, payload views aligned where asked', () => {
    const payload = Buffer.from('{"inputs":[]}abcdefgh');
    const bytes = Buffer.concat([
      FRAME_PREFACE,
      whole(encodeFrame('infer', 7, { timeoutMs: 50, headerLength: 13 }, [payload], 13)),
      whole(encodeFrame('cancel', 7, {})),
      whole(encodeFrame('reply', 0xffff_fffe, { status: 200 }, [Buffer.alloc(3, 1), Buffer.alloc(2, 2)])),
    ]);
    for (const step of [1, 3, 7, bytes.length]) {
      const reader = new FrameReader(MAX_FRAME, true);
      const frames = [];
      for (let at = 0; at < bytes.length; at += step)
        frames.push(...reader.push(bytes.subarray(at, at + step)));
      expect(frames.map((f) => [f.kind, f.id])).toEqual([
        ['infer', 7],
        ['cancel', 7],
        ['reply', 0xffff_fffe],
      ]);
      expect(frames[0]?.meta).toEqual({ timeoutMs: 50, headerLength: 13 });
      expect(frames[0]?.payload.equals(payload)).toBe(true);
      expect([...(frames[2]?.payload ?? [])]).toEqual([1, 1, 1, 2, 2]);
    }
    // The binary section after the 13-byte header starts on an 8-byte boundary of the frame.
    const infer = whole(encodeFrame('infer', 1, { timeoutMs: 1, headerLength: 13 }, [payload], 13));
    expect((infer.length - payload.length + 13) % 8).toBe(0);
  });

  it('refuses frames that break the format', () => {
    const good = whole(encodeFrame('reply', 1, { status: 200 }));
    const bad = (mutate: (b: Buffer) => void) => {
      const copy = Buffer.from(good);
      mutate(copy);
      return copy;
    };
    const cases: Buffer[] = [
      bad((b) => b.writeUInt8(9, 4)), // unknown kind
      bad((b) => b.writeUInt8(2, 5)), // unknown version
      bad((b) => b.writeUInt16LE(0xfff0, 6)), // meta past the end
      bad((b) => b.write('[', 12)), // meta not JSON
    ];
    for (const frame of cases) expect(() => decodeFrame(frame)).toThrow(MalformedFrameError);
    expect(() => new FrameReader(64, false).push(bad((b) => b.writeUInt32LE(1_000, 0)))).toThrow(/outside/);
    expect(() => new FrameReader(64, false).push(bad((b) => b.writeUInt32LE(2, 0)))).toThrow(/outside/);
    expect(() => new FrameReader(MAX_FRAME, true).push(Buffer.from('POST /v2 HTTP/1.1\r\n'))).toThrow(
      /preface/,
    );
  });
});

describe('one framed connection, many requests', () => {
  let dir: string;
  let server: Server;
  let socketPath: string;
  const accepted: Socket[] = [];
  /** Answers each request with its payload reversed, later requests sooner: replies come back out of order. */
  const echo: FramedInferHandler = async (meta, payload) => {
    await new Promise((r) => setTimeout(r, Math.max(0, 40 - meta.timeoutMs)));
    return { meta: { status: 200, headerLength: payload.length }, payload: [Buffer.from(payload).reverse()] };
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mp-frames-'));
    socketPath = path.join(dir, 'runner.sock');
    server = createServer((socket) => {
      accepted.push(socket);
      socket.once('data', (first: Buffer) => serveFrameSocket(socket, echo, MAX_FRAME, first));
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  });
  afterAll(async () => {
    for (const s of accepted) s.destroy();
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it('returns every reply to its own caller, whatever the order of answers', async () => {
    const client = new FrameClient(socketTransport(socketPath), MAX_FRAME);
    const before = accepted.length;
    const replies = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const frame = await client.infer({ timeoutMs: i, headerLength: 0 }, [Buffer.from(`request ${i}`)], {
          timeoutMs: 5_000,
        });
        return frame.payload.toString();
      }),
    );
    expect(replies).toEqual(Array.from({ length: 40 }, (_, i) => [...`request ${i}`].reverse().join('')));
    expect(accepted.length - before).toBe(1);
    expect(client.inFlight).toBe(0);
    client.close();
  });

  it('withdraws an aborted request and still answers the others', async () => {
    const client = new FrameClient(socketTransport(socketPath), MAX_FRAME);
    const abort = new AbortController();
    const cut = client.infer({ timeoutMs: 0, headerLength: 0 }, [Buffer.from('cut')], {
      timeoutMs: 5_000,
      signal: abort.signal,
    });
    const kept = client.infer({ timeoutMs: 0, headerLength: 0 }, [Buffer.from('kept')], { timeoutMs: 5_000 });
    abort.abort();
    await expect(cut).rejects.toMatchObject({ name: 'AbortError' });
    expect((await kept).payload.toString()).toBe('tpek');
    client.close();
  });

  it('closes a connection that sends a malformed frame, failing what it had in flight', async () => {
    const client = new FrameClient(socketTransport(socketPath), MAX_FRAME);
    const pending = client.infer({ timeoutMs: 0, headerLength: 0 }, [Buffer.from('x')], { timeoutMs: 5_000 });
    // Bytes that are no frame, on the same connection: the runner hangs up.
    (client as unknown as { transport: { write(parts: Buffer[]): void } }).transport.write([
      Buffer.from([4, 0, 0, 0, 1, 2, 3, 4]),
    ]);
    await expect(pending).rejects.toMatchObject({ code: 'runner_failed' });
    expect(client.closed).toBe(true);
    await expect(
      client.infer({ timeoutMs: 0, headerLength: 0 }, [Buffer.from('x')], { timeoutMs: 5_000 }),
    ).rejects.toMatchObject({ code: 'runner_failed' });
  });

  it('fails a request the runner leaves unanswered past its deadline', async () => {
    const silent = path.join(dir, 'silent.sock');
    const mute = createServer((socket) => socket.on('data', () => {}));
    await new Promise<void>((resolve) => mute.listen(silent, resolve));
    const client = new FrameClient(socketTransport(silent), MAX_FRAME);
    await expect(
      client.infer({ timeoutMs: 0, headerLength: 0 }, [Buffer.from('x')], { timeoutMs: 50 }),
    ).rejects.toMatchObject({ code: 'runner_failed' });
    client.close();
    await new Promise((r) => mute.close(r));
  });
});

describe('a runner process killed with framed requests pending', () => {
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let host: LocalRunnerHost | undefined;
  afterAll(async () => {
    await host?.stop(1_000);
    await scratch?.cleanup();
  });

  it('rejects every pending request with runner_failed and never reuses their slots', async () => {
    scratch = await scratchDir();
    const modelPath = await writeModel(scratch.dir, 'slow.onnx', slowModelBytes());
    const slots = SharedMemorySlots.create({ maxSlots: 16, retainBytes: 1 << 20 });
    host = new LocalRunnerHost(
      {
        backend: 'onnx',
        modelPath,
        modelName: 'slow',
        modelVersion: '1',
        threads: 1,
        options: {},
        batching: { maxBatchSize: 1, maxQueueDelayMs: 0 },
        maxQueueSize: 64,
        timeoutMs: 30_000,
        maxBodyBytes: 8 << 20,
      },
      createLogger('silent'),
      { ...defaultRunnerTiming, backoffMinMs: 60_000 },
      slots,
    );
    await host.start();
    const connection = host.connection;
    if (!connection) throw new Error('no connection once ready');
    // 20,000 rows: 320 KB per request, so each goes through a shared-memory slot.
    const rows = 20_000;
    const encoded = encodeInferRequest(
      { inputs: [{ name: 'x', datatype: 'FP32', shape: [rows, 4], data: new Float32Array(rows * 4) }] },
      { binary: true },
    );
    const pending = Array.from({ length: 6 }, () =>
      connection.sendTensors('/v2/models/slow/infer', { ...encoded, timeoutMs: 30_000 }),
    );
    await new Promise((r) => setTimeout(r, 100));
    process.kill(host.pid as number, 'SIGKILL');
    const settled = await Promise.allSettled(pending);
    const failed = settled.filter((s) => s.status === 'rejected');
    // 20,000 rows through 24 MatMuls take seconds each: none can have finished.
    expect(failed.length).toBe(6);
    for (const s of failed)
      expect((s as PromiseRejectedResult).reason).toMatchObject({ code: 'runner_failed' });
    // Discarded slots are closed: a slot handed out now is a new file, never one of theirs.
    const next = slots?.acquire();
    expect(next && Number(next.ref.split('/')[2])).toBeGreaterThanOrEqual(6);
  }, 60_000);
});
