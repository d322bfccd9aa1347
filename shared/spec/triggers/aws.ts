/**
 * Metadata shared by the AWS triggers (KEDA `scalers/aws/aws_common.go`): where to call and as whom.
 * `awsRoleArn` in metadata is LPA's shorthand for a TriggerAuthentication's `podIdentity.roleArn` (which wins).
 */
import * as z from 'zod';
import { awsEndpointProblem } from '../awsEndpoint.js';
import type { Trust } from '../awsEndpoint.js';
import type { RawIssue } from '../issues.js';
import { kedaString } from '../metadataValues.js';

/** `us-east-1`, `ap-northeast-2`, `us-gov-west-1`, `cn-north-1`: catches `ap-northeast2`-style typos. */
const AWS_REGION = /^[a-z]{2,}(?:-[a-z]+)+-\d+$/;
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

const awsConnectionShape = () => ({
  awsRegion: kedaString().pipe(z.string().regex(AWS_REGION, 'must be an AWS region such as us-east-1')),
  /** Endpoint override: a VPC endpoint name, or a trusted stand-in (see awsEndpoint.ts, checked by `awsEndpointIssues`). */
  awsEndpoint: kedaString().optional(),
  awsRoleArn: kedaString()
    .pipe(z.string().regex(IAM_ROLE_ARN, 'must be an IAM role ARN: arn:aws:iam::<12-digit account>:role/<name>'))
    .optional(),
  identityOwner: kedaString().pipe(z.enum(['pod', 'operator'])).optional(),
});

/** `podIdentity: { provider: aws, roleArn }` of a TriggerAuthentication arrives as `awsRoleArn` (KEDA `aws_common.go`). */
const AWS_AUTH_PARAMETERS = [{ name: 'awsRoleArn', inMetadata: false, required: false }] as const;

/** KEDA deprecated `identityOwner` in v2.13; it only steered the removed aws-eks identity provider. */
const identityOwnerWarnings = (metadata: { readonly identityOwner?: string }): RawIssue[] =>
  metadata.identityOwner === undefined
    ? []
    : [{ path: ['identityOwner'], message: 'is deprecated since KEDA 2.13 and ignored by LPA; use awsRoleArn to pick the role' }];

/** `awsEndpoint` must be https to AWS, or to a host the deployment trusts. */
const awsEndpointIssues = (metadata: { readonly awsEndpoint?: string }, trust: Trust): RawIssue[] => {
  const problem = metadata.awsEndpoint === undefined ? undefined : awsEndpointProblem(metadata.awsEndpoint, trust);
  return problem === undefined ? [] : [{ path: ['awsEndpoint'], message: problem }];
};

export { AWS_AUTH_PARAMETERS, AWS_REGION, IAM_ROLE_ARN, awsConnectionShape, awsEndpointIssues, identityOwnerWarnings };
