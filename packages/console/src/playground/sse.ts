/**
 * The `data:` payloads of a server-sent event stream, one per event, as they arrive (OpenAI's
 * streams are data-only; comment lines are keep-alives and are skipped).
 */
export async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end = eventEnd(buffer);
      while (end) {
        const event = buffer.slice(0, end.at);
        buffer = buffer.slice(end.at + end.length);
        const data = event
          .split(/\r?\n/)
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
          .join('\n');
        if (data !== '') yield data;
        end = eventEnd(buffer);
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/** Where the first event ends (a blank line, `\n\n` or `\r\n\r\n`). */
function eventEnd(buffer: string): { at: number; length: number } | null {
  const lf = buffer.indexOf('\n\n');
  const crlf = buffer.indexOf('\r\n\r\n');
  if (lf < 0 && crlf < 0) return null;
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { at: crlf, length: 4 };
  return { at: lf, length: 2 };
}
