import net from 'node:net';

export interface TcpRelay {
  port: number;
  /** Every connection cut, new ones refused: the target as if it went away. */
  down(): Promise<void>;
  /** Listening again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP relay in front of a loopback service that a test can take away and bring back on the same
 * port: a restart of the service as one server sees it, without touching the instance other
 * tests share.
 */
export async function tcpRelay(target: number): Promise<TcpRelay> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  const open = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const listening = net.createServer((client) => {
        const upstream = net.connect(target, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => {});
        }
        client.pipe(upstream).pipe(client);
      });
      server = listening;
      listening.on('error', reject);
      listening.listen(port, '127.0.0.1', () => resolve((listening.address() as net.AddressInfo).port));
    });
  const port = await open(0);
  const cut = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => (server?.listening ? server.close(() => resolve()) : resolve()));
  };
  return {
    port,
    down: cut,
    async up() {
      await open(port);
    },
    close: cut,
  };
}
