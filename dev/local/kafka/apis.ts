/**
 * The requests the local broker answers, each at the one version it advertises (the newest Kafka
 * 3.7 speaks and the client implements, so the client picks exactly these): ApiVersions v3,
 * Metadata v12, ListOffsets v8, FindCoordinator v4, OffsetFetch v9, SaslHandshake v1 and
 * SaslAuthenticate v2. Layouts from kafka.apache.org/protocol; answers from the cluster model as a
 * single-node Kafka would give them (unknown topic: error 3; a group without offsets: −1).
 */
import { KafkaReader, KafkaWriter } from './codec.js';

const ApiKey = { ListOffsets: 2, Metadata: 3, OffsetFetch: 9, FindCoordinator: 10, SaslHandshake: 17, ApiVersions: 18, SaslAuthenticate: 36 } as const;

/** api key → [min, max] advertised; handlers exist for max only. */
const ADVERTISED: ReadonlyMap<number, readonly [number, number]> = new Map([
  [ApiKey.ListOffsets, [1, 8]],
  [ApiKey.Metadata, [0, 12]],
  [ApiKey.OffsetFetch, [0, 9]],
  [ApiKey.FindCoordinator, [0, 4]],
  [ApiKey.SaslHandshake, [0, 1]],
  [ApiKey.ApiVersions, [0, 3]],
  [ApiKey.SaslAuthenticate, [0, 2]],
]);

/** Flexible versions (compact types, request header v2, response header v1), per api key. */
const FLEXIBLE_FROM: ReadonlyMap<number, number> = new Map([
  [ApiKey.ListOffsets, 6],
  [ApiKey.Metadata, 9],
  [ApiKey.OffsetFetch, 6],
  [ApiKey.FindCoordinator, 3],
  [ApiKey.ApiVersions, 3],
  [ApiKey.SaslAuthenticate, 2],
]);

const ErrorCode = { NONE: 0, UNKNOWN_TOPIC_OR_PARTITION: 3, UNSUPPORTED_SASL_MECHANISM: 33, UNSUPPORTED_VERSION: 35, SASL_AUTHENTICATION_FAILED: 58 } as const;

const NODE_ID = 1;
const LATEST = -1n;
const EARLIEST = -2n;

/** What the broker knows: log end offsets per partition, committed offsets per group. */
interface KafkaClusterModel {
  readonly topics: Map<string, bigint[]>;
  readonly groups: Map<string, Map<string, Map<number, bigint>>>;
}

interface BrokerAddress {
  readonly host: string;
  readonly port: number;
}

const apiVersions = (w: KafkaWriter): void => {
  w.int16(ErrorCode.NONE)
    .compactArray([...ADVERTISED], (w, [key, [min, max]]) => w.int16(key).int16(min).int16(max).tags())
    .int32(0)
    .tags();
};

const metadata = (r: KafkaReader, w: KafkaWriter, cluster: KafkaClusterModel, broker: BrokerAddress): void => {
  const requested = r.compactArray((r) => {
    r.uuid();
    const name = r.compactString();
    r.tags();
    return name ?? '';
  });
  const names = requested ?? [...cluster.topics.keys()];
  w.int32(0)
    .compactArray([broker], (w, b) => w.int32(NODE_ID).compactString(b.host).int32(b.port).compactString(null).tags())
    .compactString('lpa-local-kafka')
    .int32(NODE_ID)
    .compactArray(names, (w, name) => {
      const partitions = cluster.topics.get(name);
      w.int16(partitions === undefined ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.NONE)
        .compactString(name)
        .uuid()
        .boolean(false)
        .compactArray((partitions ?? []).map((_, id) => id), (w, id) =>
          w.int16(ErrorCode.NONE).int32(id).int32(NODE_ID).int32(0)
            .compactArray([NODE_ID], (w, node) => w.int32(node))
            .compactArray([NODE_ID], (w, node) => w.int32(node))
            .compactArray<number>([], () => undefined)
            .tags(),
        )
        .int32(-2147483648)
        .tags();
    })
    .tags();
};

const listOffsets = (r: KafkaReader, w: KafkaWriter, cluster: KafkaClusterModel): void => {
  r.int32();
  r.int8();
  const topics =
    r.compactArray((r) => {
      const name = r.compactString() ?? '';
      const partitions =
        r.compactArray((r) => {
          const partition = r.int32();
          r.int32();
          const timestamp = r.int64();
          r.tags();
          return { partition, timestamp };
        }) ?? [];
      r.tags();
      return { name, partitions };
    }) ?? [];
  r.tags();
  w.int32(0)
    .compactArray(topics, (w, topic) => {
      w.compactString(topic.name).compactArray(topic.partitions, (w, { partition, timestamp }) => {
        const end = cluster.topics.get(topic.name)?.[partition];
        const offset = end === undefined ? -1n : timestamp === EARLIEST ? 0n : timestamp === LATEST ? end : -1n;
        w.int32(partition)
          .int16(end === undefined ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.NONE)
          .int64(-1n)
          .int64(offset)
          .int32(0)
          .tags();
      });
      w.tags();
    })
    .tags();
};

const findCoordinator = (r: KafkaReader, w: KafkaWriter, broker: BrokerAddress): void => {
  r.int8();
  const keys = r.compactArray((r) => r.compactString() ?? '') ?? [];
  r.tags();
  w.int32(0)
    .compactArray(keys, (w, key) => w.compactString(key).int32(NODE_ID).compactString(broker.host).int32(broker.port).int16(ErrorCode.NONE).compactString(null).tags())
    .tags();
};

const offsetFetch = (r: KafkaReader, w: KafkaWriter, cluster: KafkaClusterModel): void => {
  const groups =
    r.compactArray((r) => {
      const groupId = r.compactString() ?? '';
      r.compactString();
      r.int32();
      const topics = r.compactArray((r) => {
        const name = r.compactString() ?? '';
        const partitions = r.compactArray((r) => r.int32()) ?? [];
        r.tags();
        return { name, partitions };
      });
      r.tags();
      return { groupId, topics };
    }) ?? [];
  r.boolean();
  r.tags();
  w.int32(0)
    .compactArray(groups, (w, { groupId, topics }) => {
      const committed = cluster.groups.get(groupId) ?? new Map<string, Map<number, bigint>>();
      // Null topics: every topic the group has committed offsets for.
      const answer = topics ?? [...committed].map(([name, offsets]) => ({ name, partitions: [...offsets.keys()] }));
      w.compactString(groupId)
        .compactArray(answer, (w, { name, partitions }) => {
          w.compactString(name)
            .compactArray(partitions, (w, partition) =>
              w.int32(partition).int64(committed.get(name)?.get(partition) ?? -1n).int32(-1).compactString('').int16(ErrorCode.NONE).tags(),
            )
            .tags();
        })
        .int16(ErrorCode.NONE)
        .tags();
    })
    .tags();
};

export { ADVERTISED, ApiKey, ErrorCode, FLEXIBLE_FROM, apiVersions, findCoordinator, listOffsets, metadata, offsetFetch };
export type { KafkaClusterModel };
