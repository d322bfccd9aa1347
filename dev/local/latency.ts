/**
 * A TCP proxy on 127.0.0.1 that delays every byte a client sends by a fixed time: each request
 * reaches the service that much later, whatever the protocol (HTTP or TLS). It also tallies the
 * AWS JSON operations it sees in plain-HTTP requests (`X-Amz-Target`), for call counts.
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

interface LatencyProxy {
  /** `http://127.0.0.1:<port>` (use https:// for a TLS upstream: the proxy does not terminate TLS). */
  readonly port: number;
  /** Operation (the part after the dot of X-Amz-Target) → requests seen. */
  readonly operations: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

const TARGET = /x-amz-target:\s*[\w.]*\.(\w+)/gi;

const startLatencyProxy = async (upstreamPort: number, delayMs: number): Promise<LatencyProxy> => {
  const operations = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => {
      for (const match of chunk.toString('latin1').matchAll(TARGET)) {
        const op = match[1] ?? '';
        operations.set(op, (operations.get(op) ?? 0) + 1);
      }
      // Equal delays fire in order, so the byte stream stays intact.
      setTimeout(() => upstream.write(chunk), delayMs);
    });
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    operations,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

export { startLatencyProxy };
export type { LatencyProxy };
