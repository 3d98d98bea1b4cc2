import { describe, expect, it } from 'vitest';
import { ReadBuffers } from '../src/runtime/runner/read-buffers.js';

describe('ReadBuffers', () => {
  it('hands a returned buffer to the next read of the same size, at offset 0', () => {
    const buffers = new ReadBuffers(1 << 20);
    const first = buffers.take(300_000);
    expect(first.byteOffset).toBe(0);
    expect(buffers.take(300_000)).not.toBe(first);
    buffers.give(first);
    expect(buffers.take(1_000)).not.toBe(first);
    expect(buffers.take(300_000)).toBe(first);
    expect(buffers.take(300_000)).not.toBe(first);
  });

  it('keeps no more than its bound between requests', () => {
    const buffers = new ReadBuffers(500_000);
    const [a, b] = [buffers.take(300_000), buffers.take(300_000)];
    buffers.give(a);
    buffers.give(b);
    expect(buffers.take(300_000)).toBe(a);
    expect(buffers.take(300_000)).not.toBe(b);
  });
});
