/**
 * `kafka` metadata (KEDA `kafka_scaler.go`, the sarama scaler): one topic or every topic of the
 * group; the metric is the group's total lag against `lagThreshold` per replica (the lag rules are
 * in triggers/kafka/lag.ts). Rules only this type has: `ensureEvenDistributionOfPartitions` and
 * `fullMetadata: false` need a topic, `version` follows sarama's `ParseKafkaVersion`, and MSK IAM is
 * `sasl: oauthbearer` + `saslTokenProvider: aws_msk_iam`. Rules that depend on the
 * TriggerAuthentication (credentials, certificates) are checked where it is resolved
 * (triggers/kafka/connection.ts).
 */
import * as z from 'zod';
import { kedaBool, kedaString } from '../metadataValues.js';
import type { KafkaTrigger } from '../types.js';
import { defineTrigger } from './definition.js';
import { GSSAPI_UNSUPPORTED, TOPIC_NAME, kafkaLagShape, lagFlagIssues, trimAndDropEmpty } from './kafkaShared.js';

const KAFKA_SASL = ['none', 'plaintext', 'scram_sha256', 'scram_sha512', 'oauthbearer', 'gssapi'] as const;

/** sarama `ParseKafkaVersion`: `0.a.b.c` before 1.0, `a.b.c` after (so `1.2.3.4` is an error). */
const SARAMA_VERSION = /^(?:0\.\d+\.\d+\.\d+|[1-9]\d*\.\d+\.\d+)$/;

const kafkaMetadata = () =>
  z.preprocess(
    trimAndDropEmpty,
    z
      .strictObject({
        ...kafkaLagShape(),
        topic: kedaString()
          .pipe(z.string().regex(TOPIC_NAME, 'must be one Kafka topic name (letters, digits, ".", "_", "-"); the kafka trigger reads one topic, apache-kafka several'))
          .optional(),
        version: kedaString().pipe(z.string().regex(SARAMA_VERSION, 'is not a Kafka version sarama accepts (e.g. 1.0.0, 2.8.1, 0.11.0.2)')).optional(),
        fullMetadata: kedaBool().default(true),
        sasl: kedaString().pipe(z.enum(KAFKA_SASL)).optional(),
        saslTokenProvider: kedaString().pipe(z.enum(['bearer', 'aws_msk_iam'])).optional(),
        unsafeSsl: kedaBool()
          .refine((unsafe) => !unsafe, 'LPA always verifies the brokers\' certificates; give the CA as `ca` in the TriggerAuthentication instead')
          .optional(),
      })
      .superRefine((metadata, ctx) => {
        const topics = metadata.topic === undefined ? [] : [metadata.topic];
        for (const issue of lagFlagIssues({ ...metadata, topics })) ctx.addIssue({ code: 'custom', ...issue, path: [...issue.path] });
        if (metadata.sasl === 'gssapi') ctx.addIssue({ code: 'custom', path: ['sasl'], message: GSSAPI_UNSUPPORTED });
        if (metadata.sasl === 'oauthbearer' && metadata.saslTokenProvider === 'bearer') {
          ctx.addIssue({ code: 'custom', path: ['saslTokenProvider'], message: 'OAuth token endpoints (bearer) are not supported by LPA; for MSK use saslTokenProvider: aws_msk_iam' });
        }
        if (metadata.limitToPartitionsWithLag && metadata.ensureEvenDistributionOfPartitions) {
          ctx.addIssue({ code: 'custom', path: ['ensureEvenDistributionOfPartitions'], message: 'limitToPartitionsWithLag and ensureEvenDistributionOfPartitions cannot be set simultaneously' });
        }
        if (topics.length === 0 && metadata.ensureEvenDistributionOfPartitions) {
          ctx.addIssue({ code: 'custom', path: ['ensureEvenDistributionOfPartitions'], message: 'topic must be specified when using ensureEvenDistributionOfPartitions' });
        }
        if (topics.length === 0 && !metadata.fullMetadata) {
          ctx.addIssue({ code: 'custom', path: ['fullMetadata'], message: 'topic must be specified when fullMetadata is false' });
        }
      })
      .transform(({ topic, partitionLimitation, unsafeSsl: _unsafeSsl, ...rest }) => ({
        ...rest,
        topics: topic === undefined ? [] : [topic],
        // KEDA drops the limitation when no topic is given.
        partitionLimitation: topic === undefined ? [] : (partitionLimitation ?? []),
      })),
  );

const kafka = defineTrigger<KafkaTrigger>({
  type: 'kafka',
  metadata: kafkaMetadata,
  targets: (metadata) => ({ target: metadata.lagThreshold, activationTarget: metadata.activationLagThreshold }),
});

export { kafka };
