import { invalidAudio } from './audio-errors.js';

/** The bytes of base64 audio; a `data:<type>;base64,` prefix (as browsers produce) is allowed. */
export function audioFromBase64(text: string): Uint8Array {
  const comma = text.startsWith('data:') ? text.indexOf(',') : -1;
  const body = comma >= 0 ? text.slice(comma + 1) : text;
  const bytes = Buffer.from(body, 'base64');
  if (bytes.byteLength === 0) throw invalidAudio('the audio is empty');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
