import { describe, expect, it } from 'vitest';
import {
  bytesToTensorData,
  elementByteSize,
  tensorByteSize,
  tensorToBytes,
} from '../../src/wire/oip/index.js';
import type { Tensor } from '../../src/wire/tensor.js';
import { expectAppErrorSync } from '../support/expect-app-error.js';

describe('tensor bytes', () => {
  it('sizes elements by datatype', () => {
    expect(elementByteSize('BOOL')).toBe(1);
    expect(elementByteSize('FP16')).toBe(2);
    expect(elementByteSize('UINT64')).toBe(8);
    expect(elementByteSize('BYTES')).toBeUndefined();
  });

  it('writes numbers little-endian as a view of the same memory', () => {
    const data = Uint32Array.of(0x01020304);
    const bytes = tensorToBytes({ name: 'x', datatype: 'UINT32', shape: [1], data });
    expect([...bytes]).toEqual([4, 3, 2, 1]);
    expect(bytes.buffer).toBe(data.buffer);
  });

  it('writes BYTES with 4-byte length prefixes', () => {
    const tensor: Tensor = {
      name: 's',
      datatype: 'BYTES',
      shape: [2],
      data: [Uint8Array.of(9), new Uint8Array(0)],
    };
    expect(tensorByteSize(tensor)).toBe(9);
    expect([...tensorToBytes(tensor)]).toEqual([1, 0, 0, 0, 9, 0, 0, 0, 0]);
  });

  it('reads aligned bytes without a copy', () => {
    const backing = new Uint8Array(16);
    backing.set([0, 0, 0x80, 0x3f], 4);
    const data = bytesToTensorData('FP32', backing.subarray(4, 8), 1);
    expect(data).toEqual(Float32Array.of(1));
    expect((data as Float32Array).buffer).toBe(backing.buffer);
  });

  it('copies unaligned bytes into an aligned array', () => {
    const backing = new Uint8Array(16);
    backing.set([1, 0, 0, 0, 0, 0, 0, 0x80], 3);
    const data = bytesToTensorData('INT64', backing.subarray(3, 11), 1);
    expect(data).toEqual(BigInt64Array.of(-(2n ** 63n) + 1n));
    expect((data as BigInt64Array).buffer).not.toBe(backing.buffer);
  });

  it('refuses a byte count that does not match the element count', () => {
    expectAppErrorSync(
      () => bytesToTensorData('FP64', new Uint8Array(12), 2, "Input 'x'"),
      'invalid_binary_body',
      /Input 'x': 12 bytes do not match 2 FP64 elements × 8 bytes = 16/,
    );
  });
});
