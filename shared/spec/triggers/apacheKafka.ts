/**
 * `apache-kafka` metadata (KEDA `apache_kafka_scaler.go`, the kafka-go scaler): like `kafka` but
 * `topic` is a `,`-separated list, MSK IAM is `sasl: aws_msk_iam`, and there is no `version`,
 * `fullMetadata`, `saslTokenProvider` or `unsafeSsl`. KEDA's apache-kafka accepts
 * `ensureEvenDistributionOfPartitions` without a topic (kafka rejects it), and refuses `sasl` or `tls`
 * given both here and in the TriggerAuthentication (checked in triggers/kafka/connection.ts).
 */
import * as z from 'zod';
import { kedaString } from '../metadataValues.js';
import type { ApacheKafkaTrigger } from '../types.js';
import { defineTrigger } from './definition.js';
import { GSSAPI_UNSUPPORTED, TOPIC_NAME, commaList, kafkaLagShape, lagFlagIssues, trimAndDropEmpty } from './kafkaShared.js';

const APACHE_KAFKA_SASL = ['none', 'plaintext', 'scram_sha256', 'scram_sha512', 'gssapi', 'aws_msk_iam'] as const;

const apacheKafkaMetadata = () =>
  z.preprocess(
    trimAndDropEmpty,
    z
      .strictObject({
        ...kafkaLagShape(),
        topic: commaList(TOPIC_NAME, 'a Kafka topic name (letters, digits, ".", "_", "-")').optional(),
        sasl: kedaString().pipe(z.enum(APACHE_KAFKA_SASL)).optional(),
      })
      .superRefine((metadata, ctx) => {
        const topics = metadata.topic ?? [];
        for (const issue of lagFlagIssues({ ...metadata, topics })) ctx.addIssue({ code: 'custom', ...issue, path: [...issue.path] });
        if (metadata.sasl === 'gssapi') ctx.addIssue({ code: 'custom', path: ['sasl'], message: GSSAPI_UNSUPPORTED });
      })
      .transform(({ topic, partitionLimitation, ...rest }) => ({
        ...rest,
        topics: topic ?? [],
        partitionLimitation: topic === undefined ? [] : (partitionLimitation ?? []),
      })),
  );

const apacheKafka = defineTrigger<ApacheKafkaTrigger>({
  type: 'apache-kafka',
  metadata: apacheKafkaMetadata,
  targets: (metadata) => ({ target: metadata.lagThreshold, activationTarget: metadata.activationLagThreshold }),
});

export { apacheKafka };
