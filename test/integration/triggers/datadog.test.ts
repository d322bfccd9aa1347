/**
 * The datadog reader over real HTTP against the local query API (dev/local/datadog.ts): the
 * window and headers it sends, and KEDA's handling of 403, 429 and 422, without the keys in any
 * message.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDatadog, type LocalDatadog } from '../../../dev/local/datadog.js';
import { createDatadogReader } from '../../../shared/triggers/datadog.js';
import { datadogTrigger, requestsFor } from '../../unit/triggers/requests.js';

const API_KEY = 'dd-api-key-LOCAL-0001';
const APP_KEY = 'dd-app-key-LOCAL-0001';
const QUERY = 'avg:nginx.requests{service:web}';
const NOW = Date.parse('2026-11-23T10:00:00Z');

describe('datadog reader against a local query API', () => {
  let datadog: LocalDatadog;
  beforeAll(async () => {
    datadog = await startDatadog();
    datadog.addKeys(API_KEY, APP_KEY);
  });
  afterAll(() => datadog.close());
  beforeEach(() => datadog.failWith(undefined));

  const read = (metadata: Parameters<typeof datadogTrigger>[0] = {}, authParams: Record<string, string> = { apiKey: API_KEY, appKey: APP_KEY }) => {
    const [request] = requestsFor('web', [datadogTrigger({ query: QUERY, ...metadata })]);
    return createDatadogReader({ siteUrl: () => datadog.url }).read([{ ...request!, authParams }], NOW);
  };

  it('asks for [now − timeWindowOffset − age, now − timeWindowOffset] with the keys in headers, and reads the newest point', async () => {
    // Prepare
    datadog.setSeries(QUERY, [[[NOW - 120_000, 10], [NOW - 60_000, 12], [NOW, null]]]);
    const before = datadog.calls.length;

    // Act
    const readings = await read({ age: 120, timeWindowOffset: 30 });

    // Assess
    expect(readings).toEqual([{ value: 12 }]);
    const to = NOW / 1000 - 30;
    expect(datadog.calls.slice(before)).toEqual([{ query: QUERY, from: to - 120, to, apiKey: API_KEY, appKey: APP_KEY }]);
  });

  it('reports wrong keys (403) without them', async () => {
    // Act
    const [reading] = await read({}, { apiKey: 'wrong-api-key', appKey: APP_KEY });

    // Assess
    expect(reading).toEqual({
      error: 'shop/web spec.triggers[0]: unauthorized to connect to Datadog (HTTP 403): check that the API and application keys are correct and that the application key has the metrics_read permission',
    });
    expect(JSON.stringify(reading)).not.toContain('wrong-api-key');
  });

  it("quotes Datadog's rate-limit headers on 429", async () => {
    // Prepare
    datadog.failWith(429);

    // Act
    const [reading] = await read();

    // Assess
    expect(reading).toEqual({ error: 'shop/web spec.triggers[0]: your Datadog account reached the 1600 queries per 60 seconds rate limit, next limit reset will happen in 17 seconds' });
  });

  it('uses metricUnavailableValue on 422, and fails without it', async () => {
    // Prepare
    datadog.failWith(422);

    // Act
    const [filled] = await read({ metricUnavailableValue: 0.5 });
    const [failed] = await read();

    // Assess
    expect(filled).toEqual({ value: 0.5 });
    expect(failed).toEqual({ error: 'shop/web spec.triggers[0]: error when retrieving Datadog metrics: HTTP 422: The metric is unavailable' });
  });

  it('fails a query with no data in the window unless metricUnavailableValue is set', async () => {
    // Act
    const [failed] = await read({ query: 'avg:nothing{*}' });
    const [filled] = await read({ query: 'avg:nothing{*}', metricUnavailableValue: 0 });

    // Assess
    expect(failed).toEqual({ error: 'shop/web spec.triggers[0]: no Datadog metrics returned for the given time window' });
    expect(filled).toEqual({ value: 0 });
  });
});
