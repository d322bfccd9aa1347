/**
 * A local New Relic NerdGraph for tests and demos: a node:http server on 127.0.0.1 (a random port)
 * speaking GraphQL over HTTP as `https://api.newrelic.com/graphql` does for the one query shape
 * an NRQL client sends: `POST /graphql` with `{ query, variables: { accountId, nrql } }` and the
 * User API key in the `API-Key` header.
 *
 * A test registers keys (each with the accounts it may query) and the result rows of an NRQL
 * query in an account. Like NerdGraph, errors come back as HTTP 200 with a GraphQL `errors`
 * array (and `null` where the data could not be produced): an unknown key is UNAUTHORIZED, an
 * account the key cannot see is FORBIDDEN with `account: null`, and an NRQL text the test did
 * not register answers with no rows (an NRQL query over no data). Every call is recorded with the
 * key that made it, so tests can count calls and check which key was sent.
 *
 * @example
 * const nerdGraph = await startNerdGraph();
 * nerdGraph.addKey('NRAK-TEST', [1234567]);
 * nerdGraph.setResults(1234567, 'SELECT count(*) FROM Transaction', [{ count: 42 }]);
 * // … createNewRelicReader({ endpoints: nerdGraph.endpoints })
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './http.js';

interface NerdGraphCall {
  readonly apiKey: string | undefined;
  readonly accountId: unknown;
  readonly nrql: unknown;
}

interface LocalNerdGraph {
  /** The endpoint per region, all pointing at this server (`<url>/graphql`). */
  readonly endpoints: { readonly US: string; readonly EU: string; readonly STAGING: string };
  readonly calls: readonly NerdGraphCall[];
  /** Lets `apiKey` query these accounts. */
  addKey(apiKey: string, accounts: readonly number[]): void;
  /** The rows `nrql` returns in `account` (rows as NerdGraph writes them, in field order). */
  setResults(account: number, nrql: string, rows: readonly Record<string, unknown>[]): void;
  /** Answers every later call with this HTTP status and body (e.g. 503 from a gateway); `undefined` restores. */
  failWith(failure: { readonly status: number; readonly body: string } | undefined): void;
  close(): Promise<void>;
}

const send = (response: ServerResponse, status: number, body: unknown): void => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
};

const graphqlError = (message: string, errorClass: string, path?: readonly string[]) => ({
  message,
  extensions: { errorClass },
  ...(path === undefined ? {} : { path }),
});

const startNerdGraph = async (): Promise<LocalNerdGraph> => {
  const keys = new Map<string, ReadonlySet<number>>();
  const results = new Map<string, readonly Record<string, unknown>[]>();
  const calls: NerdGraphCall[] = [];
  let failure: { status: number; body: string } | undefined;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== 'POST' || request.url !== '/graphql') return send(response, 404, { errors: [{ message: 'Not Found' }] });
    let payload: { query?: unknown; variables?: { accountId?: unknown; nrql?: unknown } };
    try {
      payload = JSON.parse(await readBody(request)) as typeof payload;
    } catch {
      return send(response, 400, { errors: [graphqlError('Invalid JSON body', 'BAD_REQUEST')] });
    }
    const apiKey = request.headers['api-key'];
    const key = Array.isArray(apiKey) ? apiKey[0] : apiKey;
    const { accountId, nrql } = payload.variables ?? {};
    calls.push({ apiKey: key, accountId, nrql });
    if (failure !== undefined) return send(response, failure.status, failure.body);
    const accounts = key === undefined ? undefined : keys.get(key);
    if (accounts === undefined) return send(response, 200, { errors: [graphqlError('Invalid API key', 'UNAUTHORIZED')], data: { actor: null } });
    if (typeof payload.query !== 'string' || !/account\(id: \$accountId\)/.test(payload.query) || !/nrql\(query: \$nrql/.test(payload.query)) {
      return send(response, 200, { errors: [graphqlError('This stand-in answers only actor.account(id).nrql(query) queries', 'BAD_USER_INPUT')] });
    }
    if (typeof accountId !== 'number' || typeof nrql !== 'string') {
      return send(response, 200, { errors: [graphqlError('Variable "$accountId" of type Int! and "$nrql" of type Nrql! are required', 'BAD_USER_INPUT')] });
    }
    if (!accounts.has(accountId)) {
      return send(response, 200, { errors: [graphqlError('Access denied to the requested account', 'FORBIDDEN', ['actor', 'account'])], data: { actor: { account: null } } });
    }
    const rows = results.get(`${accountId}\n${nrql}`) ?? [];
    return send(response, 200, { data: { actor: { account: { nrql: { results: rows } } } } });
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => send(response, 500, { errors: [{ message: String(error) }] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return {
    endpoints: { US: url, EU: url, STAGING: url },
    calls,
    addKey: (apiKey, accounts) => void keys.set(apiKey, new Set(accounts)),
    setResults: (account, nrql, rows) => void results.set(`${account}\n${nrql}`, rows),
    failWith: (next) => {
      failure = next;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error)))),
  };
};

export { startNerdGraph };
export type { LocalNerdGraph, NerdGraphCall };
