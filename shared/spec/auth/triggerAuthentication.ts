/**
 * The TriggerAuthentication and ClusterTriggerAuthentication documents (KEDA
 * `apis/keda/v1alpha1/triggerauthentication_types.go`), strict like the ScaledObject's. LPA runs in
 * AWS Lambda, outside the workload's pods, so it reads `secretTargetRef` (Kubernetes Secrets by
 * name), `awsSecretManager` and `podIdentity: { provider: aws }`; every other source is refused
 * here with the field named and what to use instead, rather than resolving to nothing at run time.
 */
import * as z from 'zod';
import { builtOnce } from '../builtOnce.js';
import { parseWith } from '../issues.js';
import type { RawIssue } from '../issues.js';
import { describeValue, refusedKey } from '../metadataValues.js';
import { dns1123Subdomain } from '../kubeNames.js';
import { API_VERSION, objectMeta } from '../schema.js';
import { AWS_REGION, IAM_ROLE_ARN } from '../triggers/aws.js';
import type { AwsPodIdentity, TriggerAuthentication } from './types.js';

const AUTHENTICATION_KINDS = ['TriggerAuthentication', 'ClusterTriggerAuthentication'] as const;

/** KEDA's default namespace for the Secrets of ClusterTriggerAuthentications (`KEDA_CLUSTER_OBJECT_NAMESPACE`). */
const DEFAULT_CLUSTER_OBJECT_NAMESPACE = 'keda';

const USE_INSTEAD = 'keep the value in a Kubernetes Secret (secretTargetRef) or in AWS Secrets Manager (awsSecretManager)';

/** Secret data keys: Kubernetes' `IsConfigMapKey`. */
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
/** Built on the first parse (spec/builtOnce.ts): most groups carry no TriggerAuthentication, and a cold start pays for none. */
const triggerAuthenticationDocument = builtOnce(() => {
  const parameter = z.string().trim().min(1);

  const roleArn = z.string().regex(IAM_ROLE_ARN, 'must be an IAM role ARN: arn:aws:iam::<12-digit account>:role/<name>');

  /**
   * KEDA's podIdentity providers. `none` means no identity; `aws` is the function's role or
   * `roleArn`. The others need what a Lambda does not have (Azure or GCP workload identity, the
   * workload's own service account), and each refusal says what to write.
   */
  const podIdentity = z
    .strictObject({
      provider: z.string().superRefine((provider, ctx) => {
        const problem: Readonly<Record<string, string>> = {
          'aws-eks': '"aws-eks" was removed from KEDA (deprecated in 2.13); use provider: aws with roleArn',
          'azure-workload': 'Azure workload identity is not available to LPA (it runs in AWS Lambda); use provider: aws',
          gcp: 'GCP workload identity is not available to LPA (it runs in AWS Lambda); use provider: aws',
        };
        if (provider === 'aws' || provider === 'none') return;
        ctx.addIssue({ code: 'custom', message: problem[provider] ?? `must be "aws" or "none", got ${describeValue(provider)}` });
      }),
      roleArn: roleArn.optional(),
      identityOwner: z
        .enum(['keda', 'workload'])
        .superRefine((owner, ctx) => {
          if (owner === 'workload') {
            ctx.addIssue({ code: 'custom', message: "\"workload\" reads the role from the workload's service account, which LPA does not see; set roleArn to that role" });
          }
        })
        .optional(),
      externalID: refusedKey('is not supported by LPA: the role must trust the functions\' role without an external ID'),
      identityId: refusedKey('is an Azure identity setting; LPA supports provider: aws only'),
      identityTenantId: refusedKey('is an Azure identity setting; LPA supports provider: aws only'),
      identityAuthorityHost: refusedKey('is an Azure identity setting; LPA supports provider: aws only'),
    })
    .transform((identity): AwsPodIdentity | undefined =>
      identity.provider === 'none' ? undefined : { provider: 'aws', ...(identity.roleArn === undefined ? {} : { roleArn: identity.roleArn }) },
    );

  const secretTargetRef = z.strictObject({
    parameter,
    name: dns1123Subdomain(),
    key: z.string().regex(SECRET_KEY, "must be a Secret data key (a-z, A-Z, 0-9, '-', '_', '.')"),
  });

  const awsSecretManagerSecret = z.strictObject({
    parameter,
    name: z.string().trim().min(1),
    versionId: z.string().min(1).optional(),
    versionStage: z.string().min(1).optional(),
    secretKey: z.string().min(1).optional(),
  });

  const awsSecretManager = z
    .strictObject({
      secrets: z.array(awsSecretManagerSecret).min(1),
      region: z.string().regex(AWS_REGION, 'must be an AWS region such as us-east-1').optional(),
      podIdentity: podIdentity.optional(),
      credentials: refusedKey(
        'static access keys are not supported by LPA; use podIdentity: { provider: aws } (the functions\' role) or { provider: aws, roleArn } (a role they assume)',
      ),
    })
    .superRefine((manager, ctx) => {
      // KEDA: "AccessKeyID and AccessSecretKey are expected when not using a pod identity provider".
      if (manager.podIdentity === undefined && manager.credentials === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['podIdentity'],
          message: 'is required: set podIdentity: { provider: aws } to read the secrets as the functions\' role, or { provider: aws, roleArn } to assume a role',
        });
      }
    });

  const spec = z.strictObject({
    podIdentity: podIdentity.optional(),
    secretTargetRef: z.array(secretTargetRef).default([]),
    awsSecretManager: awsSecretManager.optional(),
    env: refusedKey(`reads the workload container's environment, which LPA (outside the pods) cannot see; ${USE_INSTEAD}`),
    configMapTargetRef: refusedKey('is not supported by LPA; put the value in a Secret and use secretTargetRef'),
    filePath: refusedKey(`reads a file inside KEDA's operator pod, which LPA does not have; ${USE_INSTEAD}`),
    hashiCorpVault: refusedKey(`HashiCorp Vault is not supported by LPA; ${USE_INSTEAD}`),
    azureKeyVault: refusedKey(`Azure Key Vault is not available to LPA (it runs in AWS Lambda); ${USE_INSTEAD}`),
    gcpSecretManager: refusedKey(`GCP Secret Manager is not available to LPA (it runs in AWS Lambda); ${USE_INSTEAD}`),
    boundServiceAccountToken: refusedKey(`is not supported by LPA (it would mint tokens for the workload's service account); ${USE_INSTEAD}`),
    oauth2: refusedKey(`is not supported by LPA; ${USE_INSTEAD}`),
  });

  return z.strictObject({
    apiVersion: z.literal(API_VERSION, {
      error: (issue) => (issue.input === undefined ? 'is required' : `must be "${API_VERSION}", got ${describeValue(issue.input)}`),
    }),
    kind: z.enum(AUTHENTICATION_KINDS),
    metadata: objectMeta(),
    spec,
    status: z.unknown().optional(),
  });
});

