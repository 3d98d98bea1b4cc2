import { startTestServer, type TestServer } from '../../../server/test/support/test-server.js';
import { Modelport } from '../../src/index.js';

export interface SdkHarness {
  server: TestServer;
  /** A client holding the admin key. */
  admin: Modelport;
  clientWith(apiKey: string): Modelport;
}

/** A real Modelport server on a loopback port plus clients for it. */
export async function startHarness(): Promise<SdkHarness> {
  const server = await startTestServer();
  const clientWith = (apiKey: string) => new Modelport({ baseUrl: server.url, apiKey });
  return { server, admin: clientWith(server.adminKey), clientWith };
}

let counter = 0;

/** A model name unique within the run, so tests sharing a server never collide. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}
