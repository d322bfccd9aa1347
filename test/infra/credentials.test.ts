/**
 * What TriggerAuthentications imply for the deployment: the schedule input carries them, the IAM
 * policy names exactly the Secrets Manager secrets (or only the role that reads them), the RBAC
 * gets exactly the named Secrets, and a bad reference fails synth like `lpa validate`.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/errors.js';
import { queueUrl, scaledObject, sqsTrigger, statementBySid, synthesize } from './fixtures.js';
import type { Manifest } from './fixtures.js';

const ROLE = 'arn:aws:iam::444455556666:role/secret-reader';
const NRQL = 'SELECT count(*) FROM Transaction';

const newRelic = (auth = 'nr-auth'): Manifest => ({ type: 'new-relic', metadata: { nrql: NRQL, threshold: '70' }, authenticationRef: { name: auth } });
const authentication = (name: string, spec: Record<string, unknown>, namespace = 'jobs'): Manifest => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'TriggerAuthentication',
  metadata: { name, namespace, labels: { team: 'web' } },
  spec,
});
const fromSecret = { secretTargetRef: [{ parameter: 'queryKey', name: 'nr-keys', key: 'apiKey' }, { parameter: 'account', name: 'nr-keys', key: 'account' }] };
const fromManager = (podIdentity: Record<string, unknown> = { provider: 'aws' }) => ({
  awsSecretManager: { podIdentity, region: 'eu-west-1', secrets: [{ parameter: 'queryKey', name: 'newrelic/keys', secretKey: 'apiKey' }, { parameter: 'account', name: 'newrelic/account' }] },
});

describe('PodAutoscaler with TriggerAuthentications', () => {
  it('puts the referenced TriggerAuthentication, slimmed, in the schedule input', () => {
    // Act
    const { template } = synthesize({
      manifests: [scaledObject('web', 'jobs', [newRelic()]), authentication('nr-auth', fromSecret), authentication('unused', fromSecret)],
      cluster: { clusterName: 'demo', endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com', caData: 'Q0E=' },
    });

    // Assess
    const [schedule] = Object.values(template.findResources('AWS::Scheduler::Schedule')) as { Properties: { Target: { Input: string } } }[];
    const input = JSON.parse(schedule?.Properties.Target.Input ?? '{}') as { triggerAuthentications?: unknown[] };
    expect(input.triggerAuthentications).toEqual([{ apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication', metadata: { name: 'nr-auth', namespace: 'jobs' }, spec: fromSecret }]);
  });

  it('grants GetSecretValue on exactly the awsSecretManager secrets read with the functions’ role', () => {
    // Act
    const { template } = synthesize({ manifests: [scaledObject('web', 'jobs', [newRelic()]), authentication('nr-auth', fromManager())] });

    // Assess
    expect(statementBySid(template, 'LpaScaler', 'ReadTriggerSecrets')).toMatchObject({
      Action: 'secretsmanager:GetSecretValue',
      Resource: ['arn:aws:secretsmanager:eu-west-1:111122223333:secret:newrelic/account-??????', 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:newrelic/keys-??????'],
    });
  });

  it('grants only sts:AssumeRole when awsSecretManager reads as a role', () => {
    // Act
    const { template } = synthesize({ manifests: [scaledObject('web', 'jobs', [newRelic()]), authentication('nr-auth', fromManager({ provider: 'aws', roleArn: ROLE }))] });

    // Assess
    expect(statementBySid(template, 'LpaScaler', 'ReadTriggerSecrets')).toBeUndefined();
    expect(statementBySid(template, 'LpaScaler', 'AssumeTriggerRoles')).toMatchObject({ Action: 'sts:AssumeRole', Resource: ROLE });
  });

  it('reads an SQS queue as the podIdentity role of its TriggerAuthentication, not with the functions’ role', () => {
    // Act
    const { template } = synthesize({
      manifests: [{ ...scaledObject('worker', 'jobs', [{ ...sqsTrigger(queueUrl('jobs')), authenticationRef: { name: 'aws-role' } }]) }, authentication('aws-role', { podIdentity: { provider: 'aws', roleArn: ROLE } })],
    });

    // Assess
    expect(statementBySid(template, 'LpaScaler', 'ReadQueueLength')).toBeUndefined();
    expect(statementBySid(template, 'LpaScaler', 'AssumeTriggerRoles')).toMatchObject({ Resource: ROLE });
  });

  it('gives RBAC get on exactly the named Secrets, and get by name on a TriggerAuthentication left to the cluster', () => {
    // Act
    const { autoscaler } = synthesize({ manifests: [scaledObject('web', 'jobs', [newRelic()]), scaledObject('api', 'jobs', [newRelic('in-cluster')]), authentication('nr-auth', fromSecret)] });

    // Assess
    expect(autoscaler.rbacObjects.find((o) => o.kind === 'Role')?.rules).toEqual([
      { apiGroups: ['apps'], resources: ['deployments/scale'], resourceNames: ['api', 'web'], verbs: ['get', 'patch'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['nr-keys'] },
      { apiGroups: ['keda.sh'], resources: ['triggerauthentications'], verbs: ['get'], resourceNames: ['in-cluster'] },
    ]);
  });

  it('fails synth when the TriggerAuthentication lacks a parameter the trigger requires', () => {
    // Act
    const run = () => synthesize({ manifests: [scaledObject('web', 'jobs', [newRelic()]), authentication('nr-auth', { secretTargetRef: [{ parameter: 'queryKey', name: 'nr-keys', key: 'apiKey' }] })] });

    // Assess
    expect(run).toThrow(ValidationError);
    expect(run).toThrow('manifests[0]: spec.triggers[0].authenticationRef: TriggerAuthentication jobs/nr-auth provides no "account", which new-relic requires');
  });
});

describe('PodAutoscaler: sts:AssumeRole on exactly the roles the manifests name (authAccess.ts rolesOf)', () => {
  const MSK_ROLE = 'arn:aws:iam::444455556666:role/msk-reader';
  const AMP_ROLE = 'arn:aws:iam::444455556666:role/amp-reader';
  const MSK_BROKERS = 'b-1.orders.a1b2c3.c2.kafka.eu-west-1.amazonaws.com:9098';
  const AMP = 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-a';
  const mskTrigger = { type: 'apache-kafka', metadata: { bootstrapServers: MSK_BROKERS, consumerGroup: 'workers', topic: 'jobs', sasl: 'aws_msk_iam', tls: 'enable', awsRegion: 'eu-west-1' }, authenticationRef: { name: 'msk-role' } };
  const inVpc = (manifests: Manifest[]) => (stack: import('aws-cdk-lib').Stack) => ({
    manifests,
    vpcPlacement: { vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] }) },
  });

  it('grants an MSK IAM trigger\'s podIdentity role, and no kafka-cluster action to the functions\' own role', () => {
    // Act
    const { template } = synthesize(inVpc([scaledObject('consumer', 'jobs', [mskTrigger]), authentication('msk-role', { podIdentity: { provider: 'aws', roleArn: MSK_ROLE } })]));

    // Assess
    expect(statementBySid(template, 'LpaScalerRole', 'AssumeTriggerRoles')).toMatchObject({ Action: 'sts:AssumeRole', Resource: MSK_ROLE });
    expect(statementBySid(template, 'LpaScalerRole', 'MskConnect')).toBeUndefined();
  });

  it('grants an AMP prometheus trigger\'s podIdentity role instead of aps:QueryMetrics', () => {
    // Act
    const { template } = synthesize({
      manifests: [
        scaledObject('web', 'jobs', [{ type: 'prometheus', metadata: { serverAddress: AMP, query: 'up', threshold: '5' }, authenticationRef: { name: 'amp-role' } }]),
        authentication('amp-role', { podIdentity: { provider: 'aws', roleArn: AMP_ROLE } }),
      ],
    });

    // Assess
    expect(statementBySid(template, 'LpaScaler', 'AssumeTriggerRoles')).toMatchObject({ Resource: AMP_ROLE });
    expect(statementBySid(template, 'LpaScaler', 'QueryPrometheus')).toBeUndefined();
  });

  it('grants every named role once, sorted, and none of an unreferenced TriggerAuthentication', () => {
    // Act
    const { template } = synthesize(
      inVpc([
        scaledObject('consumer', 'jobs', [mskTrigger, { ...sqsTrigger(queueUrl('jobs')), authenticationRef: { name: 'msk-role' } }, newRelic()]),
        authentication('msk-role', { podIdentity: { provider: 'aws', roleArn: MSK_ROLE } }),
        authentication('nr-auth', fromManager({ provider: 'aws', roleArn: ROLE })),
        authentication('unused', { podIdentity: { provider: 'aws', roleArn: AMP_ROLE } }),
      ]),
    );

    // Assess
    expect(statementBySid(template, 'LpaScalerRole', 'AssumeTriggerRoles')).toMatchObject({ Resource: [MSK_ROLE, ROLE] });
  });

  it('grants no role for a trigger that never assumes one (new-relic with a podIdentity role)', () => {
    // Act
    const { template } = synthesize({ manifests: [scaledObject('web', 'jobs', [newRelic()]), authentication('nr-auth', { ...fromSecret, podIdentity: { provider: 'aws', roleArn: ROLE } })] });

    // Assess
    expect(statementBySid(template, 'LpaScaler', 'AssumeTriggerRoles')).toBeUndefined();
  });
});

describe('PodAutoscaler with Prometheus authModes', () => {
  const EXAMPLE = 'examples/prometheus/gateway-auth.yaml';

  it('gives RBAC get on exactly the Secrets the auth modes read, by name', () => {
    // Act
    const { autoscaler } = synthesize({ manifests: [EXAMPLE] });

    // Assess
    const shop = autoscaler.rbacObjects.find((o) => o.kind === 'Role' && (o.metadata as { namespace: string }).namespace === 'shop');
    expect(shop?.rules).toContainEqual({ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['prometheus-client-tls', 'prometheus-tenant'] });
  });

  it('fails synth for bearer against an in-cluster address, as lpa validate does', () => {
    // Act
    const run = () =>
      synthesize({
        manifests: [scaledObject('web', 'jobs', [{ type: 'prometheus', metadata: { serverAddress: 'http://prometheus.monitoring.svc:9090', query: 'up', threshold: '5', authModes: 'bearer' }, authenticationRef: { name: 'prom' } }])],
      });

    // Assess
    expect(run).toThrow(ValidationError);
    expect(run).toThrow(/spec\.triggers\[0\]\.metadata\.authModes: "bearer" cannot reach Prometheus/);
  });
});
