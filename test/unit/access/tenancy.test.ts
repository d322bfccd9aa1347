/**
 * The tenancy check: each touch of a cluster ScaledObject (shared/access/touches.ts) against its
 * namespace's allowance (shared/access/tenancy.ts). One behaviour per test; objects are parsed with
 * `lpa validate`'s rules, as the cluster source does.
 */
import { describe, expect, it } from 'vitest';
import { allowanceOf, matchesPattern, tenancyProblems, tenancySchema, type Tenancy } from '../../../shared/access/tenancy.js';
import { touchesOf } from '../../../shared/access/touches.js';
import { parseTriggerAuthentication } from '../../../shared/spec/auth/triggerAuthentication.js';
import type { TriggerAuthentication } from '../../../shared/spec/auth/types.js';
import { parseScaledObject } from '../../../shared/spec/parse.js';
import type { ScaledObject } from '../../../shared/spec/types.js';

const ACCOUNT = '123456789012';
const QUEUE = `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/orders`;
const ORDERS_ARN = `arn:aws:sqs:eu-west-1:${ACCOUNT}:orders`;
const READER = `arn:aws:iam::${ACCOUNT}:role/shop-reader`;

const scaledObject = (triggers: readonly Record<string, unknown>[], namespace = 'shop'): ScaledObject => {
  const parsed = parseScaledObject({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'worker', namespace }, spec: { scaleTargetRef: { name: 'worker' }, triggers } });
  if (!parsed.ok) throw new Error(parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  return parsed.scaledObject;
};

