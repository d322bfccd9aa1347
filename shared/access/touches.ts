/**
 * What a ScaledObject makes LPA touch beyond the target's `/scale` (pure): the AWS resources its
 * triggers read and the roles they read as, the hosts LPA connects to, the in-cluster Services it
 * reads through the API server's proxy, and what its
 * TriggerAuthentication makes LPA read (Secrets, Secrets Manager secrets, roles). One place for
 * "which queue, which workspace, which MSK cluster": the construct derives IAM from the same
 * references (infra/awsAccess.ts, infra/kafkaAccess.ts) and the cluster source checks each touch
 * against its namespace's allowance before anything is read (shared/access/tenancy.ts).
 *
 * Each touch carries the path of the field it comes from, so a refusal names it, and `via` when it is
 * what a ClusterTriggerAuthentication makes LPA read (its Secrets, Secrets Manager secrets, roles):
 * those are checked against the operator's declaration of that object, not the namespace's allowance.
 */
import { DEFAULT_CLUSTER_OBJECT_NAMESPACE } from '../spec/auth/triggerAuthentication.js';
import type { TriggerAuthentication } from '../spec/auth/types.js';
import { prometheusServerOf } from '../spec/triggers/prometheusServer.js';
import type { ScaledObject, SqsQueueTrigger, Trigger } from '../spec/types.js';

/** A queue as the runtime addresses it (`shared/triggers/awsSqsQueue.ts`). */
interface QueueRef {
  readonly name: string;
  /** `awsRegion`: the runtime's SQS client is built for it, so the queue lives there. */
  readonly region: string;
  /**
   * The owner: from the queue URL, else the account of `awsRoleArn` (SQS resolves a bare name in
   * the caller's account), else undefined, meaning the functions' own account.
   */
  readonly account?: string;
  /** A bare name: the runtime asks `sqs:GetQueueUrl` before `sqs:GetQueueAttributes`. */
  readonly byName: boolean;
  /** Read through this role rather than the functions' own credentials. */
  readonly roleArn?: string;
}

/** The ClusterTriggerAuthentication whose content a touch is (absent: the object's or its TriggerAuthentication's). */
interface Via {
  readonly via?: string;
}

/** An AWS resource read, as its ARN; `as`: the role it is read as (absent: the functions' own credentials). */
interface AwsTouch extends Via {
  readonly kind: 'aws';
  readonly path: string;
  readonly arn: string;
  readonly as?: string;
}

/** A role LPA assumes to read. */
interface RoleTouch extends Via {
  readonly kind: 'role';
  readonly path: string;
  readonly arn: string;
}

/** A host LPA connects to (an awsEndpoint, a Prometheus server outside the cluster, a Kafka broker). */
interface EndpointTouch {
  readonly kind: 'endpoint';
  readonly path: string;
  readonly host: string;
}

/**
 * An in-cluster Service (a Prometheus) read through the API server's service proxy, as RBAC names it:
 * `services/proxy` get on `<scheme>:<service>:<port>` in its namespace. `address`: as written.
 */
interface ServiceTouch {
  readonly kind: 'service';
  readonly path: string;
  readonly address: string;
  readonly namespace: string;
  readonly proxyName: string;
}

/** A ClusterTriggerAuthentication, read by name. */
interface NamedTouch {
  readonly kind: 'clusterTriggerAuthentication';
  readonly path: string;
  readonly name: string;
}

/** A Kubernetes Secret read by name: a TriggerAuthentication's in its namespace, a ClusterTriggerAuthentication's in KEDA's cluster-object namespace. */
interface SecretTouch extends Via {
  readonly kind: 'secret';
  readonly path: string;
  readonly namespace: string;
  readonly name: string;
}

type Touch = AwsTouch | RoleTouch | EndpointTouch | ServiceTouch | SecretTouch | NamedTouch;

/** Where the functions run: what a resource named without account or region resolves to. */
interface Home {
  readonly account?: string;
  readonly region?: string;
  /** Where ClusterTriggerAuthentications' Secrets are. @default 'keda' */
  readonly clusterObjectNamespace?: string;
}

