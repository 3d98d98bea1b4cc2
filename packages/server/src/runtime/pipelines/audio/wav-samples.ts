import type { WavHeader, WavLayout } from './wav-header.js';

/** Every channel averaged into one, as float32 in [-1, 1] (float WAVs may exceed it; kept as sent). */
export function monoSamples(bytes: Uint8Array, header: WavHeader): Float32Array {
  const view = new DataView(
    bytes.buffer,
    bytes.byteOffset + header.dataOffset,
    header.frames * header.blockAlign,
  );
  const read = sampleReader(view, header);
  const { channels, sampleBytes } = header;
  const scale = 1 / channels;
  const out = new Float32Array(header.frames);
  let at = 0;
  for (let frame = 0; frame < out.length; frame++) {
    let sum = 0;
    for (let c = 0; c < channels; c++, at += sampleBytes) sum += read(at);
    out[frame] = sum * scale;
  }
  return out;
}

/** Full-scale integers map to ±1; samples narrower than their container are left-justified in it. */
function sampleReader(view: DataView, layout: WavLayout): (at: number) => number {
  if (layout.encoding === 'float')
    return layout.sampleBytes === 4
      ? (at) => finite(view.getFloat32(at, true))
      : (at) => finite(view.getFloat64(at, true));
  switch (layout.sampleBytes) {
    case 1:
      return (at) => (view.getUint8(at) - 128) / 128;
    case 2:
      return (at) => view.getInt16(at, true) / 32_768;
    case 3:
      return (at) =>
        (view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16)) / 8_388_608;
    default:
      return (at) => view.getInt32(at, true) / 2_147_483_648;
  }
}

/** NaN or infinity in one sample would spread through the log-mel spectrogram of a whole window. */
function finite(value: number): number {
  return Number.isFinite(value) ? value : 0;
}
