/**
 * What `kafka` (KEDA `kafka_scaler.go`, sarama) and `apache-kafka` (`apache_kafka_scaler.go`,
 * kafka-go) metadata share: the brokers, the group, the partitions and KEDA's lag flags. Each
 * type adds its own keys and rules (kafka.ts, apacheKafka.ts): they are not aliases.
 *
 * KEDA's typed config trims every value and treats an empty one as unset (Appendix A of the
 * reference), so `partitionLimitation: "   "` means "no limit" and `sasl: "plaintext\n"` is valid.
 */
import * as z from 'zod';
import { kedaBool, kedaInt, kedaString } from '../metadataValues.js';

const DEFAULT_LAG_THRESHOLD = 10;

/** Kafka's own rule for topic names (`Topic.validate`): no commas, so a `,` always separates topics. */
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
/** `host:port`, the form sarama and kafka-go dial. */
const BROKER = /^[^\s:,]+:\d{1,5}$/;
const AWS_REGION = /^[a-z]{2,}(?:-[a-z]+)+-\d+$/;

/** Trims string values and drops the empty ones, as KEDA's `configParamValue` does. */
const trimAndDropEmpty = (metadata: unknown): unknown => {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return metadata;
  return Object.fromEntries(
    Object.entries(metadata)
      .map(([key, value]) => [key, typeof value === 'string' ? value.trim() : value] as const)
      .filter(([, value]) => value !== ''),
  );
};

/** A `,`-separated list (KEDA's default slice separator), each item trimmed and checked. */
const commaList = (item: RegExp, what: string) =>
  kedaString().transform((text, ctx): string[] => {
    const items = text.split(',').map((part) => part.trim());
    for (const part of items) {
      if (!item.test(part)) ctx.addIssue({ code: 'custom', message: `"${part}" is not ${what}` });
    }
    return items;
  });

/**
 * KEDA `parsePartitionLimitation`: `"1,2,10-20"` → [1, 2, 10, …, 20]; each bound is a base-10
 * integer (surrounding spaces allowed), a range has exactly one `-`.
 *
 * @example
 * parsePartitionLimitation('1-4,8'); // { ok: true, partitions: [1, 2, 3, 4, 8] }
 */
const parsePartitionLimitation = (text: string): { ok: true; partitions: number[] } | { ok: false; message: string } => {
  const partitions: number[] = [];
  const integer = (part: string): number | undefined => (/^[+-]?\d+$/.test(part.trim()) ? Number(part.trim()) : undefined);
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const bounds = part.includes('-') ? part.split('-') : [part];
    if (bounds.length > 2) return { ok: false, message: `invalid partition limitation range: ${part}` };
    const values = bounds.map(integer);
    const start = values[0];
    const end = values.at(-1);
    if (start === undefined || end === undefined) return { ok: false, message: `invalid partition limitation: ${part}` };
    for (let id = start; id <= end; id++) partitions.push(id);
  }
  return { ok: true, partitions };
};

const partitionLimitation = () =>
  kedaString().transform((text, ctx): number[] => {
    const parsed = parsePartitionLimitation(text);
    if (parsed.ok) return parsed.partitions;
    ctx.addIssue({ code: 'custom', message: `${parsed.message} (expected e.g. "1,2,10-20")` });
    return z.NEVER;
  });

/** Keys both types read from trigger metadata, with KEDA's defaults. */
const kafkaLagShape = () => ({
  bootstrapServers: commaList(BROKER, 'a broker address host:port'),
  consumerGroup: kedaString(),
  partitionLimitation: partitionLimitation().optional(),
  lagThreshold: kedaInt().default(DEFAULT_LAG_THRESHOLD),
  activationLagThreshold: kedaInt().default(0),
  offsetResetPolicy: kedaString().pipe(z.enum(['latest', 'earliest'])).default('latest'),
  allowIdleConsumers: kedaBool().default(false),
  excludePersistentLag: kedaBool().default(false),
  scaleToZeroOnInvalidOffset: kedaBool().default(false),
  limitToPartitionsWithLag: kedaBool().default(false),
  ensureEvenDistributionOfPartitions: kedaBool().default(false),
  tls: kedaString().pipe(z.enum(['enable', 'disable'])).optional(),
  awsRegion: kedaString().pipe(z.string().regex(AWS_REGION, 'must be an AWS region such as us-east-1')).optional(),
});

/** KEDA accepts Kerberos; LPA refuses it where it is written, rather than at the first read. */
const GSSAPI_UNSUPPORTED = 'gssapi (Kerberos) is not supported by LPA; use scram_sha512, plaintext over TLS, or MSK IAM';

interface LagFlags {
  readonly topics: readonly string[];
  readonly lagThreshold: number;
  readonly activationLagThreshold: number;
  readonly allowIdleConsumers: boolean;
  readonly limitToPartitionsWithLag: boolean;
}

type Issue = { readonly path: readonly string[]; readonly message: string };

/** The rules both `Validate()`s apply, in KEDA's order and words. */
const lagFlagIssues = (metadata: LagFlags): Issue[] => {
  const issues: Issue[] = [];
  if (metadata.lagThreshold <= 0) issues.push({ path: ['lagThreshold'], message: `must be a positive integer, got ${metadata.lagThreshold}` });
  if (metadata.activationLagThreshold < 0) {
    issues.push({ path: ['activationLagThreshold'], message: `must be a non-negative integer, got ${metadata.activationLagThreshold}` });
  }
  if (metadata.allowIdleConsumers && metadata.limitToPartitionsWithLag) {
    issues.push({ path: ['limitToPartitionsWithLag'], message: 'allowIdleConsumers and limitToPartitionsWithLag cannot be set simultaneously' });
  }
  if (metadata.topics.length === 0 && metadata.limitToPartitionsWithLag) {
    issues.push({ path: ['limitToPartitionsWithLag'], message: 'topic must be specified when using limitToPartitionsWithLag' });
  }
  return issues;
};

export { GSSAPI_UNSUPPORTED, TOPIC_NAME, commaList, kafkaLagShape, lagFlagIssues, parsePartitionLimitation, trimAndDropEmpty };