/** A URL (what KEDA's `url.ParseRequestURI` accepts) rather than a bare queue name. */
const isQueueUrl = (queue: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(queue) || queue.startsWith('/');

const accountOfArn = (arn: string | undefined): string | undefined => arn?.split(':')[4];

/**
 * The queue of an SQS trigger. The spec has checked the URL's path is `/<account>/<name>` (and
 * refused `queueURLFromEnv`, so every trigger names its queue).
 *
 * @example
 * queueRefOf(trigger); // { name: 'orders', region: 'eu-west-1', account: '123456789012', byName: false }
 */
const queueRefOf = (trigger: SqsQueueTrigger, roleArn = trigger.metadata.awsRoleArn): QueueRef => {
  const { queueURL, awsRegion: region } = trigger.metadata;
  const base = { region, ...(roleArn === undefined ? {} : { roleArn }) };
  if (!isQueueUrl(queueURL)) {
    const account = accountOfArn(roleArn);
    return { ...base, name: queueURL, byName: true, ...(account === undefined ? {} : { account }) };
  }
  const [, account = '', name = ''] = new URL(queueURL, 'https://placeholder.invalid').pathname.split('/');
  return { ...base, name, account, byName: false };
};

type KafkaTrigger = Extract<Trigger, { type: 'kafka' | 'apache-kafka' }>;

/** `b-1.orders.abc123.c2.kafka.eu-west-1.amazonaws.com` → cluster `orders`, region `eu-west-1`. */
const MSK_BROKER = /^(?:b|boot)-[\w-]+\.([A-Za-z0-9-]+)\.[a-z0-9]+(?:\.c\d+)?\.kafka(?:-serverless)?\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?:(\d+)$/;
const MSK_IAM_PORTS = new Set(['9098', '9198']);

const isKafka = (trigger: Trigger): trigger is KafkaTrigger => trigger.type === 'kafka' || trigger.type === 'apache-kafka';

/**
 * A trigger is MSK IAM when its metadata says so (apache-kafka `sasl: aws_msk_iam`, kafka `sasl:
 * oauthbearer` + `saslTokenProvider: aws_msk_iam`) or its brokers use MSK's IAM ports (9098, public
 * 9198), since `sasl` may come from a TriggerAuthentication.
 */
const usesMskIam = ({ type, metadata }: KafkaTrigger): boolean =>
  (type === 'apache-kafka' && metadata.sasl === 'aws_msk_iam') ||
  (type === 'kafka' && metadata.sasl === 'oauthbearer' && metadata.saslTokenProvider === 'aws_msk_iam') ||
  metadata.bootstrapServers.some((broker) => MSK_IAM_PORTS.has(broker.slice(broker.lastIndexOf(':') + 1)));

/** The one MSK cluster the brokers name, or undefined when they name none or several. */
const mskClusterOf = (trigger: KafkaTrigger): { readonly clusterName: string; readonly region: string } | undefined => {
  const clusters = new Set(trigger.metadata.bootstrapServers.map((broker) => MSK_BROKER.exec(broker)).map((match) => match && `${match[1]}\u0000${match[2]}`));
  const [cluster] = clusters;
  if (clusters.size !== 1 || cluster === null || cluster === undefined) return undefined;
  const [clusterName = '', region = ''] = cluster.split('\u0000');
  return { clusterName, region };
};

/** The partition a region's ARNs are in. */
const partitionOf = (region: string): string => (region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws');

const arn = (service: string, region: string, account: string | undefined, resource: string): string => `arn:${partitionOf(region)}:${service}:${region}:${account ?? ''}:${resource}`;

/** The host of a URL or `host:port`, lower-case (`[::1]` keeps its brackets). */
const hostOf = (address: string): string => {
  try {
    return new URL(address.includes('://') ? address : `tcp://${address}`).hostname.toLowerCase();
  } catch {
    return address.toLowerCase();
  }
};

/** `via` for what `auth` makes LPA read: its name when it is a ClusterTriggerAuthentication. */
const viaOf = (auth: TriggerAuthentication | undefined): Via => (auth?.kind === 'ClusterTriggerAuthentication' ? { via: auth.metadata.name } : {});

/** The TriggerAuthentication a trigger references, among those given. */
const authenticationFor = (so: ScaledObject, trigger: Trigger, given: readonly TriggerAuthentication[]): TriggerAuthentication | undefined => {
  const ref = trigger.authenticationRef;
  if (ref === undefined) return undefined;
  const namespace = ref.kind === 'TriggerAuthentication' ? so.metadata.namespace : undefined;
  return given.find((auth) => auth.kind === ref.kind && auth.metadata.name === ref.name && auth.metadata.namespace === namespace);
};

const endpointTouch = (path: string, address: string | undefined): EndpointTouch[] => (address === undefined ? [] : [{ kind: 'endpoint', path, host: hostOf(address) }]);

/**
 * The role a trigger reads as, and the field naming it: its TriggerAuthentication's
 * podIdentity.roleArn, else its metadata's awsRoleArn. The runtime's tenancy check and the
 * construct's AssumeRole grants (infra/authAccess.ts) both follow this one rule.
 */
const readingRoleOf = (auth: TriggerAuthentication | undefined, metadataRole: string | undefined, at: string): RoleTouch | undefined => {
  const authRole = auth?.spec.podIdentity?.roleArn;
  if (authRole !== undefined) return { kind: 'role', path: `${at}.authenticationRef.spec.podIdentity.roleArn`, arn: authRole, ...viaOf(auth) };
  return metadataRole === undefined ? undefined : { kind: 'role', path: `${at}.metadata.awsRoleArn`, arn: metadataRole };
};

/** What one trigger reads (not its TriggerAuthentication's own reads: `authenticationTouchesOf`). */
const triggerTouches = (trigger: Trigger, at: string, auth: TriggerAuthentication | undefined, home: Home): Touch[] => {
  const roleTouches = (metadataRole: string | undefined): RoleTouch[] => {
    const role = readingRoleOf(auth, metadataRole, at);
    return role === undefined ? [] : [role];
  };
  const as = (roles: readonly RoleTouch[]) => (roles[0] === undefined ? {} : { as: roles[0].arn });
  switch (trigger.type) {
    case 'aws-sqs-queue': {
      const roles = roleTouches(trigger.metadata.awsRoleArn);
      const queue = queueRefOf(trigger, roles[0]?.arn);
      const account = queue.account ?? home.account;
      return [...roles, { kind: 'aws', path: `${at}.metadata.queueURL`, arn: arn('sqs', queue.region, account, queue.name), ...as(roles) }, ...endpointTouch(`${at}.metadata.awsEndpoint`, trigger.metadata.awsEndpoint)];
    }
    case 'aws-cloudwatch': {
      const roles = roleTouches(trigger.metadata.awsRoleArn);
      const { namespace, metricName, expression, awsAccountId, awsRegion } = trigger.metadata;
      // GetMetricData has no resource-level permissions; the ARN-like name lets an allowance say which metrics.
      const metric = expression === undefined ? `metric/${namespace ?? ''}/${metricName ?? ''}` : 'metric/*';
      const account = awsAccountId ?? accountOfArn(roles[0]?.arn) ?? home.account;
      const field = expression === undefined ? 'metricName' : 'expression';
      return [...roles, { kind: 'aws', path: `${at}.metadata.${field}`, arn: arn('cloudwatch', awsRegion, account, metric), ...as(roles) }, ...endpointTouch(`${at}.metadata.awsEndpoint`, trigger.metadata.awsEndpoint)];
    }
    case 'prometheus': {
      const located = prometheusServerOf(trigger.metadata.serverAddress, trigger.metadata.awsRegion);
      if (!located.ok) return [];
      const path = `${at}.metadata.serverAddress`;
      const { server } = located;
      // In-cluster: no connection of LPA's own, a GET through the API server's proxy as LPA's Kubernetes identity.
      if (server.kind === 'service') return [{ kind: 'service', path, address: trigger.metadata.serverAddress, namespace: server.namespace, proxyName: server.proxyName }];
      if (server.kind === 'direct') return endpointTouch(path, trigger.metadata.serverAddress);
      const roles = roleTouches(trigger.metadata.awsRoleArn);
      const { region, workspaceId } = server;
      return [...roles, { kind: 'aws', path, arn: arn('aps', region, accountOfArn(roles[0]?.arn) ?? home.account, `workspace/${workspaceId}`), ...as(roles) }];
    }
    case 'kafka':
    case 'apache-kafka': {
      const brokers = trigger.metadata.bootstrapServers.flatMap((broker, i) => endpointTouch(`${at}.metadata.bootstrapServers[${i}]`, broker));
      const cluster = usesMskIam(trigger) ? mskClusterOf(trigger) : undefined;
      if (cluster === undefined) return brokers;
      const roles = roleTouches(undefined);
      const resource = arn('kafka', cluster.region, accountOfArn(roles[0]?.arn) ?? home.account, `cluster/${cluster.clusterName}/*`);
      return [...roles, ...brokers, { kind: 'aws', path: `${at}.metadata.bootstrapServers`, arn: resource, ...as(roles) }];
    }
    default:
      return [];
  }
};

/**
 * What resolving a (Cluster)TriggerAuthentication reads (shared/auth/resolve.ts): its Secrets by
 * name (a ClusterTriggerAuthentication's in the cluster-object namespace), its Secrets Manager
 * secrets (as its `awsSecretManager.podIdentity.roleArn` when set). Its `podIdentity.roleArn` is a
 * role the triggers read as: `touchesOf` counts it with them.
 */
const authenticationTouchesOf = (auth: TriggerAuthentication, at: string, home: Home = {}): Touch[] => {
  const via = viaOf(auth);
  const namespace = auth.metadata.namespace ?? home.clusterObjectNamespace ?? DEFAULT_CLUSTER_OBJECT_NAMESPACE;
  const secrets = auth.spec.secretTargetRef.map((ref, i): Touch => ({ kind: 'secret', path: `${at}.spec.secretTargetRef[${i}].name`, namespace, name: ref.name, ...via }));
  const manager = auth.spec.awsSecretManager;
  if (manager === undefined) return secrets;
  const role = manager.podIdentity.roleArn;
  const roles: Touch[] = role === undefined ? [] : [{ kind: 'role', path: `${at}.spec.awsSecretManager.podIdentity.roleArn`, arn: role, ...via }];
  const region = manager.region ?? home.region ?? '';
  const managed = manager.secrets.map((secret, i): Touch => ({
    kind: 'aws',
    path: `${at}.spec.awsSecretManager.secrets[${i}].name`,
    arn: secret.name.startsWith('arn:') ? secret.name : arn('secretsmanager', region, accountOfArn(role) ?? home.account, `secret:${secret.name}`),
    ...(role === undefined ? {} : { as: role }),
    ...via,
  }));
  return [...secrets, ...roles, ...managed];
};

/**
 * Every touch of an object: its triggers' (each (Cluster)TriggerAuthentication's reads once, under
 * the first trigger that references it). A ClusterTriggerAuthentication is also one touch by name
 * (the namespace must be allowed to reference it); what it reads is known when it is among
 * `authentications`, each read marked `via` it.
 *
 * @example
 * touchesOf(so, [], { account: '123456789012' });
 * // [{ kind: 'aws', path: 'spec.triggers[0].metadata.queueURL', arn: 'arn:aws:sqs:eu-west-1:123456789012:orders' }]
 */
const touchesOf = (so: ScaledObject, authentications: readonly TriggerAuthentication[] = [], home: Home = {}): Touch[] => {
  const seen = new Set<TriggerAuthentication>();
  return so.spec.triggers.flatMap((trigger) => {
    const at = `spec.triggers[${trigger.index}]`;
    const ref = trigger.authenticationRef;
    const named: Touch[] = ref?.kind === 'ClusterTriggerAuthentication' ? [{ kind: 'clusterTriggerAuthentication', path: `${at}.authenticationRef.name`, name: ref.name }] : [];
    const auth = authenticationFor(so, trigger, authentications);
    const own = auth === undefined || seen.has(auth) ? [] : authenticationTouchesOf(auth, `${at}.authenticationRef`, home);
    if (auth !== undefined) seen.add(auth);
    return [...named, ...own, ...triggerTouches(trigger, at, auth, home)];
  });
};

export { MSK_BROKER, authenticationFor, authenticationTouchesOf, isKafka, mskClusterOf, partitionOf, queueRefOf, readingRoleOf, touchesOf, usesMskIam };
export type { AwsTouch, EndpointTouch, Home, KafkaTrigger, NamedTouch, QueueRef, RoleTouch, SecretTouch, ServiceTouch, Touch };
