/**
 * KEDA's `newrelic_scaler_test.go` TestNewRelicParseMetadata table, transcribed (row names are the
 * Go table's comments with their index): metadata is checked by `lpa validate`'s parser, and what
 * comes from authParams by the reader's parameter lookup, so a row passes only when both accept it.
 */
import { describe, expect, it } from 'vitest';
import { parseScaledObject } from '../../../shared/spec/index.js';
import type { NewRelicTrigger } from '../../../shared/spec/types.js';
import { NERDGRAPH_ENDPOINTS, newRelicQueryOf, valueOfResults } from '../../../shared/triggers/newRelic.js';

const NRQL = "SELECT average(cpuUsedCores) as result FROM K8sContainerSample WHERE containerName='coredns'";

/** Parses a ScaledObject with this trigger, then resolves the query as the reader would. */
const parseNewRelic = (metadata: Record<string, string>, authParams: Record<string, string>): { ok: boolean; detail: string } => {
  const parsed = parseScaledObject({
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'nr', namespace: 'shop' },
    spec: {
      scaleTargetRef: { name: 'nr' },
      triggers: [{ type: 'new-relic', metadata, ...(Object.keys(authParams).length > 0 ? { authenticationRef: { name: 'nr-auth' } } : {}) }],
    },
  });
  if (!parsed.ok) return { ok: false, detail: parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ') };
  const trigger = parsed.scaledObject.spec.triggers[0] as NewRelicTrigger;
  try {
    const query = newRelicQueryOf({ scaledObject: parsed.scaledObject, trigger, authParams }, NERDGRAPH_ENDPOINTS);
    return { ok: true, detail: JSON.stringify({ ...query, queryKey: '<key>' }) };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
};

describe('new-relic metadata (KEDA TestNewRelicParseMetadata)', () => {
  it.each([
    ['case 0: empty metadata', {}, {}, true],
    ['case 1: all properly formed', { account: '0', threshold: '100', queryKey: 'somekey', nrql: NRQL }, {}, false],
    ['case 2: all properly formed with region and activationThreshold', { account: '0', region: 'EU', threshold: '100', activationThreshold: '20', queryKey: 'somekey', nrql: NRQL }, {}, false],
    ['case 3: account passed via auth params', { region: 'EU', threshold: '100', queryKey: 'somekey', nrql: NRQL }, { account: '0' }, false],
    ['case 4: region passed via auth params', { account: '0', threshold: '100', queryKey: 'somekey', nrql: NRQL }, { region: 'EU' }, false],
    ['case 5: account as String', { account: 'ABC', threshold: '100', queryKey: 'somekey', nrql: NRQL }, {}, true],
    ['case 6: missing account', { threshold: '100', queryKey: 'somekey', nrql: NRQL }, {}, true],
    ['case 7: missing account', { threshold: '100', queryKey: 'somekey', nrql: NRQL }, {}, true],
    ['case 8: malformed threshold', { account: '0', threshold: 'one', queryKey: 'somekey', nrql: NRQL }, {}, true],
    ['case 9: malformed activationThreshold', { account: '0', threshold: '100', activationThreshold: 'notanint', queryKey: 'somekey', nrql: NRQL }, {}, true],
    ['case 10: missing threshold', { account: '0', queryKey: 'somekey', nrql: NRQL }, {}, true],
    ['case 11: missing query', { account: '0', threshold: '100', queryKey: 'somekey' }, {}, true],
    ['case 12: noDataError invalid value', { account: '0', threshold: '100', queryKey: 'somekey', noDataError: 'invalid', nrql: NRQL }, {}, true],
    ['case 13: noDataError valid values (true)', { account: '0', threshold: '100', queryKey: 'somekey', noDataError: 'true', nrql: NRQL }, {}, false],
    ['case 14: noDataError valid values (false)', { account: '0', threshold: '100', queryKey: 'somekey', noDataError: 'false', nrql: NRQL }, {}, false],
    ['case 15: noDataError valid values (0)', { account: '0', threshold: '100', queryKey: 'somekey', noDataError: '0', nrql: NRQL }, {}, false],
    ['case 16: noDataError valid values (1)', { account: '0', threshold: '100', queryKey: 'somekey', noDataError: '1', nrql: NRQL }, {}, false],
  ])('%s', (_, metadata: Record<string, string>, authParams: Record<string, string>, isError) => {
    // Act
    const result = parseNewRelic(metadata, authParams);

    // Assess
    expect(result.ok, result.detail).toBe(!isError);
  });

  it('takes account, queryKey and region from the TriggerAuthentication over the metadata (order=authParams;triggerMetadata)', () => {
    // Act
    const parsed = parseNewRelic({ account: '1', region: 'US', queryKey: 'metadata-key', threshold: '70', nrql: NRQL }, { account: '2', region: 'eu', queryKey: 'auth-key' });

    // Assess
    expect(JSON.parse(parsed.detail)).toEqual({ endpoint: NERDGRAPH_ENDPOINTS.EU, account: 2, queryKey: '<key>', nrql: NRQL });
  });

  it('names a bad account from the TriggerAuthentication without quoting it', () => {
    // Act
    const parsed = parseNewRelic({ queryKey: 'k', threshold: '70', nrql: NRQL }, { account: 'NRAK-SECRET' });

    // Assess
    expect(parsed).toEqual({ ok: false, detail: 'account from the TriggerAuthentication must be an integer (KEDA parses it with strconv.ParseInt)' });
  });

  it('refuses region LOCAL (a New Relic API on localhost means nothing to a Lambda)', () => {
    // Act
    const parsed = parseNewRelic({ account: '1', queryKey: 'k', threshold: '70', nrql: NRQL, region: 'LOCAL' }, {});

    // Assess
    expect(parsed.detail).toBe('spec.triggers[0].metadata.region: must be US, EU or STAGING (case-insensitive), got "LOCAL"');
  });

  it('refuses host (KEDA has none; the key is sent only to New Relic), saying to use region', () => {
    // Act
    const parsed = parseNewRelic({ account: '1', queryKey: 'k', threshold: '70', nrql: NRQL, host: 'https://nr-proxy.example.com' }, {});

    // Assess
    expect(parsed.detail).toMatch(/^spec\.triggers\[0\]\.metadata\.host: is not a KEDA new-relic parameter.*set region to US, EU or STAGING instead$/);
  });
});

describe('valueOfResults (KEDA executeNewRelicQuery, made deterministic)', () => {
  it.each([
    ['no rows', [], undefined],
    ['a single numeric field', [{ result: 0.5 }], 0.5],
    ['an integer count', [{ count: 42 }], 42],
    ['only the first row counts (TIMESERIES)', [{ count: 1 }, { count: 99 }], 1],
    ['the first numeric field in NerdGraph order', [{ facet: 'web', count: 7, average: 3.5 }], 7],
    ['the time window of a TIMESERIES row is skipped', [{ beginTimeSeconds: 1_700_000_000, endTimeSeconds: 1_700_000_060, count: 5 }], 5],
    ['nested values are not numbers (percentile)', [{ 'percentile.duration': { '95': 528 } }], undefined],
    ['null is not a number', [{ average: null }], undefined],
  ])('%s', (_, rows: Record<string, unknown>[], expected) => {
    // Act
    const value = valueOfResults(rows);

    // Assess
    expect(value).toBe(expected);
  });
});
