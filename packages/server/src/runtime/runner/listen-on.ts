import { rm } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { RunnerListen } from '../../wire/runner/index.js';

/** Listens where the spec says; a stale socket file from a killed runner is removed first. */
export async function listenOn(server: FastifyInstance, listen: RunnerListen): Promise<void> {
  if ('socketPath' in listen) {
    await rm(listen.socketPath, { force: true });
    await server.listen({ path: listen.socketPath });
    return;
  }
  await server.listen({ host: listen.host, port: listen.port });
}
