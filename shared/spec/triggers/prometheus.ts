/**
 * `prometheus` metadata (KEDA `prometheus_scaler.go`, docs `scalers/prometheus.md`): an instant
 * query whose single value is the metric, `threshold` per replica. Authentication modes (bearer,
 * basic, tls, custom) come from a TriggerAuthentication, which LPA does not read yet.
 */
import * as z from 'zod';
import type { RefinementCtx } from 'zod';
import { awsEndpointProblem, type Trust } from '../awsEndpoint.js';
import type { RawIssue } from '../issues.js';
import { dropEmptyValues, kedaBool, kedaDuration, kedaFloat, kedaMap, kedaString } from '../metadataValues.js';
import type { PrometheusTrigger } from '../types.js';
import { awsConnectionShape, identityOwnerWarnings } from './aws.js';
import { defineTrigger } from './definition.js';
import { prometheusServerOf } from './prometheusServer.js';

const UNSAFE_SSL_REFUSED =
  'cannot be true: LPA always verifies TLS (an unverified connection lets anyone on the path feed the autoscaler its numbers). ' +
  'Give Prometheus a certificate from a CA the Lambda runtime trusts, or use its in-cluster address (http://<service>.<namespace>.svc:<port>), ' +
  "which LPA reaches through the API server over the cluster's verified TLS; then remove unsafeSsl";

/** RFC 9110 `token`: what a header name may be. */
const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const prometheusFields = (aws = awsConnectionShape()) =>
  z.strictObject({
    serverAddress: kedaString(),
    query: kedaString().pipe(z.string().trim().min(1, 'is required')),
    queryParameters: kedaMap().default([]),
    // A zero target would make the HPA divide by zero; Kubernetes rejects a non-positive averageValue.
    threshold: kedaFloat({ greaterThan: 0 }),
    activationThreshold: kedaFloat().default(0),
    namespace: kedaString().optional(),
    customHeaders: kedaMap()
      .refine((pairs) => pairs.every(([name]) => HTTP_TOKEN.test(name)), 'header names must be HTTP tokens (letters, digits and !#$%&\'*+-.^_`|~)')
      .refine((pairs) => pairs.every(([, value]) => !/[\0-\x08\x0a-\x1f\x7f]/.test(value)), 'header values must not contain control characters')
      .default([]),
    ignoreNullValues: kedaBool().default(true),
    unsafeSsl: kedaBool()
      .refine((unsafe) => !unsafe, UNSAFE_SSL_REFUSED)
      .optional(),
    timeout: kedaDuration().optional(),
    awsRegion: aws.awsRegion.optional(),
    awsRoleArn: aws.awsRoleArn,
    identityOwner: aws.identityOwner,
    /** Deprecated: KEDA names the metric `s<index>-prometheus` and ignores this; accepted with a warning. */
    metricName: kedaString().optional(),
  });

type PrometheusFields = z.output<ReturnType<typeof prometheusFields>>;

/** Where the address is reached, and whether the AWS settings make sense there. */
const checkServer = (metadata: PrometheusFields, ctx: RefinementCtx): void => {
  const result = prometheusServerOf(metadata.serverAddress, metadata.awsRegion);
  if (!result.ok) {
    ctx.addIssue({ code: 'custom', path: ['serverAddress'], message: result.message });
    return;
  }
  if (metadata.awsRoleArn !== undefined && result.server.kind !== 'amp') {
    ctx.addIssue({
      code: 'custom',
      path: ['awsRoleArn'],
      message: 'signs requests to Amazon Managed Service for Prometheus only, and serverAddress is not an AMP workspace (https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>)',
    });
  }
};

const prometheusMetadata = () =>
  z.preprocess(
    dropEmptyValues,
    prometheusFields().superRefine(checkServer).transform(({ timeout, unsafeSsl: _refused, metricName: _ignored, ...metadata }) => ({
      ...metadata,
      ...(timeout === undefined || timeout === 0 ? {} : { timeoutMs: timeout }),
    })),
  );

const warnings = (metadata: PrometheusTrigger['metadata'], raw: Readonly<Record<string, unknown>>): RawIssue[] => [
  ...(raw.metricName === undefined || raw.metricName === ''
    ? []
    : [{ path: ['metricName'], message: 'is deprecated and ignored (KEDA names the metric s<trigger index>-prometheus itself); remove it' }]),
  ...identityOwnerWarnings(metadata),
];

/**
 * A signed address gets the request's SigV4 signature and session token: like `awsEndpoint`, it must
 * be an AWS host (an AMP or AMP VPC endpoint name) or one the deployment trusts.
 */
const trusted = (metadata: PrometheusTrigger['metadata'], trust: Trust): RawIssue[] => {
  const located = prometheusServerOf(metadata.serverAddress, metadata.awsRegion);
  const problem = located.ok && located.server.kind === 'amp' ? awsEndpointProblem(metadata.serverAddress, trust) : undefined;
  return problem === undefined ? [] : [{ path: ['serverAddress'], message: `is signed with AWS credentials (SigV4 for Amazon Managed Service for Prometheus), so it ${problem}` }];
};

const prometheus = defineTrigger<PrometheusTrigger>({
  type: 'prometheus',
  metadata: prometheusMetadata,
  targets: (metadata) => ({ target: metadata.threshold, activationTarget: metadata.activationThreshold }),
  warnings,
  trusted,
});

export { prometheus };
