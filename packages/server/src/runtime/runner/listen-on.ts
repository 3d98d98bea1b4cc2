import { rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { FRAME_PREFACE, type RunnerListen } from '../../wire/runner/index.js';

/** Where framed connections go (see frame-connection.ts); the rest of the socket is HTTP. */
export interface FrameAcceptor {
  accept(socket: Socket, first: Buffer): void;
  /** Once the requests in flight are answered, ends every framed connection. */
  close(): Promise<void>;
}

/**
 * Listens where the spec says; a stale socket file from a killed runner is removed first. On a
 * Unix socket, a connection that opens with the frame preface speaks the framed protocol, any other
 * is HTTP (health, info, the other capabilities, debugging with curl). TCP is HTTP only.
 */
export async function listenOn(
  server: FastifyInstance,
  listen: RunnerListen,
  frames?: FrameAcceptor,
): Promise<() => Promise<void>> {
  if ('socketPath' in listen) {
    await rm(listen.socketPath, { force: true });
    if (!frames) {
      await server.listen({ path: listen.socketPath });
      return () => server.close();
    }
    await server.ready();
    const sockets = new Set<Socket>();
    const http = httpInFlight(server);
    const front = createServer((socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      route(socket, server, frames);
    });
    await new Promise<void>((resolve, reject) => {
      front.once('error', reject);
      front.listen(listen.socketPath, resolve);
    });
    return async () => {
      const closed = closeServer(front);
      await Promise.all([frames.close(), server.close(), http.settled()]);
      // Every answer is out: what remains open (an idle keep-alive connection, a framed one whose
      // peer has not ended its side) holds nothing, and would keep the listener open forever.
      for (const socket of sockets) socket.destroy();
      await closed;
    };
  }
  await server.listen({ host: listen.host, port: listen.port });
  return () => server.close();
}

/** The first bytes decide: the frame preface, or HTTP handed to the Fastify server as is. */
function route(socket: Socket, server: FastifyInstance, frames: FrameAcceptor): void {
  socket.once('data', (first: Buffer) => {
    const n = Math.min(first.length, FRAME_PREFACE.length);
    if (first.subarray(0, n).equals(FRAME_PREFACE.subarray(0, n))) {
      frames.accept(socket, first);
      return;
    }
    socket.pause();
    socket.unshift(first);
    server.server.emit('connection', socket);
    socket.resume();
  });
  socket.on('error', () => {});
}

/** HTTP requests handed to Fastify and not answered yet: a stopping runner answers them first. */
function httpInFlight(server: FastifyInstance): { settled(): Promise<void> } {
  let inFlight = 0;
  server.server.on('request', (_req, res) => {
    inFlight++;
    res.once('close', () => inFlight--);
  });
  return {
    async settled() {
      while (inFlight > 0) await delay(10);
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
