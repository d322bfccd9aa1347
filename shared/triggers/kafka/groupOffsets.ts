/**
 * The offsets KEDA's `getTotalLag` starts from, read through an admin client:
 * 1. the partitions: the trigger's topics (filtered by `partitionLimitation`), or every topic the
 *    group has committed offsets for (OffsetFetch for all topics, as sarama's
 *    `ListConsumerGroupOffsets(group, nil)`);
 * 2. the group's committed offsets (OffsetFetch) and the newest offsets (ListOffsets latest, which
 *    the client sends to each partition's leader), both at once.
 *
 * One difference from KEDA's apache-kafka, on purpose: without a topic it lists every topic of the
 * cluster and fails when the group has no active members, so a group scaled to zero could never
 * activate again; LPA uses the group's own topics for both types, as KEDA's kafka does.
 */
import type { Admin } from '@platformatic/kafka';
import type { KafkaLagMetadata } from '../../spec/types.js';
import { TriggerReadError } from '../errors.js';
import type { PartitionOffsets } from './lag.js';

/** Kafka's ListOffsets timestamp for "the offset of the next message to be written". */
const LATEST_TIMESTAMP = -1n;

type TopicPartitions = ReadonlyMap<string, readonly number[]>;

const committedTopics = async (admin: Admin, group: string): Promise<string[]> => {
  const [result] = await admin.listConsumerGroupOffsets({ groups: [group] });
  return (result?.topics ?? []).map((topic) => topic.name);
};

/** KEDA `getTopicPartitions`: each topic's partition ids, limited; a topic left with none is an error. */
const topicPartitions = async (admin: Admin, metadata: KafkaLagMetadata): Promise<TopicPartitions> => {
  const topics = metadata.topics.length > 0 ? [...metadata.topics] : await committedTopics(admin, metadata.consumerGroup);
  if (topics.length === 0) return new Map();
  const cluster = await admin.metadata({ topics, forceUpdate: true });
  const limit = metadata.partitionLimitation.length > 0 ? new Set(metadata.partitionLimitation) : undefined;
  const result = new Map<string, number[]>();
  for (const topic of topics) {
    const described = cluster.topics.get(topic);
    if (described === undefined) throw new TriggerReadError(`topic ${topic} is not in the cluster's metadata`);
    const ids = described.partitions.map((_, id) => id).filter((id) => limit === undefined || limit.has(id));
    if (ids.length === 0) throw new TriggerReadError(`expected at least one active partition within the topic '${topic}'`);
    result.set(topic, ids);
  }
  return result;
};

const committedOffsets = async (admin: Admin, group: string, partitions: TopicPartitions): Promise<Map<string, Map<number, bigint>>> => {
  const topics = [...partitions].map(([name, partitionIndexes]) => ({ name, partitionIndexes: [...partitionIndexes] }));
  const [result] = await admin.listConsumerGroupOffsets({ groups: [{ groupId: group, topics }] });
  const byTopic = new Map<string, Map<number, bigint>>();
  for (const topic of result?.topics ?? []) {
    byTopic.set(topic.name, new Map(topic.partitions.map((p) => [p.partitionIndex, p.committedOffset])));
  }
  return byTopic;
};

const latestOffsets = async (admin: Admin, partitions: TopicPartitions) => {
  const topics = [...partitions].map(([name, ids]) => ({ name, partitions: ids.map((partitionIndex) => ({ partitionIndex, timestamp: LATEST_TIMESTAMP })) }));
  return admin.listOffsets({ topics });
};

/**
 * Every partition KEDA sums over (those in the newest-offset response), with both offsets.
 *
 * @example
 * const offsets = await readGroupOffsets(admin, trigger.metadata);
 * computeTotalLag(offsets, trigger.metadata, previous);
 */
const readGroupOffsets = async (admin: Admin, metadata: KafkaLagMetadata): Promise<PartitionOffsets[]> => {
  const partitions = await topicPartitions(admin, metadata);
  if (partitions.size === 0) return [];
  const [committed, latest] = await Promise.all([committedOffsets(admin, metadata.consumerGroup, partitions), latestOffsets(admin, partitions)]);
  return latest.flatMap((topic) =>
    topic.partitions.map((partition) => ({
      topic: topic.name,
      partition: partition.partitionIndex,
      committed: committed.get(topic.name)?.get(partition.partitionIndex),
      latest: partition.offset,
    })),
  );
};

export { readGroupOffsets };