type AuthenticationParse = { readonly ok: true; readonly value: TriggerAuthentication } | { readonly ok: false; readonly issues: readonly RawIssue[] };

/**
 * Validates one document. A ClusterTriggerAuthentication is cluster-scoped, so a namespace in its
 * metadata is dropped (the API server ignores it too).
 *
 * @example
 * const parsed = parseTriggerAuthentication(yamlValue);
 * if (parsed.ok) byName.set(parsed.value.metadata.name, parsed.value);
 */
const parseTriggerAuthentication = (value: unknown): AuthenticationParse => {
  const parsed = parseWith(triggerAuthenticationDocument(), value);
  if (!parsed.ok) return parsed;
  const { kind, metadata, spec: { podIdentity: identity, secretTargetRef: secrets, awsSecretManager: manager } } = parsed.data;
  // The schema has refused every podIdentity but `aws` and `none`, so `manager.podIdentity` is aws here.
  const managerIdentity: AwsPodIdentity = manager?.podIdentity ?? { provider: 'aws' };
  return {
    ok: true,
    value: {
      kind,
      metadata: { name: metadata.name, ...(kind === 'TriggerAuthentication' ? { namespace: metadata.namespace } : {}) },
      spec: {
        ...(identity === undefined ? {} : { podIdentity: identity }),
        secretTargetRef: secrets,
        ...(manager === undefined
          ? {}
          : { awsSecretManager: { secrets: manager.secrets, podIdentity: managerIdentity, ...(manager.region === undefined ? {} : { region: manager.region }) } }),
      },
    },
  };
};

const isAuthenticationKind = (kind: unknown): kind is TriggerAuthentication['kind'] =>
  typeof kind === 'string' && (AUTHENTICATION_KINDS as readonly string[]).includes(kind);

/** `TriggerAuthentication shop/example-app-ta` or `ClusterTriggerAuthentication shared-keys`. */
const authenticationLabel = (auth: Pick<TriggerAuthentication, 'kind' | 'metadata'>): string =>
  `${auth.kind} ${auth.metadata.namespace === undefined ? '' : `${auth.metadata.namespace}/`}${auth.metadata.name}`;

export { AUTHENTICATION_KINDS, DEFAULT_CLUSTER_OBJECT_NAMESPACE, authenticationLabel, isAuthenticationKind, parseTriggerAuthentication };
export type { AuthenticationParse };
