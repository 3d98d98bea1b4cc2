import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake API received it. */
export interface Received {
  method: string;
  path: string;
  /** The parsed JSON body; undefined without one. */
  body: unknown;
  headers: http.IncomingHttpHeaders;
}

export interface Answer {
  status?: number;
  body?: unknown;
}

/** Answers a request; `'hang'` never answers (a server gone quiet). */
export type Route = (req: Received) => Answer | 'hang';

export interface FakeApi {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/**
 * A loopback stand-in for routes the server does not have yet: `routes` maps `METHOD /path` to its
 * answer, anything else is a catalog-shaped 404, and every request is kept for the test to check.
 * It tests the client side only: the shapes it sends and how it reads canned answers.
 */
export async function startFakeApi(routes: Record<string, Route | Answer>): Promise<FakeApi> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const got: Received = {
        method: req.method ?? '',
        path: req.url ?? '',
        body: text === '' ? undefined : JSON.parse(text),
        headers: req.headers,
      };
      received.push(got);
      const route = routes[`${got.method} ${got.path}`];
      const answer = typeof route === 'function' ? route(got) : (route ?? notFound(got));
      if (answer === 'hang') return;
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', 'x-request-id': 'req_fake' });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function notFound(req: Received): Answer {
  const message = `Route ${req.method}:${req.path} not found`;
  return { status: 404, body: { error: { code: 'route_not_found', message, requestId: 'req_fake' } } };
}

/** Answers `answers` one after the other, repeating the last one. */
export function inTurn(...answers: Answer[]): Route {
  let next = 0;
  return () => {
    const answer = answers[Math.min(next, answers.length - 1)] ?? {};
    next += 1;
    return answer;
  };
}
