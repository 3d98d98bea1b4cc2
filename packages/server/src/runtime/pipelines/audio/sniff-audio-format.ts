/** Container formats recognised by their leading bytes, so refusals can name what was sent. */
export type SniffedAudio =
  | 'wav'
  | 'rifx'
  | 'rf64'
  | 'flac'
  | 'ogg'
  | 'mp3'
  | 'mp4'
  | 'webm'
  | 'aiff'
  | 'unknown';

export const audioFormatNames: Record<Exclude<SniffedAudio, 'wav' | 'unknown'>, string> = {
  rifx: 'Big-endian WAV (RIFX)',
  rf64: 'RF64/BW64 (WAV over 4 GB)',
  flac: 'FLAC',
  ogg: 'Ogg (Vorbis/Opus)',
  mp3: 'MP3',
  mp4: 'MP4/M4A',
  webm: 'WebM/Matroska',
  aiff: 'AIFF',
};

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

export function sniffAudioFormat(bytes: Uint8Array): SniffedAudio {
  const head = ascii(bytes, 0, 4);
  if (head === 'RIFF') return ascii(bytes, 8, 4) === 'WAVE' ? 'wav' : 'unknown';
  if (head === 'RIFX') return 'rifx';
  if (head === 'RF64' || head === 'BW64') return 'rf64';
  if (head === 'fLaC') return 'flac';
  if (head === 'OggS') return 'ogg';
  if (head.startsWith('ID3') || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0)) return 'mp3';
  if (ascii(bytes, 4, 4) === 'ftyp') return 'mp4';
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return 'webm';
  if (head === 'FORM' && ['AIFF', 'AIFC'].includes(ascii(bytes, 8, 4))) return 'aiff';
  return 'unknown';
}
