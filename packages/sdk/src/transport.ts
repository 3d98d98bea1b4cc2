import { abortableSleep } from './abortable-sleep.js';
import {
  ConnectionError,
  ConnectionTimeoutError,
  errorFromResponse,
  InvalidResponseError,
} from './errors.js';
import { IdleTimeout } from './idle-timeout.js';
import { type FailedAttempt, retryDelayMs, shouldRetry } from './retry-policy.js';

/** Anything with zod's `parse`: the contracts' schemas, without the SDK depending on zod itself. */
export interface Schema<T> {
  parse(data: unknown): T;
}

export interface TransportOptions {
  baseUrl: string;
  apiKey: string | undefined;
  fetch: typeof fetch;
  timeoutMs: number;
  maxRetries: number;
}

export interface SendRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  json?: unknown;
  body?: ReadableStream<Uint8Array>;
  headers?: Record<string, string>;
  /** Overrides the client's `maxRetries` for this request. */
  maxRetries?: number;
  /** Ends the request and its retries; the call then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** A 2xx response, or what went wrong. */
type Attempt = { response: Response } | FailedAttempt;

/** One place for the base URL, auth header, timeouts and mapping failures onto the error classes. */
export class Transport {
  constructor(private readonly opts: TransportOptions) {}

  get baseUrl(): string {
    return this.opts.baseUrl;
  }

  /** The client's retry allowance (a followed stream reconnects this often in a row). */
  get maxRetries(): number {
    return this.opts.maxRetries;
  }

  newIdleTimeout(): IdleTimeout {
    return new IdleTimeout(this.opts.timeoutMs);
  }

  /**
   * Resolves only for a 2xx response; the caller owns `idle` and must clear it after reading the body.
   * Transient failures are retried as `retry-policy.ts` decides, except for a stream body: the first
   * attempt consumed it, so such a request (an upload) is sent once.
   */
  async send(req: SendRequest, idle: IdleTimeout): Promise<Response> {
    const maxRetries = req.body === undefined ? (req.maxRetries ?? this.opts.maxRetries) : 0;
    for (let retries = 0; ; retries++) {
      req.signal?.throwIfAborted();
      const outcome = await this.attempt(req, idle);
      if ('response' in outcome) return outcome.response;
      if (retries >= maxRetries || !shouldRetry(outcome)) throw outcome.error;
      // The idle timeout measures an attempt's progress, not the wait the server asked for.
      idle.clear();
      await abortableSleep(retryDelayMs(outcome.headers, retries), req.signal);
      idle.restart();
    }
  }

  async json<T>(req: SendRequest, schema: Schema<T>): Promise<T> {
    const idle = this.newIdleTimeout();
    try {
      const res = await this.send(req, idle);
      const body = await res.json().catch(() => undefined);
      req.signal?.throwIfAborted();
      return parseBody(schema, body, res);
    } finally {
      idle.clear();
    }
  }

  async empty(req: SendRequest): Promise<void> {
    const idle = this.newIdleTimeout();
    try {
      await (await this.send(req, idle)).arrayBuffer();
    } finally {
      idle.clear();
    }
  }

  private async attempt(req: SendRequest, idle: IdleTimeout): Promise<Attempt> {
    const url = `${this.opts.baseUrl}${req.path}`;
    let res: Response;
    try {
      const signal = req.signal ? AbortSignal.any([idle.signal, req.signal]) : idle.signal;
      res = await this.opts.fetch(url, this.init(req, signal));
    } catch (err) {
      req.signal?.throwIfAborted();
      return { error: fetchFailure(req.method, url, err, idle.fired), headers: undefined };
    }
    if (res.ok) return { response: res };
    return {
      error: errorFromResponse(res.status, await readErrorBody(res), requestIdOf(res)),
      headers: res.headers,
    };
  }

  private init(req: SendRequest, signal: AbortSignal): RequestInit {
    const headers = new Headers(req.headers);
    headers.set('accept', 'application/json');
    if (this.opts.apiKey !== undefined) headers.set('authorization', `Bearer ${this.opts.apiKey}`);
    const init: RequestInit = { method: req.method, headers, signal };
    if (req.json !== undefined) {
      headers.set('content-type', 'application/json');
      init.body = JSON.stringify(req.json);
    } else if (req.body !== undefined) {
      init.body = req.body;
      // Node's fetch streams a ReadableStream body only in half-duplex mode.
      Object.assign(init, { duplex: 'half' });
    }
    return init;
  }
}

export function requestIdOf(res: Response): string | undefined {
  return res.headers.get('x-request-id') ?? undefined;
}

export function parseBody<T>(schema: Schema<T>, body: unknown, res: Response): T {
  try {
    return schema.parse(body);
  } catch (err) {
    throw new InvalidResponseError({
      status: res.status,
      code: 'invalid_response',
      message: `The response of ${res.url} does not match the API contract.`,
      requestId: requestIdOf(res),
      details: err,
      cause: err,
    });
  }
}

async function readErrorBody(res: Response): Promise<unknown> {
  const text = await res.text().catch(() => '');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function fetchFailure(method: string, url: string, err: unknown, timedOut: boolean): ConnectionError {
  return timedOut
    ? new ConnectionTimeoutError({ code: 'timeout', message: `${method} ${url} timed out`, cause: err })
    : new ConnectionError({ code: 'connection_error', message: describeFetchFailure(url, err), cause: err });
}

function describeFetchFailure(url: string, err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const detail =
    cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : String(cause);
  return `Could not reach ${url} (${detail}).`;
}
