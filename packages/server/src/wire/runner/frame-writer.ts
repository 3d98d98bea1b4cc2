import type { Socket } from 'node:net';

/**
 * Writes frames to a socket, every frame written in one tick going out in one system call: the
 * replies of a batch, which resolve together, leave as one write instead of one each.
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
      process.nextTick(flush);
    }
    for (const part of parts) socket.write(part);
  };
}
