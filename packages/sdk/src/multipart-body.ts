import { randomBytes } from 'node:crypto';

export interface MultipartFrame {
  contentType: string;
  /** Everything before the file bytes: the `config` field and the file part's headers. */
  head: Uint8Array;
  tail: Uint8Array;
}

/**
 * Framing for a `multipart/form-data` upload whose file bytes are streamed between `head` and `tail`.
 * The config field goes first so the server stores it with the version. It has no Content-Type on
 * purpose: the server's multipart parser would otherwise decode it into an object, not a string.
 */
export function multipartFrame(configJson: string, fileName: string): MultipartFrame {
  const boundary = `modelport-${randomBytes(16).toString('hex')}`;
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="config"\r\n\r\n${configJson}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quoteSafe(fileName)}"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n';
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    head: Buffer.from(head),
    tail: Buffer.from(`\r\n--${boundary}--\r\n`),
  };
}

function quoteSafe(name: string): string {
  return name.replace(/["\r\n\\]/g, '_');
}
