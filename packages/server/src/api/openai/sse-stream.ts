import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';

/** Data-only server-sent events, as OpenAI streams them: `data: <json>\n\n`, ending with `data: [DONE]`. */
export class SseStream {
  /** The stream a reply was taken over for: a held request's keep-alives and its chunks share it. */
  private static readonly opened = new WeakMap<FastifyReply, SseStream>();
  // A write to a closed socket neither throws nor drains, so the close is tracked here.
  private closed = false;

  private constructor(private readonly raw: ServerResponse) {
    raw.once('close', () => {
      this.closed = true;
    });
  }

  /** Takes the response over from Fastify, keeping the headers hooks already set (`x-request-id`). */
  static open(reply: FastifyReply): SseStream {
    const already = SseStream.opened.get(reply);
    if (already) return already;
    reply.hijack();
    const headers: OutgoingHttpHeaders = {
      ...Object.fromEntries(Object.entries(reply.getHeaders()).filter(([, v]) => v !== undefined)),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      // Reverse proxies (nginx) would otherwise hold chunks back.
      'x-accel-buffering': 'no',
    };
    reply.raw.writeHead(200, headers);
    const stream = new SseStream(reply.raw);
    SseStream.opened.set(reply, stream);
    return stream;
  }

  /** A comment line: clients and proxies see bytes, OpenAI clients ignore it (keep-alive). */
  comment(text: string): Promise<void> {
    return this.write(`: ${text}\n\n`);
  }

  send(data: unknown): Promise<void> {
    return this.write(`data: ${JSON.stringify(data)}\n\n`);
  }

  async done(): Promise<void> {
    await this.write('data: [DONE]\n\n');
    this.raw.end();
  }

  /** An error after the stream started: OpenAI's `{"error": {...}}` as the last event, no `[DONE]`. */
  fail(errorBody: unknown): void {
    if (this.closed || this.raw.writableEnded) return;
    this.raw.end(`data: ${JSON.stringify(errorBody)}\n\n`);
  }

  private async write(text: string): Promise<void> {
    if (this.closed || this.raw.writableEnded) return;
    if (this.raw.write(text) || this.closed) return;
    // Wait for a slow client to drain rather than buffer a whole generation in memory.
    await new Promise<void>((resolve) => {
      const settle = () => {
        this.raw.off('drain', settle);
        this.raw.off('close', settle);
        resolve();
      };
      this.raw.on('drain', settle);
      this.raw.on('close', settle);
    });
  }
}
