/**
 * Test-only ustar writer. node-tar refuses to create hostile archives (`../`, absolute paths,
 * devices), so these are written by hand: 512-byte headers with a valid checksum.
 */

export interface RawTarEntry {
  path: string;
  /** ustar type flag: '0' file, '1' hard link, '2' symlink, '3' char device, '5' directory, '6' FIFO. */
  type?: string;
  data?: Buffer | string;
  linkpath?: string;
}

const BLOCK = 512;

function writeString(block: Buffer, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length) throw new Error(`'${value}' does not fit a ${length}-byte tar field`);
  bytes.copy(block, offset);
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  writeString(block, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

export function tarHeader(entry: RawTarEntry, size: number): Buffer {
  const block = Buffer.alloc(BLOCK, 0);
  const type = entry.type ?? '0';
  writeString(block, 0, 100, entry.path);
  writeOctal(block, 100, 8, type === '5' ? 0o755 : 0o644);
  writeOctal(block, 108, 8, 1000);
  writeOctal(block, 116, 8, 1000);
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, 1_700_000_000);
  block.fill(0x20, 148, 156); // the checksum is computed with its own field as spaces
  writeString(block, 156, 1, type);
  writeString(block, 157, 100, entry.linkpath ?? '');
  writeString(block, 257, 6, 'ustar\0');
  writeString(block, 263, 2, '00');
  writeString(block, 265, 32, 'test');
  writeString(block, 297, 32, 'test');
  writeOctal(block, 329, 8, 0);
  writeOctal(block, 337, 8, 0);
  let sum = 0;
  for (const byte of block) sum += byte;
  writeString(block, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

/** A whole archive: each entry's header and padded data, then the two zero end blocks. */
export function buildTar(entries: RawTarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data) : (entry.data ?? Buffer.alloc(0));
    parts.push(tarHeader(entry, data.length), data);
    const padding = (BLOCK - (data.length % BLOCK)) % BLOCK;
    parts.push(Buffer.alloc(padding, 0));
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0));
  return Buffer.concat(parts);
}
