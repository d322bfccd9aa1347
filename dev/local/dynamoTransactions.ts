/**
 * TransactWriteItems for dynalite, which has none (architect/dynalite#151): the state store writes a
 * save and its decision records in one transaction. The stand-in applies the transaction's items as
 * dynalite's own single-item writes, the conditional one first:
 *
 * - refused by its condition → nothing was written: TransactionCanceledException with one reason per
 *   item (`ConditionalCheckFailed` for it, `None` for the others), as DynamoDB answers;
 * - written → the unconditional items follow (they cannot be refused by a condition).
 *
 * What it does not do, and refuses with a ValidationException rather than pretend: more than one
 * conditional item (it could not undo the first when the second is refused), ConditionCheck items, two
 * items on one key. Not isolated either: a reader may see the first item before the others.
 *
 * @example
 * const server = dynalite({ createTableMs: 0 });
 * addTransactWriteItems(server);
 */
import { request, type IncomingHttpHeaders, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StateAttribute } from '../../shared/state/tableDefinition.js';

const TARGET_PREFIX = 'DynamoDB_20120810.';
const ERROR_PREFIX = 'com.amazonaws.dynamodb.v20120810#';
const MAX_ITEMS = 100;

type Json = Record<string, unknown>;

interface Answer {
  readonly status: number;
  readonly body: Json;
}

/** Transaction item kind → the single-item action that applies it. */
const ACTIONS = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem' } as const;
type Kind = keyof typeof ACTIONS;

interface Step {
  readonly index: number;
  readonly action: (typeof ACTIONS)[Kind];
  readonly input: Json;
  readonly conditional: boolean;
}

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const validation = (message: string): Answer => ({ status: 400, body: { __type: `${ERROR_PREFIX}ValidationException`, message } });

/** One of dynalite's own actions, over HTTP on its own port, with the caller's headers (dynalite reads but does not verify the signature). */
const call = (server: Server, headers: IncomingHttpHeaders, action: string, input: Json): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const body = JSON.stringify(input);
    const { port } = server.address() as AddressInfo;
    const forwarded = { ...headers, 'x-amz-target': `${TARGET_PREFIX}${action}`, 'content-length': String(Buffer.byteLength(body)) };
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: forwarded }, (res) => {
      readBody(res).then((text) => resolve({ status: res.statusCode ?? 500, body: text === '' ? {} : (JSON.parse(text) as Json) }), reject);
    });
    req.on('error', reject);
    req.end(body);
  });

/** The item's key, to refuse two items on one key as DynamoDB does. */
const keyOf = (kind: Kind, input: Json): string => {
  const item = (kind === 'Put' ? input.Item : input.Key) as Record<string, unknown> | undefined;
  return JSON.stringify([input.TableName, item?.[StateAttribute.pk], item?.[StateAttribute.sk]]);
};

const stepsOf = (request: Json): Step[] | Answer => {
  const items = request.TransactItems;
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_ITEMS) return validation(`TransactItems must hold 1 to ${MAX_ITEMS} items`);
  const steps: Step[] = [];
  const keys = new Set<string>();
  for (const [index, item] of (items as Json[]).entries()) {
    const kinds = Object.keys(item);
    const kind = kinds[0];
    if (kinds.length !== 1 || kind === undefined || !(kind in ACTIONS)) {
      return validation(`the local stand-in applies Put, Update and Delete items only; item ${index} has ${kinds.join(', ') || 'none'}`);
    }
    const input = item[kind] as Json;
    const key = keyOf(kind as Kind, input);
    if (keys.has(key)) return validation('Transaction request cannot include multiple operations on one item');
    keys.add(key);
    steps.push({ index, action: ACTIONS[kind as Kind], input, conditional: typeof input.ConditionExpression === 'string' });
  }
  if (steps.filter((step) => step.conditional).length > 1) return validation('the local stand-in applies at most one conditional item per transaction');
  return steps;
};

const transact = async (server: Server, headers: IncomingHttpHeaders, request: Json): Promise<Answer> => {
  const steps = stepsOf(request);
  if (!Array.isArray(steps)) return steps;
  const ordered = [...steps].sort((a, b) => Number(b.conditional) - Number(a.conditional));
  for (const [position, step] of ordered.entries()) {
    const answer = await call(server, headers, step.action, step.input);
    if (answer.status === 200) continue;
    const refused = String(answer.body.__type ?? '').endsWith('ConditionalCheckFailedException');
    if (position === 0 && refused) {
      const reasons = steps.map((s) => (s.index === step.index ? { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' } : { Code: 'None' }));
      const message = `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`;
      return { status: 400, body: { __type: `${ERROR_PREFIX}TransactionCanceledException`, message, CancellationReasons: reasons } };
    }
    // Nothing written yet: the first item's own error stands. Later: the stand-in cannot undo the first.
    if (position === 0) return answer;
    return { status: 500, body: { __type: `${ERROR_PREFIX}InternalServerError`, message: `local stand-in: item ${step.index} failed after the conditional item was written: ${JSON.stringify(answer.body)}` } };
  }
  return { status: 200, body: {} };
};

/** Adds TransactWriteItems to a dynalite server; every other request goes to dynalite as before. */
const addTransactWriteItems = (server: Server): void => {
  const dynalite = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers['x-amz-target'] !== `${TARGET_PREFIX}TransactWriteItems`) {
      for (const listener of dynalite) listener(req, res);
      return;
    }
    void readBody(req)
      .then((text) => transact(server, req.headers, JSON.parse(text) as Json))
      .catch((error: unknown): Answer => ({ status: 500, body: { __type: `${ERROR_PREFIX}InternalServerError`, message: `local stand-in: ${String(error)}` } }))
      .then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(body));
      });
  });
};

export { addTransactWriteItems };
