/** The construct's cluster-source tenancy: the event carries it, IAM and RBAC are derived from it alone. */
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { parseScaleGroup } from '../../shared/app/scaleGroup.js';
import type { PodAutoscalerProps } from '../../infra/index.js';
import { tenancyReads } from '../../infra/tenancyAccess.js';
import { ACCOUNT, REGION, policyStatements, statementBySid, synthesize } from './fixtures.js';

const SHOP_ROLE = `arn:aws:iam::${ACCOUNT}:role/shop-reader`;
const TENANTS = {
  namespaces: {
    shop: { roleArn: SHOP_ROLE, secrets: ['nr-keys'] },
    billing: {
      awsResources: [
        `arn:aws:sqs:${REGION}:${ACCOUNT}:billing-*`,
        `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:billing/db`,
        `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/payments/*`,
      ],
      services: ['http://prometheus-server.monitoring.svc.cluster.local:9090', 'https://thanos-query.monitoring:10902'],
    },
  },
  otherNamespaces: { secrets: ['shared-keys'] },
};

const fromCluster = (tenants: unknown, namespaces = ['shop', 'billing', 'misc']): Partial<PodAutoscalerProps> => ({ manifests: [], source: { fromCluster: { namespaces, tenants: tenants as never } } });

describe('Construct: PodAutoscaler with source.fromCluster.tenants', () => {
  const { template, autoscaler } = synthesize(fromCluster(TENANTS));

  it('carries the tenants in the schedule input, with the stack\'s account and region for resources named without them', () => {
    const [input] = Object.values(template.findResources('AWS::Scheduler::Schedule')).map((s) => JSON.parse(s.Properties.Target.Input as string) as { source: { fromCluster: { tenants: unknown } } });
    expect(input?.source.fromCluster.tenants).toEqual({ ...TENANTS, account: ACCOUNT, region: REGION });
    expect(parseScaleGroup(input).ok).toBe(true);
  });

  it('grants a namespace\'s role sts:AssumeRole and nothing of what it reads', () => {
    expect(statementBySid(template, 'LpaScaler', 'TenantRoles')).toMatchObject({ Action: 'sts:AssumeRole', Resource: SHOP_ROLE });
  });

  it('grants the queue actions on exactly the queue patterns', () => {
    expect(statementBySid(template, 'LpaScaler', 'TenantQueues')).toMatchObject({ Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:billing-*` });
  });

  it('grants a secret named exactly with the six random characters of its ARN', () => {
    expect(statementBySid(template, 'LpaScaler', 'TenantSecrets')?.Resource).toBe(`arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:billing/db-??????`);
  });

  it('grants an MSK cluster pattern Connect, and DescribeTopic/DescribeGroup on its topics and groups', () => {
    expect([statementBySid(template, 'LpaScaler', 'TenantMskConnect')?.Resource, statementBySid(template, 'LpaScaler', 'TenantMskDescribeTopics')?.Resource, statementBySid(template, 'LpaScaler', 'TenantMskDescribeGroups')?.Resource]).toEqual([
      `arn:aws:kafka:${REGION}:${ACCOUNT}:cluster/payments/*`,
      `arn:aws:kafka:${REGION}:${ACCOUNT}:topic/payments/*`,
      `arn:aws:kafka:${REGION}:${ACCOUNT}:group/payments/*`,
    ]);
  });

  it('grants no CloudWatch read when no namespace may read a metric', () => {
    expect(policyStatements(template, 'LpaScaler').some((s) => s.Action === 'cloudwatch:GetMetricData')).toBe(false);
  });

  it('lets LPA get the allowed Secrets by name in their namespace, otherNamespaces\' in the served namespaces not named', () => {
    const secretRules = autoscaler.rbacObjects
      .filter((o) => o.kind === 'Role')
      .flatMap((o) => ((o.rules as { resources: string[]; resourceNames?: string[] }[]).filter((r) => r.resources.includes('secrets')).map((r) => [(o.metadata as { namespace: string }).namespace, r.resourceNames])));
    expect(secretRules).toEqual([
      ['misc', ['shared-keys']],
      ['shop', ['nr-keys']],
    ]);
  });

  it('lets LPA get exactly the allowed in-cluster Services through the proxy, in their namespace', () => {
    const proxyRules = autoscaler.rbacObjects
      .filter((o) => o.kind === 'Role')
      .flatMap((o) => ((o.rules as { resources: string[]; resourceNames?: string[]; verbs: string[] }[]).filter((r) => r.resources.includes('services/proxy')).map((r) => [(o.metadata as { namespace: string }).namespace, r.resourceNames, r.verbs])));
    expect(proxyRules).toEqual([['monitoring', ['http:prometheus-server:9090', 'https:thanos-query:10902'], ['get']]]);
  });

  it('grants no Service of a namespace the source does not serve', () => {
    expect(tenancyReads(TENANTS, ['shop']).serviceProxies).toEqual([]);
  });

  it('grants otherNamespaces\' Services when the source serves every namespace', () => {
    expect(tenancyReads({ otherNamespaces: { services: ['http://prometheus-server.monitoring:9090'] } }, []).serviceProxies).toEqual([{ namespace: 'monitoring', proxyName: 'http:prometheus-server:9090' }]);
  });

  it('refuses a services entry that is not an in-cluster Service at synth, naming the prop', () => {
    expect(() => synthesize(fromCluster({ namespaces: { shop: { services: ['https://prometheus.example.com'] } } }))).toThrow('source.fromCluster.tenants.namespaces.shop.services.0: must be an in-cluster Service');
  });

  it('refuses roleArn beside awsResources at synth, naming the prop', () => {
    expect(() => synthesize(fromCluster({ namespaces: { shop: { roleArn: SHOP_ROLE, awsResources: ['arn:aws:sqs:*:*:*'] } } }))).toThrow(
      "source.fromCluster.tenants.namespaces.shop.roleArn: give either roleArn (every AWS read of the namespace as that role) or awsResources (read with the functions' own role), not both",
    );
  });

  it('refuses an ARN of a service no trigger reads, naming the entry', () => {
    expect(() => synthesize(fromCluster({ otherNamespaces: { awsResources: ['arn:aws:s3:::bucket'] } }))).toThrow(
      'source.fromCluster.tenants.otherNamespaces.awsResources[0]: service "s3" is not one LPA\'s triggers read (sqs, cloudwatch, aps, secretsmanager, kafka, iam)',
    );
  });

  it('takes a namespace role built in the app (a token), granting AssumeRole on it', () => {
    const { template: withRole } = synthesize((stack) => {
      const role = new iam.Role(stack, 'ShopReader', { assumedBy: new iam.AccountRootPrincipal() });
      return fromCluster({ namespaces: { shop: { roleArn: role.roleArn } } });
    });
    expect(statementBySid(withRole, 'LpaScaler', 'TenantRoles')?.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ShopReader/), 'Arn'] });
  });

  it('refuses a token among awsResources, whose service is unknown at synth', () => {
    expect(() => synthesize((stack) => fromCluster({ namespaces: { shop: { awsResources: [new sqs.Queue(stack, 'Jobs').queueArn] } } }))).toThrow(
      'source.fromCluster.tenants.namespaces.shop.awsResources[0]: must be an ARN or pattern written out',
    );
  });

  it('refuses tenants whose schedule input would exceed Scheduler\'s 256 KiB, at synth', () => {
    const namespaces = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`team-${i}`, { awsResources: [`arn:aws:sqs:${REGION}:${ACCOUNT}:team-${i}-*`] }]));
    expect(() => synthesize(fromCluster({ namespaces }))).toThrow(/source\.fromCluster\.tenants: the cluster source's schedule input would be about \d+ bytes, over EventBridge Scheduler's 262144/);
  });
});

describe('Construct: PodAutoscaler with tenants.clusterTriggerAuthentications', () => {
  const SHARED_ROLE = `arn:aws:iam::${ACCOUNT}:role/keda-shared`;
  const CTA_TENANTS = {
    namespaces: { shop: { clusterTriggerAuthentications: ['aws-shared', 'keys'] } },
    clusterTriggerAuthentications: {
      'aws-shared': { roleArn: SHARED_ROLE },
      keys: { secrets: ['datadog-keys', 'newrelic-keys'], awsResources: [`arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:shared/nr`] },
      // Declared, but no namespace may reference it: granted nothing.
      unused: { secrets: ['unused-keys'], roleArn: `arn:aws:iam::${ACCOUNT}:role/unused` },
    },
  };
  const { template, autoscaler } = synthesize(fromCluster(CTA_TENANTS, ['shop']));

  it('grants sts:AssumeRole on the roleArn of a ClusterTriggerAuthentication a namespace may reference, and no other', () => {
    expect(statementBySid(template, 'LpaScaler', 'TenantRoles')?.Resource).toBe(SHARED_ROLE);
  });

  it('grants GetSecretValue on the Secrets Manager secrets a ClusterTriggerAuthentication\'s declaration names', () => {
    expect(statementBySid(template, 'LpaScaler', 'TenantSecrets')?.Resource).toBe(`arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:shared/nr-??????`);
  });

  it('lets LPA get exactly the declared Secrets by name in KEDA\'s cluster-object namespace', () => {
    const kedaRole = autoscaler.rbacObjects.find((o) => o.kind === 'Role' && (o.metadata as { namespace: string }).namespace === 'keda');
    expect(kedaRole?.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['datadog-keys', 'newrelic-keys'], verbs: ['get'] }]);
  });

  it('warns at synth about a declaration no namespace may reference', () => {
    const warnings = autoscaler.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
    expect(warnings).toEqual([
      "source.fromCluster.tenants.clusterTriggerAuthentications.unused: no namespace may reference it (list it in a namespace's clusterTriggerAuthentications), so it is granted nothing and objects using it are refused [ack: lpa:tenancy]",
    ]);
  });

  it('puts the Secrets in the cluster-object namespace it is given', () => {
    expect([...tenancyReads(CTA_TENANTS, ['shop'], 'keda-system').secrets.keys()]).toEqual(['keda-system']);
  });

  it('grants the declared Secrets in the clusterObjectNamespace prop, and tells the functions to read them there', () => {
    const moved = synthesize({ ...fromCluster(CTA_TENANTS, ['shop']), clusterObjectNamespace: 'keda-system' });
    const secretRoles = moved.autoscaler.rbacObjects.filter((o) => o.kind === 'Role' && JSON.stringify(o.rules).includes('"secrets"'));
    expect(secretRoles.map((o) => (o.metadata as { namespace: string }).namespace)).toEqual(['keda-system']);
    const variables = Object.values(moved.template.findResources('AWS::Lambda::Function')).map((f) => f.Properties.Environment.Variables as Record<string, unknown>);
    expect(variables.map((v) => v.LPA_CLUSTER_OBJECT_NAMESPACE)).toEqual(variables.map(() => 'keda-system'));
  });

  it('refuses an awsResources entry of a service a ClusterTriggerAuthentication does not read, at synth', () => {
    expect(() => synthesize(fromCluster({ clusterTriggerAuthentications: { keys: { awsResources: [`arn:aws:sqs:${REGION}:${ACCOUNT}:orders`] } } }))).toThrow(
      'source.fromCluster.tenants.clusterTriggerAuthentications.keys.awsResources[0]: service "sqs" is not one a ClusterTriggerAuthentication reads (secretsmanager, iam)',
    );
  });
});
