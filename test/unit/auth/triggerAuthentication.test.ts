import { describe, expect, it } from 'vitest';
import { parseTriggerAuthentication } from '../../../shared/spec/auth/triggerAuthentication.js';
import { formatPath } from '../../../shared/spec/issues.js';

const document = (spec: Record<string, unknown>, kind = 'TriggerAuthentication', metadata: Record<string, unknown> = { name: 'keys', namespace: 'shop' }) => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind,
  metadata,
  spec,
});

/** `path: message` of every issue, or the value when it parsed. */
const issuesOf = (value: unknown): string[] => {
  const parsed = parseTriggerAuthentication(value);
  return parsed.ok ? [] : parsed.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
};

describe('parseTriggerAuthentication', () => {
  it('reads secretTargetRef, awsSecretManager and podIdentity into the normalized shape', () => {
    // Act
    const parsed = parseTriggerAuthentication(
      document({
        podIdentity: { provider: 'aws', roleArn: 'arn:aws:iam::123456789012:role/reader' },
        secretTargetRef: [{ parameter: 'queryKey', name: 'keda-new-relic-secret', key: 'apiKey' }],
        awsSecretManager: { region: 'eu-west-1', podIdentity: { provider: 'aws' }, secrets: [{ parameter: 'account', name: 'nr/account', secretKey: 'id', versionStage: 'AWSCURRENT' }] },
      }),
    );

    // Assess
    expect(parsed).toEqual({
      ok: true,
      value: {
        kind: 'TriggerAuthentication',
        metadata: { name: 'keys', namespace: 'shop' },
        spec: {
          podIdentity: { provider: 'aws', roleArn: 'arn:aws:iam::123456789012:role/reader' },
          secretTargetRef: [{ parameter: 'queryKey', name: 'keda-new-relic-secret', key: 'apiKey' }],
          awsSecretManager: { region: 'eu-west-1', podIdentity: { provider: 'aws' }, secrets: [{ parameter: 'account', name: 'nr/account', secretKey: 'id', versionStage: 'AWSCURRENT' }] },
        },
      },
    });
  });

  it('drops the namespace of a ClusterTriggerAuthentication (it is cluster-scoped)', () => {
    // Act
    const parsed = parseTriggerAuthentication(document({ podIdentity: { provider: 'none' } }, 'ClusterTriggerAuthentication', { name: 'shared' }));

    // Assess
    expect(parsed).toEqual({ ok: true, value: { kind: 'ClusterTriggerAuthentication', metadata: { name: 'shared' }, spec: { secretTargetRef: [] } } });
  });

  it.each([
    ['env', { env: [{ parameter: 'queryKey', name: 'NR_KEY' }] }, "spec.env: reads the workload container's environment"],
    ['hashiCorpVault', { hashiCorpVault: { address: 'https://vault', authentication: 'token', secrets: [] } }, 'spec.hashiCorpVault: HashiCorp Vault is not supported by LPA; keep the value in a Kubernetes Secret (secretTargetRef) or in AWS Secrets Manager (awsSecretManager)'],
    ['azureKeyVault', { azureKeyVault: { vaultUri: 'https://kv', secrets: [] } }, 'spec.azureKeyVault: Azure Key Vault is not available to LPA'],
    ['gcpSecretManager', { gcpSecretManager: { secrets: [] } }, 'spec.gcpSecretManager: GCP Secret Manager is not available to LPA'],
    ['podIdentity azure-workload', { podIdentity: { provider: 'azure-workload' } }, 'spec.podIdentity.provider: Azure workload identity is not available to LPA (it runs in AWS Lambda); use provider: aws'],
    ['podIdentity gcp', { podIdentity: { provider: 'gcp' } }, 'spec.podIdentity.provider: GCP workload identity is not available to LPA'],
    ['podIdentity aws-eks', { podIdentity: { provider: 'aws-eks' } }, 'spec.podIdentity.provider: "aws-eks" was removed from KEDA'],
    ['identityOwner workload', { podIdentity: { provider: 'aws', identityOwner: 'workload' } }, 'spec.podIdentity.identityOwner: "workload" reads the role'],
    ['awsSecretManager credentials', { awsSecretManager: { secrets: [{ parameter: 'a', name: 'b' }], credentials: { accessKey: {} } } }, 'spec.awsSecretManager.credentials: static access keys are not supported by LPA'],
    ['awsSecretManager without podIdentity', { awsSecretManager: { secrets: [{ parameter: 'a', name: 'b' }] } }, 'spec.awsSecretManager.podIdentity: is required'],
    ['filePath', { filePath: 'auth.json' }, "spec.filePath: reads a file inside KEDA's operator pod"],
  ])('refuses %s, naming the field and what to use instead', (_, spec, expected) => {
    // Act
    const issues = issuesOf(document(spec));

    // Assess
    expect(issues).toHaveLength(1);
    expect(issues[0]).toContain(expected);
  });

  it('rejects unknown keys and bad names with the path and the rule', () => {
    // Act
    const issues = issuesOf(document({ secretTargetRef: [{ parameter: 'queryKey', name: 'Bad_Name', key: 'apiKey', optional: true }] }));

    // Assess
    expect(issues).toEqual([
      "spec.secretTargetRef[0].name: must be a lowercase RFC 1123 subdomain: lower case alphanumeric characters, '-' or '.', starting and ending with an alphanumeric character (e.g. 'example.com')",
      'spec.secretTargetRef[0].optional: unknown key; allowed: key, name, parameter',
    ]);
  });
});
