/** One server-sent event as the wire carries it. */
export interface SseMessage {
  event: string;
  data: string;
  id: string | undefined;
}

/**
 * Server-sent events from a byte stream (the `text/event-stream` format): `event`, `data` (lines
 * joined with `\n`) and `id` fields, an empty line ending each event; comments (`:`) are skipped.
 * `onBytes` is told of every chunk, so an idle timeout counts keep-alives as progress.
 */
export async function* parseSse(
  body: AsyncIterable<Uint8Array>,
  onBytes: () => void = () => undefined,
): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  for await (const chunk of body) {
    onBytes();
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.search(/\r\n|\n|\r/);
    while (newline >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(buffer.startsWith('\r\n', newline) ? newline + 2 : newline + 1);
      newline = buffer.search(/\r\n|\n|\r/);
      if (line === '') {
        if (data.length > 0) yield { event: event || 'message', data: data.join('\n'), id };
        event = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
  }
}
