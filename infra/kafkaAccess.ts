/**
 * What Kafka triggers need from the deployment: the functions inside the brokers' VPC
 * (`vpcPlacement`, required), and for MSK clusters with IAM access control the least-privileged
 * `kafka-cluster:*` actions reading lag takes (docs.aws.amazon.com/msk/latest/developerguide/kafka-actions.html):
 * - `Connect` on the cluster (every connection);
 * - `DescribeTopic` on the trigger's topics (Metadata and ListOffsets), every topic of the cluster
 *   when the trigger names none (the group's topics are known only at run time);
 * - `DescribeGroup` on the consumer group (FindCoordinator and OffsetFetch).
 * No `ReadData`: LPA never fetches records.
 *
 * The cluster is named by the MSK broker host (`b-1.<cluster>.<id>.c2.kafka.<region>.amazonaws.com`);
 * its UUID is not in the host, so the ARNs end in `<cluster>/*` and name cluster, topics and group
 * exactly otherwise. A trigger is MSK IAM when its metadata says so (apache-kafka `sasl: aws_msk_iam`,
 * kafka `sasl: oauthbearer` + `saslTokenProvider: aws_msk_iam`) or its brokers use MSK's IAM ports
 * (9098, public 9198), since `sasl` may come from a TriggerAuthentication the construct does not see.
 * A trigger whose object names a `podIdentity.roleArn` connects as that role: the functions then
 * need only `sts:AssumeRole` on it (authAccess.ts `rolesOf`), and the role's own policy grants MSK.
 */
import { Arn, Token } from 'aws-cdk-lib';
import type { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { TriggerAuthentication } from '../shared/spec/auth/types.js';
import { isKafka, mskClusterOf, usesMskIam } from '../shared/access/touches.js';
import type { ScaledObject } from '../shared/spec/types.js';
import { triggerRoleOf } from './authAccess.js';

interface MskGrant {
  readonly clusterName: string;
  readonly region: string;
  /** Topic names; `*` when a trigger reads every topic of its group. */
  readonly topics: readonly string[];
  readonly groups: readonly string[];
}

interface KafkaAccess {
  /** Some object has a Kafka trigger: the functions must run in the brokers' VPC and carry the Kafka client. */
  readonly usesKafka: boolean;
  readonly msk: readonly MskGrant[];
  /** MSK IAM triggers whose cluster cannot be named from their brokers. */
  readonly problems: readonly string[];
}

/**
 * @example
 * kafkaAccessOf(objects); // { usesKafka: true, msk: [{ clusterName: 'orders', region: 'eu-west-1', topics: ['jobs'], groups: ['workers'] }], problems: [] }
 */
const kafkaAccessOf = (objects: readonly ScaledObject[], authentications: readonly TriggerAuthentication[] = []): KafkaAccess => {
  const grants = new Map<string, { clusterName: string; region: string; topics: Set<string>; groups: Set<string> }>();
  const problems: string[] = [];
  let usesKafka = false;
  for (const so of objects) {
    for (const trigger of so.spec.triggers.filter(isKafka)) {
      usesKafka = true;
      if (!usesMskIam(trigger) || triggerRoleOf(so, trigger, authentications) !== undefined) continue;
      const cluster = mskClusterOf(trigger);
      if (cluster === undefined) {
        problems.push(
          `${so.metadata.namespace}/${so.metadata.name} spec.triggers[${trigger.index}].metadata.bootstrapServers: MSK IAM needs the MSK broker host names (b-N.<cluster>.<id>.c2.kafka.<region>.amazonaws.com:9098) of one cluster, so that the IAM policy can name it`,
        );
        continue;
      }
      const { clusterName, region } = cluster;
      const key = `${region}/${clusterName}`;
      const grant = grants.get(key) ?? { clusterName, region, topics: new Set<string>(), groups: new Set<string>() };
      for (const topic of trigger.metadata.topics.length > 0 ? trigger.metadata.topics : ['*']) grant.topics.add(topic);
      grant.groups.add(trigger.metadata.consumerGroup);
      grants.set(key, grant);
    }
  }
  const msk = [...grants.values()]
    .map(({ clusterName, region, topics, groups }) => ({ clusterName, region, topics: topics.has('*') ? ['*'] : [...topics].sort(), groups: [...groups].sort() }))
    .sort((a, b) => `${a.region}/${a.clusterName}`.localeCompare(`${b.region}/${b.clusterName}`));
  return { usesKafka, msk, problems };
};

type MskResource = readonly [region: string, resource: 'cluster' | 'topic' | 'group', resourceName: string];

/** Per action, the resources of every cluster (the cluster UUID is `*`). */
const mskResources = (access: KafkaAccess) => ({
  connect: access.msk.map((g): MskResource => [g.region, 'cluster', `${g.clusterName}/*`]),
  topics: access.msk.flatMap((g) => g.topics.map((t): MskResource => [g.region, 'topic', `${g.clusterName}/*/${t}`])),
  groups: access.msk.flatMap((g) => g.groups.map((group): MskResource => [g.region, 'group', `${g.clusterName}/*/${group}`])),
});

const arnOf = (stack: Stack, [region, resource, resourceName]: MskResource): string => Arn.format({ service: 'kafka', region, account: stack.account, resource, resourceName }, stack);

/** One statement per action, each on exactly the clusters, topics and groups the triggers read. */
const mskStatements = (stack: Stack, access: KafkaAccess): iam.PolicyStatement[] => {
  if (access.msk.length === 0) return [];
  const { connect, topics, groups } = mskResources(access);
  return [
    new iam.PolicyStatement({ sid: 'MskConnect', actions: ['kafka-cluster:Connect'], resources: connect.map((r) => arnOf(stack, r)) }),
    new iam.PolicyStatement({ sid: 'MskDescribeTopics', actions: ['kafka-cluster:DescribeTopic'], resources: topics.map((r) => arnOf(stack, r)) }),
    new iam.PolicyStatement({ sid: 'MskDescribeGroups', actions: ['kafka-cluster:DescribeGroup'], resources: groups.map((r) => arnOf(stack, r)) }),
  ];
};

/** The same resources as cdk-nag names them in its findings (tokens as `<AWS::…>`). */
const mskNagResources = (stack: Stack, access: KafkaAccess): string[] => {
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  const { connect, topics, groups } = mskResources(access);
  return [...connect, ...topics, ...groups].map(([region, resource, name]) => `arn:<AWS::Partition>:kafka:${region}:${account}:${resource}/${name}`);
};

export { kafkaAccessOf, mskNagResources, mskStatements };
export type { KafkaAccess };
