import { setImmediate as nextTurn } from 'node:timers/promises';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameReader, portFrameWriter } from '../src/wire/runner/index.js';

const MAX_FRAME = 1 << 20;

/** A real port pair: what the far side receives, message by message. */
function portPair() {
  const { port1, port2 } = new MessageChannel();
  const received: ArrayBuffer[] = [];
  port2.on('message', (msg: ArrayBuffer) => received.push(msg));
  const writer = portFrameWriter((frames) => port1.postMessage(frames, [frames]));
  const close = () => {
    port1.close();
    port2.close();
  };
  return { writer, received, close };
}

async function settle(received: ArrayBuffer[], count: number): Promise<void> {
  for (let i = 0; i < 100 && received.length < count; i++) await nextTurn();
}

describe('frames over a runner thread port', () => {
  it('sends the frames of one event-loop turn as one message, read back in order', async () => {
    const { writer, received, close } = portPair();
    try {
      for (let id = 1; id <= 5; id++)
        writer.write(encodeFrame('reply', id, { status: 200 }, [Buffer.alloc(id * 3, id)]));
      expect(received).toHaveLength(0);
      await settle(received, 1);
      await nextTurn();
      expect(received).toHaveLength(1);
      const frames = new FrameReader(MAX_FRAME, false).push(Buffer.from(received[0] as ArrayBuffer));
      expect(frames.map((f) => f.id)).toEqual([1, 2, 3, 4, 5]);
      for (const frame of frames)
        expect(frame.payload.equals(Buffer.alloc(frame.id * 3, frame.id))).toBe(true);
    } finally {
      close();
    }
  });

  it('sends frames of later turns in later messages, and posts at once on flush', async () => {
    const { writer, received, close } = portPair();
    try {
      writer.write(encodeFrame('cancel', 1, {}));
      await settle(received, 1);
      writer.write(encodeFrame('cancel', 2, {}));
      writer.flush();
      writer.write(encodeFrame('cancel', 3, {}));
      await settle(received, 3);
      await nextTurn();
      const reader = new FrameReader(MAX_FRAME, false);
      const ids = received.map((msg) => reader.push(Buffer.from(msg)).map((f) => f.id));
      expect(ids).toEqual([[1], [2], [3]]);
    } finally {
      close();
    }
  });
});
