/**
 * What TriggerAuthentications imply for the deployment: the schedule input carries them, the IAM
 * policy names exactly the Secrets Manager secrets (or only the role that reads them), the RBAC
 * gets exactly the named Secrets, and a bad reference fails synth like `lpa validate`.
 */
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
      { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch'] },
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
