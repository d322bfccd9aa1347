/**
 * KEDA's lag computation. Tables transcribed from kafka_scaler_test.go (rows named after KEDA's
 * cases): TestGetLagForPartition_MissingPartition, TestKafkaParsePartitionLimitation, TestFindFactors,
 * TestGetNextFactor; then getTotalLag's cap and flags, case by case from kafka_scaler.go.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePartitionLimitation } from '../../../../shared/spec/triggers/kafkaShared.js';
import { computeTotalLag, findFactors, nextBalancedFactor, partitionKey, partitionLag } from '../../../../shared/triggers/kafka/lag.js';
import type { LagRules, PartitionOffsets } from '../../../../shared/triggers/kafka/lag.js';

const RULES: LagRules = {
  lagThreshold: 10,
  offsetResetPolicy: 'latest',
  scaleToZeroOnInvalidOffset: false,
  excludePersistentLag: false,
  allowIdleConsumers: false,
  limitToPartitionsWithLag: false,
  ensureEvenDistributionOfPartitions: false,
};

const p = (partition: number, committed: number | undefined, latest: number | undefined, topic = 't'): PartitionOffsets => ({
  topic,
  partition,
  committed: committed === undefined ? undefined : BigInt(committed),
  latest: latest === undefined ? undefined : BigInt(latest),
});

describe('Function: partitionLag (KEDA TestGetLagForPartition_MissingPartition)', () => {
  it.each([
    ['Scenario 1: scaleToZeroOnInvalidOffset true, invalid consumer offset, missing partition', -1, undefined, 'earliest', true, 0n, 0n],
    ['Scenario 2: scaleToZeroOnInvalidOffset false, invalid consumer offset, missing partition', -1, undefined, 'earliest', false, 0n, 0n],
    ['Scenario 3: Valid consumer offset, missing partition in topicPartitionOffsets', 100, undefined, 'earliest', false, 0n, 0n],
    ['Control: Valid offsets, no missing partition', 100, 150, 'earliest', false, 50n, 50n],
    ['Control: Invalid consumer offset with latest policy and scaleToZeroOnInvalidOffset true', -1, 150, 'latest', true, 0n, 0n],
  ] as const)('%s', (_name, committed, latest, offsetResetPolicy, scaleToZeroOnInvalidOffset, lag, lagWithPersistent) => {
    const rules = { ...RULES, offsetResetPolicy, scaleToZeroOnInvalidOffset };
    expect(partitionLag(p(0, committed, latest), rules, new Map(), new Map())).toEqual([lag, lagWithPersistent]);
  });

  it('counts 1 for a partition without a committed offset under offsetResetPolicy latest', () => {
    expect(partitionLag(p(0, -1, 500), RULES, new Map(), new Map())).toEqual([1n, 1n]);
  });

  it('counts the whole partition under offsetResetPolicy earliest', () => {
    expect(partitionLag(p(0, -1, 500), { ...RULES, offsetResetPolicy: 'earliest' }, new Map(), new Map())).toEqual([500n, 500n]);
  });

  it('fails when OffsetFetch returned no block for the partition, as sarama does', () => {
    expect(() => partitionLag(p(3, undefined, 500), RULES, new Map(), new Map())).toThrow('no committed offset for topic t partition 3');
  });
});

describe('Function: parsePartitionLimitation (KEDA TestKafkaParsePartitionLimitation)', () => {
  it.each([
    ['single value', '1', [1]],
    ['comma-separated list', '1,2,3,4', [1, 2, 3, 4]],
    ['list with whitespace around values', ' 1 , 2 , 3 ', [1, 2, 3]],
    ['simple range', '1-4', [1, 2, 3, 4]],
    ['single-element range (start == end)', '3-3', [3]],
    ['range with whitespace', ' 1 - 4 ', [1, 2, 3, 4]],
    ['mixed list and ranges', '1-4,8,10-12', [1, 2, 3, 4, 8, 10, 11, 12]],
  ])('%s', (_name, input, expected) => {
    expect(parsePartitionLimitation(input)).toEqual({ ok: true, partitions: expected });
  });

  it.each([
    ['non-numeric value', 'a,b,c'],
    ['invalid range: too many parts', '1-2-3'],
    ['invalid range: non-numeric start', 'a-3'],
    ['invalid range: non-numeric end', '1-b'],
  ])('%s', (_name, input) => {
    expect(parsePartitionLimitation(input)).toMatchObject({ ok: false });
  });
});

describe('Function: findFactors (KEDA TestFindFactors)', () => {
  it.each([
    [10, [1, 2, 5, 10]],
    [13, [1, 13]],
    [17, [1, 17]],
    [25, [1, 5, 25]],
    [50, [1, 2, 5, 10, 25, 50]],
    [100, [1, 2, 4, 5, 10, 20, 25, 50, 100]],
  ])('factors of %i', (n, factors) => {
    expect(findFactors(n)).toEqual(factors);
  });
});

describe('Function: nextBalancedFactor (KEDA TestGetNextFactor)', () => {
  it.each([
    [10, 1],
    [20, 2],
    [40, 4],
    [50, 5],
    [99, 10],
    [100, 10],
    [101, 20],
  ])('lag %i over 100 partitions at threshold 10 → factor %i', (lag, factor) => {
    expect(nextBalancedFactor(BigInt(lag), 100, 10)).toBe(factor);
  });
});

describe('Function: computeTotalLag (KEDA getTotalLag)', () => {
  const three = (lags: readonly [number, number, number]) => lags.map((lag, i) => p(i, 100, 100 + lag));

  it('sums the partitions when the lag stays under the partition cap', () => {
    expect(computeTotalLag(three([5, 10, 5]), RULES, new Map())).toMatchObject({ totalLag: 20n, totalLagWithPersistent: 20n, partitions: 3 });
  });

  it('caps at partitions × lagThreshold when lag / threshold exceeds the partition count', () => {
    expect(computeTotalLag(three([100, 100, 100]), RULES, new Map()).totalLag).toBe(30n);
  });

  it('lets partitions × threshold + r through uncapped, as KEDA\'s integer division does (one replica above the partitions)', () => {
    // 35 / 10 = 3 (integer), not > 3 partitions: the HPA then asks ceil(35 / 10) = 4 replicas (kedacore/keda#4483).
    expect(computeTotalLag(three([15, 10, 10]), RULES, new Map()).totalLag).toBe(35n);
  });

  it('does not cap with allowIdleConsumers', () => {
    expect(computeTotalLag(three([100, 100, 100]), { ...RULES, allowIdleConsumers: true }, new Map()).totalLag).toBe(300n);
  });

  it('caps at the partitions with lag under limitToPartitionsWithLag', () => {
    const result = computeTotalLag(three([100, 0, 100]), { ...RULES, limitToPartitionsWithLag: true }, new Map());
    expect(result).toMatchObject({ totalLag: 20n, partitionsWithLag: 2 });
  });

  it('rounds the lag up to a divisor of the partition count under ensureEvenDistributionOfPartitions', () => {
    // 6 partitions, lag 25, threshold 10: factors 1, 2, 3, 6 → 3 × 10 = 30, so 3 consumers get 2 partitions each.
    const offsets = [25, 0, 0, 0, 0, 0].map((lag, i) => p(i, 0, lag));
    expect(computeTotalLag(offsets, { ...RULES, ensureEvenDistributionOfPartitions: true }, new Map()).totalLag).toBe(30n);
  });

  it('reports zero lag for a group with no partitions', () => {
    expect(computeTotalLag([], RULES, new Map())).toMatchObject({ totalLag: 0n, totalLagWithPersistent: 0n, partitions: 0 });
  });

  it('excludes a partition whose committed offset did not move since the previous evaluation from the metric, not from activation', () => {
    const rules = { ...RULES, excludePersistentLag: true };
    const first = computeTotalLag([p(0, 100, 150), p(1, 200, 210)], rules, new Map());
    const second = computeTotalLag([p(0, 100, 170), p(1, 205, 215)], rules, first.nextOffsets);
    expect(first).toMatchObject({ totalLag: 20n, totalLagWithPersistent: 60n });
    expect(second).toMatchObject({ totalLag: 10n, totalLagWithPersistent: 80n });
  });

  it('remembers committed offsets only with excludePersistentLag', () => {
    expect(computeTotalLag([p(0, 100, 150)], RULES, new Map()).nextOffsets.size).toBe(0);
    expect(computeTotalLag([p(0, 100, 150)], { ...RULES, excludePersistentLag: true }, new Map()).nextOffsets.get(partitionKey('t', 0))).toBe(100n);
  });

  it('keeps lag / threshold (integer) within the partition count unless allowIdleConsumers (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 10_000 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 500 }), (lags, lagThreshold) => {
        const offsets = lags.map((lag, i) => p(i, 0, lag));
        const { totalLag } = computeTotalLag(offsets, { ...RULES, lagThreshold }, new Map());
        return totalLag / BigInt(lagThreshold) <= BigInt(offsets.length) && totalLag <= lags.reduce((a, b) => a + BigInt(b), 0n);
      }),
    );
  });
});
