/**
 * The `kafka` and `apache-kafka` readers: per trigger, connect (reusing the container's client),
 * read the group's offsets and compute KEDA's lag (lag.ts). The metric is the capped total lag; with
 * `excludePersistentLag` the reading also carries `activationValue`, the lag of every partition,
 * which is what KEDA's activity compares with `activationLagThreshold`.
 *
 * Where `excludePersistentLag` remembers offsets: in this reader, per container, keyed by the
 * ScaledObject and trigger, as KEDA keeps them in its scaler's memory. So, like KEDA after a restart,
 * a fresh container (cold start, or a concurrent invocation on another container) counts a stuck
 * partition once before excluding it again; and "since the previous evaluation" means the previous
 * evaluation in this container (KEDA: the previous call, from its poll loop or an HPA read).
 *
 * Each evaluation is bounded by `timeoutMs` (default 10 s) and by the tick's budget (its AbortSignal):
 * a broker that does not answer fails that trigger's reading, and its client is closed, without
 * holding up the tick.
 */
import type { MetricReading } from '../../engine/types.js';
import type { ApacheKafkaTrigger, KafkaTrigger } from '../../spec/types.js';
import { DEFAULT_CONCURRENCY, mapWithConcurrency } from '../concurrency.js';
import { TriggerReadError, describeError, failedReading } from '../errors.js';
import type { TriggerReader, TriggerRequest } from '../types.js';
import type { Admin } from '@platformatic/kafka';
import type { KafkaClients } from './clients.js';
import { resolveConnection } from './connection.js';
import { readGroupOffsets } from './groupOffsets.js';
import { computeTotalLag } from './lag.js';
import type { PreviousOffsets } from './lag.js';

const DEFAULT_TIMEOUT_MS = 10_000; // 10 seconds

type AnyKafkaTrigger = KafkaTrigger | ApacheKafkaTrigger;

interface KafkaReaderOptions {
  readonly clients: KafkaClients;
  /** Bound on one trigger's evaluation (connect, authenticate, three requests). Default 10 s. */
  readonly timeoutMs?: number;
  /** Triggers evaluated at once. Default 16. */
  readonly concurrency?: number;
}

/** The committed offsets `excludePersistentLag` compares with, per ScaledObject trigger, for this container's life. */
type OffsetMemory = Map<string, PreviousOffsets>;

const memoryKey = ({ scaledObject, trigger }: TriggerRequest<AnyKafkaTrigger>): string =>
  JSON.stringify([scaledObject.metadata.namespace, scaledObject.metadata.name, trigger.index, trigger.metadata.consumerGroup]);

/**
 * The client wraps what went wrong (a refused connection, a certificate it could not verify, a SASL
 * error from the broker) in aggregate errors whose own message is only "Cannot connect to any
 * broker": the causes, innermost last, are what an operator can act on.
 */
const describeKafkaError = (error: unknown, depth = 0): string => {
  const own = describeError(error);
  if (depth >= 3 || !(error instanceof Error)) return own;
  const inner = error instanceof AggregateError ? error.errors : error.cause === undefined ? [] : [error.cause];
  const causes = [...new Set(inner.map((cause) => describeKafkaError(cause, depth + 1)))];
  return causes.length === 0 ? own : `${own} (${causes.join('; ')})`;
};

/**
 * Rejects after `ms`, or when the tick's budget (`signal`) runs out, whichever comes first: a broker
 * that never answers costs one reading, not the tick.
 */
const bounded = <T>(work: Promise<T>, ms: number, signal: AbortSignal | undefined): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TriggerReadError(`no answer within ${ms} ms`)), ms);
    onAbort = () => reject(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, limit]).finally(() => {
    clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
  });
};

const createReader = <T extends AnyKafkaTrigger>(type: T['type'], options: KafkaReaderOptions, memory: OffsetMemory): TriggerReader<T> => {
  const { clients, timeoutMs = DEFAULT_TIMEOUT_MS, concurrency = DEFAULT_CONCURRENCY } = options;

  const evaluate = async (request: TriggerRequest<T>, admin: Admin): Promise<MetricReading> => {
    const { metadata } = request.trigger;
    const offsets = await readGroupOffsets(admin, metadata);
    const key = memoryKey(request);
    const lag = computeTotalLag(offsets, metadata, memory.get(key) ?? new Map());
    if (metadata.excludePersistentLag) memory.set(key, lag.nextOffsets);
    return {
      value: Number(lag.totalLag),
      ...(metadata.excludePersistentLag && { activationValue: Number(lag.totalLagWithPersistent) }),
    };
  };

  const read = async (request: TriggerRequest<T>, signal: AbortSignal | undefined): Promise<MetricReading> => {
    const resolved = resolveConnection(request.trigger, request.authParams);
    if (!resolved.ok) return failedReading(request, resolved.message);
    const { connection } = resolved;
    const group = `group ${request.trigger.metadata.consumerGroup} on ${connection.brokers.join(',')}`;
    if (signal?.aborted) return failedReading(request, `${group}: not read: ${describeError(signal.reason)}`);
    try {
      // Outside the bound: a cold container's first Kafka read imports the client, which is not the brokers' time.
      const admin = await clients.admin(connection);
      return await bounded(evaluate(request, admin), timeoutMs, signal);
    } catch (error) {
      // The client may hold a half-open socket or a broken SASL session: the next tick starts clean.
      await clients.discard(connection);
      return failedReading(request, `${group}: ${describeKafkaError(error)}`);
    }
  };

  return { type, read: (requests, _now, signal) => mapWithConcurrency(requests, concurrency, (request) => read(request, signal)) };
};

/**
 * Both readers share the clients and the offset memory of one container.
 *
 * @example
 * const { kafka, apacheKafka } = createKafkaReaders({ clients: createKafkaClients({ awsCredentials: awsClients.credentials }) });
 */
const createKafkaReaders = (options: KafkaReaderOptions) => {
  const memory: OffsetMemory = new Map();
  return {
    kafka: createReader<KafkaTrigger>('kafka', options, memory),
    apacheKafka: createReader<ApacheKafkaTrigger>('apache-kafka', options, memory),
  };
};

export { createKafkaReaders };
