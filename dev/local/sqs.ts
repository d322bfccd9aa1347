/**
 * A local SQS for tests and demos: local-aws-sqs (AWS JSON 1.0 protocol) behind a small proxy on
 * 127.0.0.1 (a random port) that fixes its one quirk the autoscaler depends on.
 *
 * The quirk (local-services.md): local-aws-sqs counts in-flight messages in
 * ApproximateNumberOfMessages (after 7 sends and a receive of 2 it reports 7 visible and 2 not
 * visible; real SQS reports 5 and 2). The proxy asks it for ApproximateNumberOfMessagesNotVisible
 * too, subtracts, and answers only the attributes the caller asked for. Delayed messages it counts
 * correctly (in Delayed only). Only JSON requests are corrected; the SDK speaks nothing else.
 *
 * Queue URLs point at the proxy, so an SDK client given `endpoint` or a queue URL reaches it.
 *
 * @example
 * const sqs = await startSqs();
 * const { QueueUrl } = await sqs.client.send(new CreateQueueCommand({ QueueName: 'orders' }));
 * // … a trigger with queueURL: QueueUrl, awsEndpoint: sqs.endpoint (a manifest needs http://127.0.0.1 trusted: spec/awsEndpoint.ts)
 * await sqs.close();
 */
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createRequestHandler } from 'local-aws-sqs';
import { readBytes } from './http.js';

/** local-aws-sqs checks no signatures, but the SDK must sign with something: fixed, obviously fake. */
const LOCAL_CREDENTIALS = { accessKeyId: 'AKIDLOCALSQS', secretAccessKey: 'local-sqs-secret' } as const;
const DEFAULT_REGION = 'us-east-1';
const DEFAULT_ACCOUNT_ID = '000000000000';
const TARGET_PREFIX = 'AmazonSQS.';
const VISIBLE = 'ApproximateNumberOfMessages';
const NOT_VISIBLE = 'ApproximateNumberOfMessagesNotVisible';

interface LocalSqsOptions {
  readonly region?: string;
  readonly accountId?: string;
}

interface LocalSqs {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
  /** Points at `endpoint` with fixed local credentials and `region`. */
  readonly client: SQSClient;
  /** Requests seen for an action (`GetQueueAttributes`, `GetQueueUrl`, …) since start. */
  count(action: string): number;
  /** Destroys the client and stops both servers. */
  close(): Promise<void>;
}

const listen = (server: Server): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

const stop = (server: Server): Promise<void> => {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
};

interface AttributesRequest {
  AttributeNames?: string[];
}
interface AttributesResponse {
  Attributes?: Record<string, string>;
}

/** Whether the caller asked for the visible count, and the request to forward (which also asks for NotVisible). */
const widenRequest = (body: Buffer): { readonly body: Buffer; readonly names: readonly string[] } => {
  const parsed = JSON.parse(body.toString('utf8')) as AttributesRequest;
  const names = parsed.AttributeNames ?? [];
  const asksVisible = names.includes(VISIBLE) || names.includes('All');
  const widened = asksVisible && !names.includes(NOT_VISIBLE) ? [...names, NOT_VISIBLE] : names;
  return { body: Buffer.from(JSON.stringify({ ...parsed, AttributeNames: widened })), names };
};

const tryWiden = (body: Buffer): { readonly body: Buffer; readonly names: readonly string[] } => {
  try {
    return widenRequest(body);
  } catch {
    return { body, names: [] };
  }
};

/** Real SQS semantics: visible excludes in-flight; drops NotVisible again if the caller did not ask. */
const correctResponse = (body: Buffer, names: readonly string[]): Buffer => {
  const parsed = JSON.parse(body.toString('utf8')) as AttributesResponse;
  const attributes = parsed.Attributes;
  if (attributes?.[VISIBLE] === undefined || attributes[NOT_VISIBLE] === undefined) return body;
  const visible = Number(attributes[VISIBLE]) - Number(attributes[NOT_VISIBLE]);
  const corrected: Record<string, string> = { ...attributes, [VISIBLE]: String(Math.max(0, visible)) };
  if (!names.includes(NOT_VISIBLE) && !names.includes('All')) delete corrected[NOT_VISIBLE];
  return Buffer.from(JSON.stringify({ ...parsed, Attributes: corrected }));
};

const startSqs = async (options: LocalSqsOptions = {}): Promise<LocalSqs> => {
  const region = options.region ?? DEFAULT_REGION;
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  const { service, requestHandler } = createRequestHandler({
    port: 0,
    hostname: '127.0.0.1',
    region,
    accountId,
    // Tests delete and recreate queues freely; real SQS makes you wait 60 s.
    emulateQueueCreationLifecycle: false,
  });
  const inner = createServer((req, res) => void requestHandler(req, res));
  const innerPort = await listen(inner);
  const counts = new Map<string, number>();

  /** One request to local-aws-sqs, answered in full. */
  const upstream = (req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: IncomingMessage['headers']; payload: Buffer }> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers, 'content-length': String(body.length) };
      httpRequest({ host: '127.0.0.1', port: innerPort, method: req.method, path: req.url, headers }, (answer) => {
        readBytes(answer).then((payload) => resolve({ status: answer.statusCode ?? 500, headers: answer.headers, payload }), reject);
      })
        .on('error', reject)
        .end(body);
    });

  const forward = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const action = String(req.headers['x-amz-target'] ?? '').replace(TARGET_PREFIX, '');
    counts.set(action, (counts.get(action) ?? 0) + 1);
    try {
      const original = await readBytes(req);
      const rewrite = action === 'GetQueueAttributes' && String(req.headers['content-type']).includes('json');
      // A body that is not JSON goes through unchanged: local-aws-sqs answers it with its own error.
      const { body, names } = rewrite ? tryWiden(original) : { body: original, names: [] };
      const answer = await upstream(req, body);
      const payload = rewrite && answer.status === 200 ? correctResponse(answer.payload, names) : answer.payload;
      res.writeHead(answer.status, { ...answer.headers, 'content-length': String(payload.length) });
      res.end(payload);
    } catch (error) {
      res.writeHead(502).end(String(error));
    }
  };
  const proxy = createServer((req, res) => void forward(req, res));
  const port = await listen(proxy);
  // Queue URLs are built from these: make them point at the proxy.
  service.PORT = port;

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new SQSClient({ endpoint, region, credentials: LOCAL_CREDENTIALS });
  return {
    endpoint,
    region,
    accountId,
    client,
    count: (action) => counts.get(action) ?? 0,
    close: async () => {
      client.destroy();
      await Promise.all([stop(proxy), stop(inner)]);
    },
  };
};

export { startSqs };
export type { LocalSqs, LocalSqsOptions };
