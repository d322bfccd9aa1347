/**
 * KEDA's Kafka lag, pure (`getLagForPartition` and `getTotalLag` of kafka_scaler.go and
 * apache_kafka_scaler.go, which agree on everything computed here). Offsets are int64 on the wire,
 * so the arithmetic is bigint, including KEDA's integer division in the partition cap.
 *
 * The cap: unless `allowIdleConsumers`, `totalLag` becomes `upperBound × lagThreshold` when
 * `totalLag / lagThreshold` (integer division) exceeds `upperBound` (#partitions, or #partitions
 * with lag under `limitToPartitionsWithLag`). Integer division lets `upperBound × T + r` (0 < r < T)
 * through uncapped, so the HPA's `ceil(totalLag / T)` asks for upperBound + 1 replicas: KEDA's own
 * behaviour (kedacore/keda#4483), kept so that LPA scales exactly as KEDA does.
 *
 * `excludePersistentLag`: a partition whose committed offset has not moved since the previous
 * evaluation counts 0 in the metric but still counts for activation. The previous offsets are an
 * input and the next ones an output, so the caller decides where they live.
 */
import { TriggerReadError } from '../errors.js';

/** One partition of the group: its committed offset (−1: none committed) and the log end offset. */
interface PartitionOffsets {
  readonly topic: string;
  readonly partition: number;
  /** The group's committed offset; `undefined` when OffsetFetch returned no block for it. */
  readonly committed: bigint | undefined;
  /** The newest offset (ListOffsets latest); `undefined` when ListOffsets returned none. */
  readonly latest: bigint | undefined;
}

interface LagRules {
  readonly lagThreshold: number;
  readonly offsetResetPolicy: 'latest' | 'earliest';
  readonly scaleToZeroOnInvalidOffset: boolean;
  readonly excludePersistentLag: boolean;
  readonly allowIdleConsumers: boolean;
  readonly limitToPartitionsWithLag: boolean;
  readonly ensureEvenDistributionOfPartitions: boolean;
}

/** Committed offsets seen by the previous evaluation, by `partitionKey`. */
type PreviousOffsets = ReadonlyMap<string, bigint>;

interface TotalLag {
  /** The metric: lag without persistent partitions, capped. */
  readonly totalLag: bigint;
  /** What activation compares with `activationLagThreshold`: every partition's lag, uncapped. */
  readonly totalLagWithPersistent: bigint;
  readonly partitions: number;
  readonly partitionsWithLag: number;
  /** `previous` updated with this evaluation's committed offsets (only with excludePersistentLag). */
  readonly nextOffsets: PreviousOffsets;
}

const INVALID_OFFSET = -1n;

const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

/** `getLagForPartition`: [lag, lagWithPersistent]; writes the partition's committed offset to `next`. */
const partitionLag = (offsets: PartitionOffsets, rules: LagRules, previous: PreviousOffsets, next: Map<string, bigint>): [bigint, bigint] => {
  const { topic, partition, committed, latest } = offsets;
  if (committed === undefined) {
    throw new TriggerReadError(`no committed offset for topic ${topic} partition ${partition} in the OffsetFetch response`);
  }
  // Checked before the newest offset is needed, so scaleToZeroOnInvalidOffset works without it.
  if (committed === INVALID_OFFSET) {
    if (rules.offsetResetPolicy === 'latest') {
      const lag = rules.scaleToZeroOnInvalidOffset ? 0n : 1n;
      return [lag, lag];
    }
    if (rules.scaleToZeroOnInvalidOffset) return [0n, 0n];
  }
  // sarama: a partition missing from the newest-offset response counts 0 (Azure Event Hubs omits some).
  if (latest === undefined) return [0n, 0n];
  if (committed === INVALID_OFFSET) return [latest, latest];

  const lag = latest - committed;
  if (rules.excludePersistentLag) {
    const key = partitionKey(topic, partition);
    const before = previous.get(key);
    if (before !== undefined && before === committed) return [0n, lag];
    next.set(key, committed);
  }
  return [lag, lag];
};

/** KEDA `FindFactors`: the divisors of n, ascending. */
const findFactors = (n: number): number[] => {
  if (n < 1) return [];
  const low: number[] = [];
  const high: number[] = [];
  for (let i = 1; i * i <= n; i++) {
    if (n % i !== 0) continue;
    low.push(i);
    if (i !== n / i) high.unshift(n / i);
  }
  return [...low, ...high];
};

/** KEDA `getNextFactorThatBalancesConsumersToTopicPartitions`: the smallest divisor f of #partitions with f·T ≥ lag. */
const nextBalancedFactor = (totalLag: bigint, partitions: number, lagThreshold: number): number =>
  findFactors(partitions).find((factor) => BigInt(factor) * BigInt(lagThreshold) >= totalLag) ?? partitions;

/**
 * `getTotalLag` over the partitions KEDA iterates (those in the newest-offset response).
 * Throws a TriggerReadError when the group's offsets are incomplete, as KEDA returns an error.
 *
 * @example
 * computeTotalLag([{ topic: 't', partition: 0, committed: 5n, latest: 35n }], rules, new Map()).totalLag; // 10n (capped: 1 partition, T = 10)
 */
const computeTotalLag = (offsets: readonly PartitionOffsets[], rules: LagRules, previous: PreviousOffsets): TotalLag => {
  const next = new Map(previous);
  let totalLag = 0n;
  let totalLagWithPersistent = 0n;
  let partitionsWithLag = 0;
  for (const partition of offsets) {
    const [lag, lagWithPersistent] = partitionLag(partition, rules, previous, next);
    totalLag += lag;
    totalLagWithPersistent += lagWithPersistent;
    if (lag > 0n) partitionsWithLag++;
  }
  const threshold = BigInt(rules.lagThreshold);
  if (!rules.allowIdleConsumers || rules.limitToPartitionsWithLag || rules.ensureEvenDistributionOfPartitions) {
    let upperBound = BigInt(offsets.length);
    if (rules.ensureEvenDistributionOfPartitions) {
      totalLag = BigInt(nextBalancedFactor(totalLag, offsets.length, rules.lagThreshold)) * threshold;
    }
    if (rules.limitToPartitionsWithLag) upperBound = BigInt(partitionsWithLag);
    // bigint division truncates like Go's int64 division.
    if (totalLag / threshold > upperBound) totalLag = upperBound * threshold;
  }
  return { totalLag, totalLagWithPersistent, partitions: offsets.length, partitionsWithLag, nextOffsets: next };
};

export { computeTotalLag, findFactors, nextBalancedFactor, partitionKey, partitionLag };
export type { LagRules, PartitionOffsets, PreviousOffsets };
