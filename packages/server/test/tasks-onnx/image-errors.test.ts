import { readFile } from 'node:fs/promises';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { PredictRequest } from '../../src/wire/predict.js';
import {
  expectAppError,
  imageRequest,
  mnistPipeline,
  predict,
  unloadModels,
} from '../support/onnx-task-fixtures.js';
import { sharedModel } from '../support/shared-models.js';

afterAll(unloadModels);

function chunk(type: string, body: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A PNG whose header claims `width`×`height` gray pixels, with one empty row of data. */
function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const idat = zlib.deflateSync(Buffer.alloc(1 + width));
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

async function refusal(bytes: Uint8Array | PredictRequest, ctx: { skip: (note?: string) => void }) {
  const request = bytes instanceof Uint8Array ? imageRequest(bytes) : bytes;
  return predict(await mnistPipeline(ctx), request);
}

describe('images the pipeline refuses', () => {
  it('a truncated PNG is a 400 naming the decoder failure', async (ctx) => {
    const png = await readFile(sharedModel('squeezenet1.0-fp16/kitten_224.png', ctx));
    const corrupt = Buffer.concat([png.subarray(0, 300), Buffer.alloc(300, 0x55)]);
    await expectAppError(refusal(corrupt, ctx), {
      code: 'validation_failed',
      status: 400,
      message: /^Invalid image: the PNG data cannot be decoded \(.+\)$/,
    });
  });

  it('a text file is a 400: not an image', async (ctx) => {
    const text = Buffer.from('name,score\nalice,3\n');
    const err = await expectAppError(refusal(text, ctx), {
      code: 'validation_failed',
      status: 400,
      message: /not a PNG, JPEG, WebP or GIF image/,
    });
    expect(err.param).toBe('image');
  });

  it('zero bytes are a 400: empty image', async (ctx) => {
    await expectAppError(refusal(new Uint8Array(0), ctx), {
      code: 'validation_failed',
      status: 400,
      message: /empty \(0 bytes\)/,
    });
  });

  it('a string that is not base64 is a 400', async (ctx) => {
    await expectAppError(refusal({ task: 'image-classification', image: 'not base64!' }, ctx), {
      code: 'validation_failed',
      status: 400,
      message: /image-classification request, image/,
    });
  });

  it('topK above 100 is a 400', async (ctx) => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    await expectAppError(refusal(imageRequest(png, 101), ctx), {
      code: 'validation_failed',
      status: 400,
      message: /topK/,
    });
  });

  it('image formats sharp knows but the pipeline does not take (TIFF, SVG) are a 415 before any decoding', async (ctx) => {
    const tiff = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
      .tiff()
      .toBuffer();
    const svg = Buffer.from(
      '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>',
    );
    for (const [bytes, name] of [
      [tiff, 'TIFF'],
      [svg, 'SVG'],
    ] as const) {
      await expectAppError(refusal(bytes, ctx), {
        code: 'unsupported_media',
        status: 415,
        message: new RegExp(`^${name} is not supported; send PNG, JPEG, WebP or GIF\\.$`),
      });
    }
  });

  it('more than 40 megapixels is a 413, read from the header without decoding', async (ctx) => {
    await expectAppError(refusal(pngHeader(8000, 5001), ctx), {
      code: 'media_too_large',
      status: 413,
      message: /8000×5001 pixels; at most 40 megapixels/,
    });
    // A bomb: a few dozen bytes claiming 10 gigapixels.
    await expectAppError(refusal(pngHeader(100_000, 100_000), ctx), {
      code: 'media_too_large',
      status: 413,
      message: /100000×100000 pixels/,
    });
  });

  it('a request for another task is task_not_supported', async (ctx) => {
    await expectAppError(refusal({ task: 'tabular', rows: [{ a: 1 }] }, ctx), {
      code: 'task_not_supported',
      status: 400,
      message: /does image-classification, not tabular/,
    });
  });
});
