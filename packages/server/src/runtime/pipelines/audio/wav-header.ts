import { audioTooLong, invalidAudio, unsupportedAudio } from './audio-errors.js';
import { MAX_AUDIO_SECONDS, MAX_CHANNELS, MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from './audio-limits.js';

export interface WavLayout {
  encoding: 'int' | 'float';
  /** Bytes per sample of one channel (the container; 24-bit samples may sit in 4 bytes). */
  sampleBytes: number;
  channels: number;
  sampleRate: number;
  /** Bytes per frame: one sample of every channel. */
  blockAlign: number;
}

export interface WavHeader extends WavLayout {
  dataOffset: number;
  frames: number;
  durationS: number;
}

interface ChunkRef {
  /** Offset of the chunk's body, after its 8-byte id and size. */
  offset: number;
  size: number;
}

const formatNames: Record<number, string> = {
  2: 'MS ADPCM',
  6: 'A-law',
  7: 'µ-law',
  17: 'IMA ADPCM',
  49: 'GSM 6.10',
  80: 'MPEG',
  85: 'MP3',
};

/** Reads and checks the header; nothing past the fmt and data chunk headers is touched. */
export function parseWavHeader(bytes: Uint8Array): WavHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { fmt, data } = findChunks(view);
  return withData(parseFmt(view, fmt), data, bytes.byteLength);
}

function fourCC(view: DataView, at: number): string {
  return String.fromCharCode(
    view.getUint8(at),
    view.getUint8(at + 1),
    view.getUint8(at + 2),
    view.getUint8(at + 3),
  );
}

/** Walks the RIFF chunks after `RIFF<size>WAVE`; the RIFF size itself is ignored, writers often get it wrong. */
function findChunks(view: DataView): { fmt: ChunkRef; data: ChunkRef } {
  let fmt: ChunkRef | undefined;
  let at = 12;
  while (at + 8 <= view.byteLength) {
    const id = fourCC(view, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (body + size > view.byteLength) throw invalidAudio('the fmt chunk is truncated');
      fmt = { offset: body, size };
    } else if (id === 'data') {
      if (!fmt) throw invalidAudio('the data chunk comes before the fmt chunk');
      return { fmt, data: { offset: body, size } };
    }
    // Chunks are padded to an even length.
    at = body + size + (size & 1);
  }
  throw invalidAudio(`no ${fmt ? 'data' : 'fmt'} chunk (the file may be truncated)`);
}

function parseFmt(view: DataView, fmt: ChunkRef): WavLayout {
  if (fmt.size < 16) throw invalidAudio(`the fmt chunk has ${fmt.size} bytes, at least 16 are needed`);
  const o = fmt.offset;
  const tag = view.getUint16(o, true);
  const channels = view.getUint16(o + 2, true);
  const sampleRate = view.getUint32(o + 4, true);
  const blockAlign = view.getUint16(o + 12, true);
  const bitsPerSample = view.getUint16(o + 14, true);
  const encoding = encodingOf(tag === 0xfffe ? extensibleSubFormat(view, fmt) : tag);
  if (channels < 1 || channels > MAX_CHANNELS) throw invalidAudio(`${channels} channels`);
  if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE)
    throw invalidAudio(`sample rate ${sampleRate} Hz is outside ${MIN_SAMPLE_RATE}–${MAX_SAMPLE_RATE} Hz`);
  const sampleBytes = blockAlign / channels;
  if (!Number.isInteger(sampleBytes) || sampleBytes === 0)
    throw invalidAudio(`a ${blockAlign}-byte frame cannot hold ${channels} channels`);
  checkWidth(encoding, sampleBytes, bitsPerSample);
  return { encoding, sampleBytes, channels, sampleRate, blockAlign };
}

/** WAVE_FORMAT_EXTENSIBLE keeps the real format code in the first two bytes of its sub-format GUID. */
function extensibleSubFormat(view: DataView, fmt: ChunkRef): number {
  if (fmt.size < 40) throw invalidAudio('a WAVE_FORMAT_EXTENSIBLE fmt chunk needs 40 bytes');
  return view.getUint16(fmt.offset + 24, true);
}

function encodingOf(tag: number): WavLayout['encoding'] {
  if (tag === 1) return 'int';
  if (tag === 3) return 'float';
  throw unsupportedAudio(`WAV encoding ${formatNames[tag] ?? `0x${tag.toString(16).padStart(4, '0')}`}`);
}

/** Samples narrower than their container (12 bits in 2 bytes, 24 in 4) are left-justified, so read whole. */
function checkWidth(encoding: WavLayout['encoding'], sampleBytes: number, bitsPerSample: number): void {
  const widths = encoding === 'int' ? [1, 2, 3, 4] : [4, 8];
  if (!widths.includes(sampleBytes))
    throw unsupportedAudio(
      `${encoding === 'int' ? 'Integer' : 'Float'} WAV with ${sampleBytes} bytes per sample`,
    );
  const fits =
    encoding === 'int'
      ? bitsPerSample > 0 && bitsPerSample <= sampleBytes * 8
      : bitsPerSample === sampleBytes * 8;
  if (!fits) throw invalidAudio(`${bitsPerSample} bits per sample do not fit ${sampleBytes}-byte samples`);
}

function withData(layout: WavLayout, data: ChunkRef, fileLength: number): WavHeader {
  const available = fileLength - data.offset;
  // Writers that stream to a pipe cannot seek back, and leave the size at its maximum.
  const declared = data.size === 0xffffffff ? available : data.size;
  const frames = Math.floor(declared / layout.blockAlign);
  const durationS = frames / layout.sampleRate;
  // Checked before truncation, so a header claiming hours is refused without reading further.
  if (durationS > MAX_AUDIO_SECONDS)
    throw audioTooLong(
      `The audio lasts ${Math.round(durationS)} s; at most ${MAX_AUDIO_SECONDS} s (${MAX_AUDIO_SECONDS / 60} minutes) are accepted.`,
    );
  if (declared > available)
    throw invalidAudio(`the data chunk declares ${declared} bytes but ${available} follow (truncated file)`);
  if (frames === 0) throw invalidAudio('the audio holds no samples');
  return { ...layout, dataOffset: data.offset, frames, durationS };
}
