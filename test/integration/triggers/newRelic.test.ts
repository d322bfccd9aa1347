/**
 * The new-relic reader over real HTTP against the local NerdGraph (dev/local/newRelic.ts): the
 * GraphQL request it sends, KEDA's result rules, and failures that never carry the key.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startNerdGraph, type LocalNerdGraph } from '../../../dev/local/newRelic.js';
import { createNewRelicReader } from '../../../shared/triggers/newRelic.js';
import { newRelicTrigger, requestsFor } from '../../unit/triggers/requests.js';

const KEY = 'NRAK-LOCAL-TEST-KEY-0001';
const ACCOUNT = 1234567;
const NRQL = 'SELECT rate(count(*), 10 SECOND) FROM Transaction SINCE 1 MINUTE AGO';

describe('new-relic reader against a local NerdGraph', () => {
  let nerdGraph: LocalNerdGraph;
  beforeAll(async () => {
    nerdGraph = await startNerdGraph();
  });
  afterAll(() => nerdGraph.close());
  beforeEach(() => {
    nerdGraph.addKey(KEY, [ACCOUNT]);
    nerdGraph.failWith(undefined);
  });

  const read = (metadata: Parameters<typeof newRelicTrigger>[0], authParams?: Record<string, string>) => {
    const [request] = requestsFor('web', [newRelicTrigger({ nrql: NRQL, ...metadata })]);
    const reader = createNewRelicReader({ endpoints: nerdGraph.endpoints });
    return reader.read([{ ...request!, ...(authParams === undefined ? {} : { authParams }) }], 0);
  };

  it('reads the first numeric value of the first row, with the key from the TriggerAuthentication in the API-Key header', async () => {
    // Prepare
    nerdGraph.setResults(ACCOUNT, NRQL, [{ 'rate.count': 1.666 }]);
    const before = nerdGraph.calls.length;

    // Act
    const readings = await read({}, { account: String(ACCOUNT), queryKey: KEY });

    // Assess
    expect(readings).toEqual([{ value: 1.666 }]);
    expect(nerdGraph.calls.slice(before)).toEqual([{ apiKey: KEY, accountId: ACCOUNT, nrql: NRQL }]);
  });

  it('reads 0 for no rows, and an error with noDataError', async () => {
    // Act
    const [quiet] = await read({ nrql: 'SELECT count(*) FROM Nothing' }, { account: String(ACCOUNT), queryKey: KEY });
    const [strict] = await read({ nrql: 'SELECT count(*) FROM Nothing', noDataError: true }, { account: String(ACCOUNT), queryKey: KEY });

    // Assess
    expect(quiet).toEqual({ value: 0 });
    expect(strict).toEqual({ error: 'shop/web spec.triggers[0]: the NRQL query returned no results (noDataError: true)' });
  });

  it('asks once for triggers that share account, key and query', async () => {
    // Prepare
    nerdGraph.setResults(ACCOUNT, NRQL, [{ count: 3 }]);
    const requests = requestsFor('web', [newRelicTrigger({ nrql: NRQL, account: ACCOUNT, queryKey: KEY }, 0), newRelicTrigger({ nrql: NRQL, account: ACCOUNT, queryKey: KEY }, 1)]);
    const before = nerdGraph.calls.length;

    // Act
    const readings = await createNewRelicReader({ endpoints: nerdGraph.endpoints }).read(requests, 0);

    // Assess
    expect(readings).toEqual([{ value: 3 }, { value: 3 }]);
    expect(nerdGraph.calls.length - before).toBe(1);
  });

  it.each([
    ['an unknown key', { account: String(ACCOUNT), queryKey: 'NRAK-WRONG-KEY' }, 'NerdGraph query for account 1234567 failed with HTTP 200: Invalid API key'],
    ['an account the key cannot see', { account: '7654321', queryKey: KEY }, 'NerdGraph query for account 7654321 failed with HTTP 200: Access denied to the requested account'],
  ])('reports %s without the key', async (_, authParams, expected) => {
    // Act
    const [reading] = await read({}, authParams);

    // Assess
    expect(reading).toEqual({ error: `shop/web spec.triggers[0]: ${expected}` });
    expect(JSON.stringify(reading)).not.toContain(authParams.queryKey);
  });

  it('reports a gateway error with its status', async () => {
    // Prepare
    nerdGraph.failWith({ status: 503, body: '<html>Service Unavailable</html>' });

    // Act
    const [reading] = await read({}, { account: String(ACCOUNT), queryKey: KEY });

    // Assess
    expect(reading).toEqual({ error: 'shop/web spec.triggers[0]: NerdGraph query for account 1234567 failed with HTTP 503' });
  });
});
