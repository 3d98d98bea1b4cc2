import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';

/**
 * Named server-sent events (`id`, `event`, `data` lines), for management streams a client follows
 * with `EventSource` or `curl -N`. `closed` aborts when the client goes away.
 */
export class EventStream {
  private readonly abort = new AbortController();

  private constructor(private readonly raw: ServerResponse) {
    raw.once('close', () => this.abort.abort());
  }

  /** Takes the response over from Fastify, keeping the headers hooks already set (`x-request-id`). */
  static open(reply: FastifyReply): EventStream {
    reply.hijack();
    const headers: OutgoingHttpHeaders = {
      ...Object.fromEntries(Object.entries(reply.getHeaders()).filter(([, v]) => v !== undefined)),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      // Reverse proxies (nginx) would otherwise hold events back.
      'x-accel-buffering': 'no',
    };
    reply.raw.writeHead(200, headers);
    return new EventStream(reply.raw);
  }

  get closed(): AbortSignal {
    return this.abort.signal;
  }

  send(event: string, data: unknown, id?: number): Promise<void> {
    const idLine = id === undefined ? '' : `id: ${id}\n`;
    return this.write(`${idLine}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** A comment line keeps proxies from closing an idle stream; clients ignore it. */
  comment(text: string): Promise<void> {
    return this.write(`: ${text}\n\n`);
  }

  end(): void {
    if (!this.raw.writableEnded) this.raw.end();
  }

  private async write(text: string): Promise<void> {
    if (this.abort.signal.aborted || this.raw.writableEnded) return;
    if (this.raw.write(text)) return;
    // A slow client: wait for it rather than buffer the stream in memory.
    await new Promise<void>((resolve) => {
      const settle = () => {
        this.raw.off('drain', settle);
        this.abort.signal.removeEventListener('abort', settle);
        resolve();
      };
      this.raw.on('drain', settle);
      this.abort.signal.addEventListener('abort', settle, { once: true });
    });
  }
}
