import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConnectionError,
  ConnectionTimeoutError,
  InternalServerError,
  InvalidResponseError,
  Modelport,
} from '../src/index.js';
import { caught } from './support/caught.js';

/** Plain HTTP servers standing in for what sits between client and Modelport: proxies, dead hosts. */
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listen(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closedPortUrl(): Promise<string> {
  const url = await listen(() => {});
  await new Promise((resolve) => servers.pop()?.close(resolve));
  return url;
}

describe('transport failures', () => {
  it('an unreachable server is a ConnectionError without status', async () => {
    const client = new Modelport({ baseUrl: await closedPortUrl(), apiKey: 'k' });
    const err = await caught(client.models.list());
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err).toMatchObject({ code: 'connection_error', status: undefined, requestId: undefined });
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('a server that never answers times out', async () => {
    const url = await listen(() => {});
    const client = new Modelport({ baseUrl: url, apiKey: 'k', timeoutMs: 150 });
    const err = await caught(client.models.list());
    expect(err).toBeInstanceOf(ConnectionTimeoutError);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err).toMatchObject({ code: 'timeout' });
  });

  it('a response off the contract is an InvalidResponseError', async () => {
    const url = await listen((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('x-request-id', 'req-1');
      res.end('{"items":[]}');
    });
    const err = await caught(new Modelport({ baseUrl: url, apiKey: 'k' }).models.list());
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err).toMatchObject({ code: 'invalid_response', status: 200, requestId: 'req-1' });
  });

  it('a non-JSON 502 from a proxy is an InternalServerError with the body as message', async () => {
    const url = await listen((_req, res) => {
      res.statusCode = 502;
      res.end('Bad Gateway');
    });
    const err = await caught(new Modelport({ baseUrl: url, apiKey: 'k' }).models.get('m'));
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err).toMatchObject({ status: 502, code: 'unknown_error', message: 'Bad Gateway' });
  });

  it('health() is ready:false on 503', async () => {
    const url = await listen((_req, res) => {
      res.statusCode = 503;
      res.end('{"ready":false}');
    });
    expect(await new Modelport({ baseUrl: url }).health()).toEqual({ ready: false });
  });
});