const authentication = (spec: Record<string, unknown>): TriggerAuthentication => {
  const parsed = parseTriggerAuthentication({ apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication', metadata: { name: 'auth', namespace: 'shop' }, spec });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
};

const sqs = (metadata: Record<string, string> = {}, extra: Record<string, unknown> = {}) => ({ type: 'aws-sqs-queue', metadata: { queueURL: QUEUE, queueLength: '5', awsRegion: 'eu-west-1', ...metadata }, ...extra });

const problemsOf = (so: ScaledObject, tenancy: Tenancy | undefined, authentications: TriggerAuthentication[] = []): string[] =>
  tenancyProblems(touchesOf(so, authentications, { account: tenancy?.account, region: tenancy?.region }), allowanceOf(tenancy, so.metadata.namespace), so.metadata.namespace);

const shop = (allowance: Tenancy['otherNamespaces']): Tenancy => ({ account: ACCOUNT, region: 'eu-west-1', namespaces: { shop: allowance ?? {} } });

describe('matchesPattern (IAM matching)', () => {
  it('matches * against any run of characters, none included', () => {
    expect([matchesPattern('arn:aws:sqs:*:1:shop-*', 'arn:aws:sqs:eu-west-1:1:shop-'), matchesPattern('arn:aws:sqs:*:1:shop-*', 'arn:aws:sqs:eu-west-1:1:shop-orders')]).toEqual([true, true]);
  });

  it('matches ? against exactly one character', () => {
    expect([matchesPattern('queue-?', 'queue-1'), matchesPattern('queue-?', 'queue-12'), matchesPattern('queue-?', 'queue-')]).toEqual([true, false, false]);
  });

  it('takes every other character literally (a dot is not any character)', () => {
    expect(matchesPattern('a.b', 'axb')).toBe(false);
  });

  it('compares hosts without case when asked', () => {
    expect([matchesPattern('*.Example.com', 'prom.example.com', true), matchesPattern('*.Example.com', 'prom.example.com')]).toEqual([true, false]);
  });
});

describe('tenancyProblems', () => {
  it('allows a queue its namespace names by exact ARN', () => {
    expect(problemsOf(scaledObject([sqs()]), shop({ awsResources: [ORDERS_ARN] }))).toEqual([]);
  });

  it('allows a queue an ARN pattern with * covers', () => {
    expect(problemsOf(scaledObject([sqs()]), shop({ awsResources: [`arn:aws:sqs:eu-west-1:${ACCOUNT}:ord*`] }))).toEqual([]);
  });

  it('refuses a queue outside the patterns, naming the field, the ARN, the namespace and the rule', () => {
    expect(problemsOf(scaledObject([sqs()]), shop({ awsResources: [`arn:aws:sqs:eu-west-1:${ACCOUNT}:shop-*`] }))).toEqual([
      `spec.triggers[0].metadata.queueURL: ${ORDERS_ARN} is not allowed for namespace shop (tenants.namespaces.shop: awsResources arn:aws:sqs:eu-west-1:${ACCOUNT}:shop-*)`,
    ]);
  });

  it('does not let a pattern for one account cover the same queue name in another', () => {
    expect(problemsOf(scaledObject([sqs({ queueURL: 'https://sqs.eu-west-1.amazonaws.com/999999999999/orders' })]), shop({ awsResources: [ORDERS_ARN] }))).toHaveLength(1);
  });

  it('reads a bare queue name as the functions\' account', () => {
    expect(problemsOf(scaledObject([sqs({ queueURL: 'orders' })]), shop({ awsResources: [ORDERS_ARN] }))).toEqual([]);
  });

  it('allows nothing in a namespace the tenancy does not name, by default', () => {
    expect(problemsOf(scaledObject([sqs()], 'billing'), shop({ awsResources: [ORDERS_ARN] }))).toEqual([
      `spec.triggers[0].metadata.queueURL: ${ORDERS_ARN} is not allowed for namespace billing (tenants.otherNamespaces: awsResources none)`,
    ]);
  });

  it('applies otherNamespaces to namespaces it does not name', () => {
    expect(problemsOf(scaledObject([sqs()], 'billing'), { account: ACCOUNT, otherNamespaces: { awsResources: ['arn:aws:sqs:*:*:*'] } })).toEqual([]);
  });

  it('allows nothing at all without a tenancy', () => {
    expect(problemsOf(scaledObject([sqs()]), undefined)).toHaveLength(1);
  });

  it('refuses an awsEndpoint host outside the namespace\'s endpoints', () => {
    const so = scaledObject([sqs({ awsEndpoint: 'https://vpce-1.sqs.eu-west-1.vpce.amazonaws.com' })]);
    expect(problemsOf(so, shop({ awsResources: [ORDERS_ARN] }))).toEqual([
      'spec.triggers[0].metadata.awsEndpoint: host vpce-1.sqs.eu-west-1.vpce.amazonaws.com is not allowed for namespace shop (tenants.namespaces.shop: endpoints none)',
    ]);
  });

  it('allows an awsEndpoint host a wildcard endpoint covers', () => {
    const so = scaledObject([sqs({ awsEndpoint: 'https://vpce-1.sqs.eu-west-1.vpce.amazonaws.com' })]);
    expect(problemsOf(so, shop({ awsResources: [ORDERS_ARN], endpoints: ['*.vpce.amazonaws.com'] }))).toEqual([]);
  });

  it('lets an object read as a role its awsResources name, and leaves what the role reads to its policy', () => {
    expect(problemsOf(scaledObject([sqs({ awsRoleArn: READER })]), shop({ awsResources: [`arn:aws:iam::${ACCOUNT}:role/shop-*`] }))).toEqual([]);
  });

  it('refuses a role its awsResources do not name', () => {
    expect(problemsOf(scaledObject([sqs({ awsRoleArn: READER })]), shop({ awsResources: [ORDERS_ARN] }))[0]).toBe(
      `spec.triggers[0].metadata.awsRoleArn: role ${READER} is not allowed for namespace shop (tenants.namespaces.shop: awsResources ${ORDERS_ARN})`,
    );
  });

  it('refuses another role in a namespace that reads as its own role', () => {
    const other = `arn:aws:iam::${ACCOUNT}:role/other`;
    expect(problemsOf(scaledObject([sqs({ awsRoleArn: other })]), shop({ roleArn: READER }))[0]).toBe(
      `spec.triggers[0].metadata.awsRoleArn: role ${other} is not allowed for namespace shop (tenants.namespaces.shop: its reads are made as roleArn ${READER}; name that role or none)`,
    );
  });

  it('refuses an AWS read that would use the functions\' own credentials in a namespace with a role', () => {
    expect(problemsOf(scaledObject([sqs()]), shop({ roleArn: READER }))).toHaveLength(1);
  });

  it('refuses a Secret the TriggerAuthentication reads when the namespace does not list it', () => {
    const auth = authentication({ secretTargetRef: [{ parameter: 'queryKey', name: 'nr-keys', key: 'key' }] });
    const so = scaledObject([{ type: 'new-relic', metadata: { nrql: 'SELECT 1', threshold: '1', account: '1' }, authenticationRef: { name: 'auth' } }]);
    expect(problemsOf(so, shop({ secrets: ['other'] }), [auth])).toEqual([
      'spec.triggers[0].authenticationRef.spec.secretTargetRef[0].name: Secret shop/nr-keys is not allowed for namespace shop (tenants.namespaces.shop: secrets other)',
    ]);
  });

  it('checks a Secrets Manager secret of the TriggerAuthentication as an ARN in the functions\' region and account', () => {
    const auth = authentication({ awsSecretManager: { podIdentity: { provider: 'aws' }, secrets: [{ parameter: 'queryKey', name: 'shop/nr' }] } });
    const so = scaledObject([{ type: 'new-relic', metadata: { nrql: 'SELECT 1', threshold: '1', account: '1' }, authenticationRef: { name: 'auth' } }]);
    expect(problemsOf(so, shop({ awsResources: [`arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:shop/*`] }), [auth])).toEqual([]);
  });

  it('refuses a ClusterTriggerAuthentication the namespace may not reference', () => {
    const so = scaledObject([{ type: 'new-relic', metadata: { nrql: 'SELECT 1', threshold: '1', account: '1' }, authenticationRef: { name: 'shared', kind: 'ClusterTriggerAuthentication' } }]);
    expect(problemsOf(so, shop({}))).toEqual([
      'spec.triggers[0].authenticationRef.name: ClusterTriggerAuthentication shared is not allowed for namespace shop (tenants.namespaces.shop: clusterTriggerAuthentications none)',
    ]);
  });

  it('checks a Prometheus server\'s host against the endpoints', () => {
    const so = scaledObject([{ type: 'prometheus', metadata: { serverAddress: 'http://10.0.0.12:9090', query: 'up', threshold: '1' } }]);
    expect(problemsOf(so, shop({ endpoints: ['10.0.0.*'] }))).toEqual([]);
  });

  const IN_CLUSTER = 'http://prometheus-server.monitoring.svc.cluster.local:9090';
  const prometheus = (serverAddress: string) => scaledObject([{ type: 'prometheus', metadata: { serverAddress, query: 'up', threshold: '1' } }]);

  it('allows an in-cluster Prometheus its namespace\'s services name', () => {
    expect(problemsOf(prometheus(IN_CLUSTER), shop({ services: [IN_CLUSTER] }))).toEqual([]);
  });

  it('takes <svc>.<ns>, <svc>.<ns>.svc and <svc>.<ns>.svc.cluster.local for one Service', () => {
    expect(problemsOf(prometheus('http://prometheus-server.monitoring:9090'), shop({ services: ['http://prometheus-server.monitoring.svc:9090'] }))).toEqual([]);
  });

  it('refuses an in-cluster Prometheus the services do not name, naming the field, the address, the Service and the rule', () => {
    expect(problemsOf(prometheus(IN_CLUSTER), shop({ services: ['http://thanos-query.monitoring:9090'] }))).toEqual([
      `spec.triggers[0].metadata.serverAddress: ${IN_CLUSTER} (Service monitoring/http:prometheus-server:9090) is not allowed for namespace shop (tenants.namespaces.shop: services http://thanos-query.monitoring:9090; an in-cluster address is read through the API server's service proxy, so endpoints do not cover it)`,
    ]);
  });

  it('does not let an endpoints pattern cover an in-cluster address', () => {
    expect(problemsOf(prometheus(IN_CLUSTER), shop({ endpoints: ['*.svc.cluster.local', 'prometheus-server.monitoring.svc.cluster.local'] }))).toHaveLength(1);
  });

  it('tells one port of a Service from another', () => {
    expect(problemsOf(prometheus('http://prometheus-server.monitoring:9091'), shop({ services: [IN_CLUSTER] }))).toHaveLength(1);
  });

  it('tells https from http on the same port: the proxy names the scheme', () => {
    expect(problemsOf(prometheus('https://prometheus-server.monitoring:9090'), shop({ services: [IN_CLUSTER] }))).toHaveLength(1);
  });

  it('reads a Service address without a port as port 80, as cluster DNS would', () => {
    expect(problemsOf(prometheus('http://prometheus-server.monitoring'), shop({ services: ['http://prometheus-server.monitoring.svc.cluster.local:80'] }))).toEqual([]);
  });

  it('checks an AMP workspace as its ARN', () => {
    const so = scaledObject([{ type: 'prometheus', metadata: { serverAddress: 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-abc', query: 'up', threshold: '1' } }]);
    expect(problemsOf(so, shop({ awsResources: [] }))[0]).toBe(
      `spec.triggers[0].metadata.serverAddress: arn:aws:aps:eu-west-1:${ACCOUNT}:workspace/ws-abc is not allowed for namespace shop (tenants.namespaces.shop: awsResources none)`,
    );
  });

  it('checks the podIdentity role of an AMP trigger\'s TriggerAuthentication, the role it signs with', () => {
    const auth = authentication({ podIdentity: { provider: 'aws', roleArn: READER } });
    const so = scaledObject([{ type: 'prometheus', metadata: { serverAddress: 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-abc', query: 'up', threshold: '1' }, authenticationRef: { name: 'auth' } }]);
    expect(problemsOf(so, shop({}), [auth])).toContain(
      `spec.triggers[0].authenticationRef.spec.podIdentity.roleArn: role ${READER} is not allowed for namespace shop (tenants.namespaces.shop: awsResources none)`,
    );
  });

  it('names a CloudWatch metric as metric/<namespace>/<name>, so a pattern can allow a namespace of metrics', () => {
    const so = scaledObject([{ type: 'aws-cloudwatch', metadata: { namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensionName: 'QueueName', dimensionValue: 'orders', targetMetricValue: '5', minMetricValue: '0', awsRegion: 'eu-west-1' } }]);
    expect(problemsOf(so, shop({ awsResources: [`arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:metric/AWS/SQS/*`] }))).toEqual([]);
  });

  it('checks every Kafka broker host', () => {
    const so = scaledObject([{ type: 'kafka', metadata: { bootstrapServers: 'kafka-0.internal:9092,evil.example.com:9092', consumerGroup: 'g', topic: 't', lagThreshold: '5' } }]);
    expect(problemsOf(so, shop({ endpoints: ['*.internal'] }))).toEqual([
      'spec.triggers[0].metadata.bootstrapServers[1]: host evil.example.com is not allowed for namespace shop (tenants.namespaces.shop: endpoints *.internal)',
    ]);
  });

  it('lets cron and cpu triggers through: they read nothing outside the cluster', () => {
    const so = scaledObject([{ type: 'cron', metadata: { timezone: 'Etc/UTC', start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: '5' } }]);
    expect(problemsOf(so, undefined)).toEqual([]);
  });
});

describe('tenancyProblems: what a ClusterTriggerAuthentication reads', () => {
  const SHARED_ROLE = `arn:aws:iam::${ACCOUNT}:role/keda-shared`;
  const cta = (spec: Record<string, unknown>, name = 'shared'): TriggerAuthentication => {
    const parsed = parseTriggerAuthentication({ apiVersion: 'keda.sh/v1alpha1', kind: 'ClusterTriggerAuthentication', metadata: { name }, spec });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    return parsed.value;
  };
  const ref = { authenticationRef: { name: 'shared', kind: 'ClusterTriggerAuthentication' } };
  const newRelic = scaledObject([{ type: 'new-relic', metadata: { nrql: 'SELECT 1', threshold: '1', account: '1' }, ...ref }]);
  const withDeclaration = (allowance: Tenancy['otherNamespaces'], declared: NonNullable<Tenancy['clusterTriggerAuthentications']>): Tenancy => ({
    ...shop({ clusterTriggerAuthentications: ['shared'], ...allowance }),
    clusterTriggerAuthentications: declared,
  });
  const keys = cta({ secretTargetRef: [{ parameter: 'queryKey', name: 'nr-keys', key: 'key' }] });

  it('allows the Secrets its declaration names', () => {
    expect(problemsOf(newRelic, withDeclaration({}, { shared: { secrets: ['nr-keys'] } }), [keys])).toEqual([]);
  });

  it('refuses a Secret outside its declaration, naming the field, the Secret in the cluster-object namespace, the ClusterTriggerAuthentication and the rule', () => {
    expect(problemsOf(newRelic, withDeclaration({ secrets: ['nr-keys'] }, { shared: { secrets: ['other'] } }), [keys])).toEqual([
      'spec.triggers[0].authenticationRef.spec.secretTargetRef[0].name: Secret keda/nr-keys is not allowed for ClusterTriggerAuthentication shared (tenants.clusterTriggerAuthentications.shared: secrets other)',
    ]);
  });

  it('lets a ClusterTriggerAuthentication nobody declared read nothing', () => {
    expect(problemsOf(newRelic, withDeclaration({}, {}), [keys])).toEqual([
      'spec.triggers[0].authenticationRef.spec.secretTargetRef[0].name: Secret keda/nr-keys is not allowed for ClusterTriggerAuthentication shared (tenants.clusterTriggerAuthentications.shared: secrets none)',
    ]);
  });

  it('lets its triggers read as the roleArn its declaration names, whatever their namespace\'s awsResources', () => {
    expect(problemsOf(scaledObject([sqs({}, ref)]), withDeclaration({ awsResources: [] }, { shared: { roleArn: SHARED_ROLE } }), [cta({ podIdentity: { provider: 'aws', roleArn: SHARED_ROLE } })])).toEqual([]);
  });

  it('lets its triggers read as its declared role in a namespace whose reads are made as its own role', () => {
    expect(problemsOf(scaledObject([sqs({}, ref)]), withDeclaration({ roleArn: READER }, { shared: { roleArn: SHARED_ROLE } }), [cta({ podIdentity: { provider: 'aws', roleArn: SHARED_ROLE } })])).toEqual([]);
  });

  it('refuses a podIdentity role other than its declaration\'s roleArn', () => {
    expect(problemsOf(scaledObject([sqs({}, ref)]), withDeclaration({ awsResources: [ORDERS_ARN] }, { shared: { roleArn: SHARED_ROLE } }), [cta({ podIdentity: { provider: 'aws', roleArn: READER } })])).toEqual([
      `spec.triggers[0].authenticationRef.spec.podIdentity.roleArn: role ${READER} is not allowed for ClusterTriggerAuthentication shared (tenants.clusterTriggerAuthentications.shared: its reads are made as roleArn ${SHARED_ROLE}; name that role or none)`,
    ]);
  });

  it('refuses a Secrets Manager read with the functions\' own credentials when its declaration has a roleArn', () => {
    const managed = cta({ awsSecretManager: { podIdentity: { provider: 'aws' }, secrets: [{ parameter: 'queryKey', name: 'shared/nr' }] } });
    expect(problemsOf(newRelic, withDeclaration({}, { shared: { roleArn: SHARED_ROLE } }), [managed])).toEqual([
      `spec.triggers[0].authenticationRef.spec.awsSecretManager.secrets[0].name: arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:shared/nr is not allowed for ClusterTriggerAuthentication shared (tenants.clusterTriggerAuthentications.shared: its AWS reads are made as roleArn ${SHARED_ROLE}, and this one cannot be (its awsSecretManager.podIdentity.roleArn must be that role))`,
    ]);
  });

  it('allows a Secrets Manager secret its declaration\'s awsResources name', () => {
    const managed = cta({ awsSecretManager: { podIdentity: { provider: 'aws' }, secrets: [{ parameter: 'queryKey', name: 'shared/nr' }] } });
    expect(problemsOf(newRelic, withDeclaration({}, { shared: { awsResources: [`arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:shared/*`] } }), [managed])).toEqual([]);
  });

  it('does not let the namespace\'s own allowance cover what the ClusterTriggerAuthentication reads', () => {
    expect(problemsOf(newRelic, withDeclaration({ secrets: ['nr-keys'] }, { shared: {} }), [keys])).toHaveLength(1);
  });

  it('finds its Secrets in the cluster-object namespace LPA is given', () => {
    const so = newRelic;
    const tenancy = withDeclaration({}, { shared: {} });
    const problems = tenancyProblems(touchesOf(so, [keys], { account: ACCOUNT, clusterObjectNamespace: 'keda-system' }), allowanceOf(tenancy, 'shop'), 'shop');
    expect(problems[0]).toContain('Secret keda-system/nr-keys');
  });
});

describe('tenancySchema', () => {
  it('refuses roleArn beside awsResources, naming the path', () => {
    const parsed = tenancySchema().safeParse({ namespaces: { shop: { roleArn: READER, awsResources: [ORDERS_ARN] } } });
    expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      "namespaces.shop.roleArn: give either roleArn (every AWS read of the namespace as that role) or awsResources (read with the functions' own role), not both",
    ]);
  });

  const issuesOf = (tenancy: unknown): string[] => {
    const parsed = tenancySchema().safeParse(tenancy);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  const SERVICE_RULE =
    'must be an in-cluster Service as a serverAddress names it (http(s)://<service>.<namespace>.svc.cluster.local:<port>, .svc or <service>.<namespace>), without a path: LPA is granted services/proxy on the whole Service';

  it('refuses a services entry that is not an in-cluster address, naming the entry', () => {
    expect(issuesOf({ namespaces: { shop: { services: ['http://10.0.0.12:9090'] } } })).toEqual([`namespaces.shop.services.0: ${SERVICE_RULE}`]);
  });

  it('refuses a services entry with a path: the grant cannot be narrower than the Service', () => {
    expect(issuesOf({ namespaces: { shop: { services: ['http://prometheus-server.monitoring:9090/prometheus'] } } })).toEqual([`namespaces.shop.services.0: ${SERVICE_RULE}`]);
  });

  it('refuses roleArn beside awsResources in a ClusterTriggerAuthentication\'s declaration, naming the path', () => {
    expect(issuesOf({ clusterTriggerAuthentications: { shared: { roleArn: READER, awsResources: [ORDERS_ARN] } } })).toEqual([
      "clusterTriggerAuthentications.shared.roleArn: give either roleArn (every AWS read of the ClusterTriggerAuthentication as that role) or awsResources (read with the functions' own role), not both",
    ]);
  });

  it('refuses what a ClusterTriggerAuthentication cannot read in its declaration (strict)', () => {
    expect(issuesOf({ clusterTriggerAuthentications: { shared: { endpoints: ['*'] } } })).toEqual(['clusterTriggerAuthentications.shared: Unrecognized key: "endpoints"']);
  });

  it('refuses an unknown key (strict)', () => {
    expect(tenancySchema().safeParse({ namespaces: { shop: { queues: [] } } }).success).toBe(false);
  });
});
