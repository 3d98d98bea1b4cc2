import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../../src/formats/sniff.js';
import { expectAppErrorSync } from '../support/expect-app-error.js';
import { buildGguf, gguf } from '../support/gguf-writer.js';
import { identityModel } from '../support/onnx-builder.js';
import { sharedModelFile } from '../support/shared-models.js';
import { buildTar } from '../support/tar-writer.js';

/** Deterministic pseudo-random bytes (an LCG), so a failure is reproducible. */
function noise(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    out[i] = state >> 16;
  }
  return out;
}

const head = (buf: Buffer) => buf.subarray(0, 4096);

describe('sniffFormat', () => {
  it('recognises GGUF v2 and v3', () => {
    expect(sniffFormat(head(buildGguf({ kv: [['general.architecture', gguf.str('llama')]] })))).toBe('gguf');
    expect(sniffFormat(head(buildGguf({ version: 2 })))).toBe('gguf');
  });

  it('refuses other GGUF versions, naming the version', () => {
    expectAppErrorSync(() => sniffFormat(buildGguf({ version: 1 })), 'invalid_artifact', /version 1\b/);
    expectAppErrorSync(() => sniffFormat(buildGguf({ version: 4 })), 'invalid_artifact', /version 4\b/);
    expectAppErrorSync(() => sniffFormat(Buffer.from('GGUF')), 'invalid_artifact', /truncated/);
  });

  it('recognises a ustar archive', () => {
    expect(sniffFormat(head(buildTar([{ path: 'config.json', data: '{}' }])))).toBe('tar');
  });

  it('recognises an ONNX ModelProto by its first fields', () => {
    expect(sniffFormat(head(identityModel()))).toBe('onnx');
  });

  it('recognises a ModelProto whose first field is larger than the head', () => {
    const graphFirst = Buffer.concat([Buffer.from([0x3a, 0xe8, 0x07, 0x0a, 0x10]), Buffer.alloc(50)]);
    expect(sniffFormat(graphFirst)).toBe('onnx');
  });

  const mnist = sharedModelFile('mnist/mnist.onnx');
  it.skipIf(mnist.skip)('recognises the real mnist.onnx', async () => {
    expect(sniffFormat(head(await readFile(mnist.file)))).toBe('onnx');
  });

  it('refuses pickles of protocol 2 to 5', () => {
    for (const protocol of [2, 3, 4, 5]) {
      const pickle = Buffer.from([0x80, protocol, 0x95, 0, 0, 0, 0, 0, 0, 0, 0x7d, 0x94, 0x2e]);
      expectAppErrorSync(() => sniffFormat(pickle), 'forbidden_artifact_format', /pickle.*arbitrary code/i);
    }
  });

  it('refuses zip archives (PyTorch .pt, .npz, any zip)', () => {
    const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), noise(100, 1)]);
    expectAppErrorSync(() => sniffFormat(zip), 'forbidden_artifact_format', /zip/i);
    const emptyZip = Buffer.concat([Buffer.from('PK\x05\x06', 'latin1'), Buffer.alloc(18)]);
    expectAppErrorSync(() => sniffFormat(emptyZip), 'forbidden_artifact_format', /zip/i);
  });

  it('refuses zlib streams as written by joblib', () => {
    for (const level of [0x01, 0x5e, 0x9c, 0xda]) {
      expectAppErrorSync(
        () => sniffFormat(Buffer.from([0x78, level, 1, 2, 3])),
        'forbidden_artifact_format',
        /joblib/,
      );
    }
  });

  it('names gzip and asks for an uncompressed tar', () => {
    const gz = gzipSync(buildTar([{ path: 'config.json', data: '{}' }]));
    expectAppErrorSync(
      () => sniffFormat(head(gz)),
      'unsupported_artifact_format',
      /gzip.*upload an uncompressed tar/,
    );
  });

  it('names safetensors, NumPy and HDF5', () => {
    const json = Buffer.from('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}');
    const safetensors = Buffer.concat([Buffer.alloc(8), json]);
    safetensors.writeBigUInt64LE(BigInt(json.length));
    expectAppErrorSync(() => sniffFormat(safetensors), 'unsupported_artifact_format', /safetensors/);
    const npy = Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY\x01\x00v\x00{')]);
    expectAppErrorSync(() => sniffFormat(npy), 'unsupported_artifact_format', /NumPy/);
    const hdf5 = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
    expectAppErrorSync(() => sniffFormat(hdf5), 'unsupported_artifact_format', /HDF5/);
  });

  it('refuses random bytes and text as unsupported', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const bytes = noise(4096, seed);
      if (bytes[0] === 0x80 || bytes[0] === 0x78 || bytes[0] === 0x50) bytes[0] = 0xff;
      expectAppErrorSync(() => sniffFormat(bytes), 'unsupported_artifact_format', /expected ONNX, GGUF/);
    }
    expectAppErrorSync(() => sniffFormat(Buffer.from('hello, world\n')), 'unsupported_artifact_format');
    expectAppErrorSync(() => sniffFormat(Buffer.from('{"a": 1}')), 'unsupported_artifact_format');
  });

  it('refuses a protobuf-looking head whose string field is not UTF-8', () => {
    const bad = Buffer.from([0x08, 0x08, 0x12, 0x02, 0xff, 0xfe]);
    expectAppErrorSync(() => sniffFormat(bad), 'unsupported_artifact_format');
  });

  it('reports an empty artifact', () => {
    expectAppErrorSync(() => sniffFormat(Buffer.alloc(0)), 'empty_artifact');
  });
});
