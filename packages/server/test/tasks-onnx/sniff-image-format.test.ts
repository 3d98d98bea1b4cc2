import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { sniffImageFormat } from '../../src/runtime/pipelines/image/index.js';

const pixel = () => sharp({ create: { width: 1, height: 1, channels: 3, background: '#808080' } });

describe('image formats told apart by content', () => {
  it('recognises the four decoded formats', async () => {
    expect(sniffImageFormat(await pixel().png().toBuffer())).toBe('png');
    expect(sniffImageFormat(await pixel().jpeg().toBuffer())).toBe('jpeg');
    expect(sniffImageFormat(await pixel().webp().toBuffer())).toBe('webp');
    expect(sniffImageFormat(await pixel().gif().toBuffer())).toBe('gif');
  });

  it('names formats it refuses, so the 415 can say which', async () => {
    expect(sniffImageFormat(await pixel().tiff().toBuffer())).toBe('tiff');
    expect(sniffImageFormat(await pixel().avif().toBuffer())).toBe('heif');
    expect(sniffImageFormat(Buffer.from('<!-- logo -->\n<svg viewBox="0 0 1 1"></svg>'))).toBe('svg');
  });

  it('leaves text and other ISO-BMFF files (MP4) unknown', () => {
    expect(sniffImageFormat(Buffer.from('BMW sales by quarter, 2024'))).toBe('unknown');
    expect(sniffImageFormat(Buffer.from('\0\0\0\x18ftypisom\0\0\0\0'))).toBe('unknown');
    expect(sniffImageFormat(new Uint8Array(0))).toBe('unknown');
  });
});
