/**
 * A scripted HTTPS server on 127.0.0.1 for the scale client's tests: replies come from a queue
 * (then a fallback), every request is recorded. Its certificate is signed by a fresh CA, so
 * clients must verify against `caPem`, as they do against an EKS cluster CA.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';

interface RecordedRequest {
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

interface StubReply {
  readonly status: number;
  /** A string is sent as is; anything else as JSON. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Never answer (for timeouts). */
  readonly hang?: boolean;
}

interface HttpsStub {
  readonly url: string;
  readonly caPem: string;
  readonly requests: RecordedRequest[];
  /** Replies for the next requests, in order. */
  queue(...replies: StubReply[]): void;
  /** The reply once the queue is empty (default 500). */
  fallback(reply: (request: RecordedRequest) => StubReply): void;
  reset(): void;
  close(): Promise<void>;
}

/** A CA certificate (PEM); `leafFor` adds a 127.0.0.1 server certificate it signs. */
const makeCa = async () => {
  const ca = await generate([{ name: 'commonName', value: 'lpa-test-ca' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const leaf = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { caPem: ca.cert, key: leaf.private, cert: leaf.cert };
};

const startHttpsStub = async (): Promise<HttpsStub> => {
  const { caPem, key, cert } = await makeCa();
  const requests: RecordedRequest[] = [];
  let queued: StubReply[] = [];
  let fallback: (request: RecordedRequest) => StubReply = () => ({ status: 500, body: 'no reply scripted' });

  const server: Server = createServer({ key, cert }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded = { method: request.method ?? '', path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      const reply = queued.shift() ?? fallback(recorded);
      if (reply.hang === true) return;
      const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `https://127.0.0.1:${port}`,
    caPem,
    requests,
    queue: (...replies) => {
      queued.push(...replies);
    },
    fallback: (reply) => {
      fallback = reply;
    },
    reset: () => {
      requests.length = 0;
      queued = [];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
};

export { makeCa, startHttpsStub };
export type { HttpsStub, RecordedRequest, StubReply };
