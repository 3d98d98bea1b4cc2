import { open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectGguf } from '../../src/formats/gguf-inspect.js';
import { expectAppError } from '../support/expect-app-error.js';
import { buildGguf, buildGgufHeader, type GgufSpec, type GgufValue, gguf } from '../support/gguf-writer.js';
import { sharedModelFile } from '../support/shared-models.js';
import { useTempDir } from '../support/temp-dir.js';

const tempDir = useTempDir('gguf');

async function writeGguf(spec: GgufSpec | Buffer): Promise<string> {
  const file = path.join(await tempDir(), 'model.gguf');
  await writeFile(file, Buffer.isBuffer(spec) ? spec : buildGguf(spec));
  return file;
}

const llamaKv: [string, GgufValue][] = [
  ['general.architecture', gguf.str('llama')],
  ['general.name', gguf.str('tiny-test')],
  ['general.alignment', gguf.u32(64)],
  ['llama.context_length', gguf.u32(4096)],
  ['llama.embedding_length', gguf.u64(64n)],
  ['llama.block_count', gguf.u32(2)],
  ['general.file_type', gguf.u32(7)],
  ['llama.rope.freq_base', gguf.f32(10000)],
  ['tokenizer.ggml.add_bos_token', gguf.bool(true)],
  ['tokenizer.ggml.tokens', gguf.strings(['<s>', '</s>', 'hello', 'wörld'])],
  ['tokenizer.ggml.token_type', gguf.u32s([3, 3, 1, 1])],
  ['test.nested', gguf.nested([[1, 2], [], [3]])],
  ['tokenizer.chat_template', gguf.str('{% for m in messages %}{{ m.content }}{% endfor %}')],
];

