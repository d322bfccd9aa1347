/**
 * A local Lambda `Invoke` for the fan-out's tests and bench: the REST call the SDK sends
 * (`POST /2015-03-31/functions/{name}/invocations`) on 127.0.0.1, reached through the SDK's endpoint
 * configuration (`AWS_ENDPOINT_URL_LAMBDA`), as the other stand-ins are. Only asynchronous invokes
 * (`X-Amz-Invocation-Type: Event`) are served, as Lambda serves them: 202 once the event is queued,
 * then the event handed to the function's handler; a payload over 1 MB is refused with 413
 * RequestTooLargeException. `deliveries` hands each event over more than once, as Lambda's
 * at-least-once queue may. Signatures are not checked (the SDK signs with any credentials).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBytes } from './http.js';

/** Lambda's limit for an asynchronous invoke's payload. */
const MAX_EVENT_BYTES = 1_048_576;

type LocalHandler = (event: unknown) => Promise<unknown>;

interface Invocation {
  readonly functionName: string;
  readonly bytes: number;
  readonly event: unknown;
}

interface LocalLambdaOptions {
  /** How many times each queued event is handed to its handler. Default 1. */
  readonly deliveries?: number;
}

interface LocalLambda {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Where `functionName`'s events go. */
  register(functionName: string, handler: LocalHandler): void;
  /** Every accepted invoke, in arrival order. */
  readonly invocations: readonly Invocation[];
  /** Resolves once every queued delivery (and what those queued in turn) has run; rejects with the first handler error. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

const answer = (res: import('node:http').ServerResponse, status: number, type?: string, message?: string): void => {
  if (type === undefined) {
    res.writeHead(status, { 'content-length': '0' }).end();
    return;
  }
  const body = JSON.stringify({ Type: 'User', message });
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type, 'content-length': Buffer.byteLength(body) }).end(body);
};

const startLambda = async (options: LocalLambdaOptions = {}): Promise<LocalLambda> => {
  const handlers = new Map<string, LocalHandler>();
  const invocations: Invocation[] = [];
  const pending = new Set<Promise<void>>();
  const errors: unknown[] = [];
  const deliver = (handler: LocalHandler, event: unknown): void => {
    // Queued: the handler runs after the 202, as Lambda's asynchronous queue hands events over.
    const run: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => handler(structuredClone(event)))
      .then(
        () => undefined,
        (error: unknown) => void errors.push(error),
      )
      .finally(() => pending.delete(run));
    pending.add(run);
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBytes(req);
      const match = /^\/2015-03-31\/functions\/([^/?]+)\/invocations(?:\?.*)?$/.exec(req.url ?? '');
      if (req.method !== 'POST' || match === null) return answer(res, 404, 'ResourceNotFoundException', `no such route ${req.method} ${req.url}`);
      const functionName = decodeURIComponent(match[1] as string);
      const handler = handlers.get(functionName);
      if (handler === undefined) return answer(res, 404, 'ResourceNotFoundException', `Function not found: ${functionName}`);
      if (req.headers['x-amz-invocation-type'] !== 'Event') return answer(res, 400, 'InvalidParameterValueException', 'this stand-in serves only InvocationType Event');
      if (body.length > MAX_EVENT_BYTES) return answer(res, 413, 'RequestTooLargeException', `Request must be smaller than ${MAX_EVENT_BYTES} bytes for the Invoke operation`);
      const event = JSON.parse(body.toString('utf8')) as unknown;
      invocations.push({ functionName, bytes: body.length, event });
      for (let i = 0; i < (options.deliveries ?? 1); i++) deliver(handler, event);
      return answer(res, 202);
    })().catch((error: unknown) => answer(res, 500, 'ServiceException', String(error)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    register: (functionName, handler) => void handlers.set(functionName, handler),
    invocations,
    drain: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
      if (errors.length > 0) throw errors[0];
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
};

export { MAX_EVENT_BYTES, startLambda };
export type { Invocation, LocalHandler, LocalLambda, LocalLambdaOptions };
