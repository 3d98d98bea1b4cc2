import type { Socket } from 'node:net';

/**
 * Writes frames to a socket, every frame written in one event-loop turn going out in one system
 * call: the requests of many HTTP connections read in the same turn, and the replies of a batch,
 * leave as one write instead of one each (a write on this socket costs more than a frame's bytes).
 */
export function frameWriter(socket: Socket): (parts: Buffer[]) => void {
  let corked = false;
  const flush = () => {
    corked = false;
    if (!socket.destroyed) socket.uncork();
  };
  return (parts) => {
    if (socket.destroyed) return;
    if (!corked) {
      corked = true;
      socket.cork();
      setImmediate(flush);
    }
    for (const part of parts) socket.write(part);
  };
}
