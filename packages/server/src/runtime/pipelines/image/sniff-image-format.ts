/** Formats sharp may decode, told apart by their leading bytes before any decoder sees them. */
export type SupportedImage = 'png' | 'jpeg' | 'webp' | 'gif';

export type SniffedImage =
  | SupportedImage
  | 'tiff'
  | 'bmp'
  | 'heif'
  | 'svg'
  | 'ico'
  | 'psd'
  | 'jxl'
  | 'unknown';

export const imageFormatNames: Record<Exclude<SniffedImage, SupportedImage | 'unknown'>, string> = {
  tiff: 'TIFF',
  bmp: 'BMP',
  heif: 'HEIF/AVIF',
  svg: 'SVG',
  ico: 'ICO',
  psd: 'PSD',
  jxl: 'JPEG XL',
};

/** ISO-BMFF major brands of still images; other `ftyp` files are video or audio (MP4, M4A). */
const heifBrands = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'avif', 'avis']);

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** SVG is text: look for the root element near the start, past an XML prolog or comments. */
function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 1024)).trimStart();
  return head.startsWith('<') && /<svg[\s>]/i.test(head);
}

export function sniffImageFormat(bytes: Uint8Array): SniffedImage {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(bytes, 0, 4) === 'II*\0' || ascii(bytes, 0, 4) === 'MM\0*') return 'tiff';
  // BMP's two-letter magic is common in text; its four reserved header bytes must be zero too.
  if (ascii(bytes, 0, 2) === 'BM' && bytes.length > 10 && startsWith(bytes.subarray(6), [0, 0, 0, 0]))
    return 'bmp';
  if (ascii(bytes, 4, 4) === 'ftyp' && heifBrands.has(ascii(bytes, 8, 4))) return 'heif';
  if (startsWith(bytes, [0x00, 0x00, 0x01, 0x00])) return 'ico';
  if (ascii(bytes, 0, 4) === '8BPS') return 'psd';
  if (startsWith(bytes, [0xff, 0x0a]) || ascii(bytes, 4, 4) === 'JXL ') return 'jxl';
  if (looksLikeSvg(bytes)) return 'svg';
  return 'unknown';
}