describe('inspectGguf', () => {
  it('reads metadata, tensor count, parameter count and quantization', async () => {
    const file = await writeGguf({
      kv: llamaKv,
      alignment: 64,
      tensors: [
        { name: 'token_embd.weight', dims: [64, 16], type: 'Q8_0' },
        { name: 'output_norm.weight', dims: [64], type: 'F32' },
      ],
    });
    expect(await inspectGguf(file)).toEqual({
      ggufVersion: 3,
      architecture: 'llama',
      name: 'tiny-test',
      contextLength: 4096,
      embeddingLength: 64,
      blockCount: 2,
      parameterCount: 64 * 16 + 64,
      tensorCount: 2,
      quantization: 'Q8_0',
      hasChatTemplate: true,
    });
  });

  it('falls back to the dominant tensor type without general.file_type, and reads v2', async () => {
    const file = await writeGguf({
      version: 2,
      kv: [['general.architecture', gguf.str('gpt2')]],
      tensors: [
        { name: 'a', dims: [32, 8], type: 'Q8_0' },
        { name: 'b', dims: [4], type: 'F32' },
        { name: 'c', dims: [4], type: 'F32' },
      ],
    });
    const meta = await inspectGguf(file);
    expect(meta).toMatchObject({
      ggufVersion: 2,
      quantization: 'Q8_0',
      contextLength: null,
      hasChatTemplate: false,
    });
    expect(meta.name).toBeNull();
  });

  it('refuses a tensor whose data runs past the end of the file', async () => {
    const file = await writeGguf({ tensors: [{ name: 'w', dims: [8], type: 'F32', offset: 1024n * 1024n }] });
    await expectAppError(inspectGguf(file), 'invalid_artifact', /'w'.*past the end/);
  });

  it('refuses a misaligned tensor offset', async () => {
    const file = await writeGguf({
      tensors: [
        { name: 'a', dims: [8], type: 'F32' },
        { name: 'b', dims: [8], type: 'F32', offset: 4n },
      ],
    });
    await expectAppError(
      inspectGguf(file),
      'invalid_artifact',
      /'b' offset 4 is not a multiple of the alignment 32/,
    );
  });

  it('refuses a string length larger than the file', async () => {
    const huge = gguf.raw(8, Buffer.concat([gguf.u64Bytes(2n ** 40n), Buffer.from('abc')]));
    const file = await writeGguf({ kv: [['general.name', huge]] });
    await expectAppError(inspectGguf(file), 'invalid_artifact', /length .* exceeds the limit/);
  });

  it('refuses a string length that runs past the end of the file', async () => {
    const long = gguf.raw(8, Buffer.concat([gguf.u64Bytes(1000n), Buffer.from('abc')]));
    await expectAppError(
      inspectGguf(await writeGguf({ kv: [['x', long]] })),
      'invalid_artifact',
      /past the end/,
    );
  });

  it('refuses an array count the file cannot hold', async () => {
    const huge = gguf.raw(9, Buffer.concat([gguf.u32Bytes(4), gguf.u64Bytes(2n ** 40n)]));
    const file = await writeGguf({ kv: [['tokenizer.ggml.scores', huge]] });
    await expectAppError(inspectGguf(file), 'invalid_artifact', /array of 1099511627776 elements/);
  });

  it('refuses a tensor count above the limit or beyond what the file holds', async () => {
    await expectAppError(
      inspectGguf(await writeGguf({ tensorCount: 2n ** 31n })),
      'invalid_artifact',
      /exceed/,
    );
    await expectAppError(
      inspectGguf(await writeGguf({ tensorCount: 5000n })),
      'invalid_artifact',
      /do not fit/,
    );
  });

  it('refuses a metadata count beyond what the file holds', async () => {
    await expectAppError(
      inspectGguf(await writeGguf({ kvCount: 2n ** 62n })),
      'invalid_artifact',
      /metadata/,
    );
  });

  it('refuses a truncated file at every cut point of the header', async () => {
    const full = buildGguf({ kv: llamaKv, tensors: [{ name: 'w', dims: [64], type: 'F32' }] });
    const dir = await tempDir();
    for (const cut of [6, 20, 40, 200, full.length - 300, full.length - 1]) {
      const file = path.join(dir, `cut-${cut}.gguf`);
      await writeFile(file, full.subarray(0, cut));
      await expectAppError(inspectGguf(file), 'invalid_artifact');
    }
  });

  it('refuses version 1', async () => {
    await expectAppError(inspectGguf(await writeGguf({ version: 1 })), 'invalid_artifact', /version 1 /);
  });

  it('refuses unknown ggml types, bad alignment and duplicate keys', async () => {
    const unknownType = buildGguf({ tensors: [{ name: 'w', dims: [8], type: 'F32' }] });
    const typeAt = unknownType.indexOf(Buffer.from('w')) + 1 + 4 + 8;
    unknownType.writeUInt32LE(4, typeAt); // Q4_2, removed from ggml
    await expectAppError(
      inspectGguf(await writeGguf(unknownType)),
      'invalid_artifact',
      /unknown ggml type 4/,
    );
    const badAlign = await writeGguf({ kv: [['general.alignment', gguf.u32(48)]] });
    await expectAppError(inspectGguf(badAlign), 'invalid_artifact', /power of two/);
    const dup = await writeGguf({
      kv: [
        ['a', gguf.u32(1)],
        ['a', gguf.u32(2)],
      ],
    });
    await expectAppError(inspectGguf(dup), 'invalid_artifact', /duplicate/);
  });

  it('reads a tensor of several GB without loading it', async () => {
    const elements = 1.5 * 1024 ** 3;
    const { header, dataStart, dataBytes } = buildGgufHeader({
      tensors: [{ name: 'w', dims: [elements], type: 'F32' }],
    });
    const file = path.join(await tempDir(), 'big.gguf');
    const handle = await open(file, 'w');
    try {
      await handle.write(header);
      // Extending the file leaves a sparse hole, so the 6 GB tensor costs no disk and no time.
      await handle.truncate(dataStart + dataBytes);
    } finally {
      await handle.close();
    }
    expect((await inspectGguf(file)).parameterCount).toBe(elements);
  });

  const stories = sharedModelFile('stories260k/stories260K.gguf');
  it.skipIf(stories.skip)('reads the real stories260K.gguf', async () => {
    const meta = await inspectGguf(stories.file);
    expect(meta).toMatchObject({
      ggufVersion: 3,
      architecture: 'llama',
      contextLength: 2048,
      embeddingLength: 64,
      blockCount: 5,
      hasChatTemplate: false,
      quantization: 'F32',
    });
    expect(meta.parameterCount).toBeGreaterThan(250_000);
    expect(meta.parameterCount).toBeLessThan(300_000);
  });
});
