/**
 * `prometheus` metadata (KEDA `prometheus_scaler.go`, docs `scalers/prometheus.md`): an instant
 * query whose single value is the metric, `threshold` per replica. `authModes` may be written here
 * or in the TriggerAuthentication; their credentials come from the TriggerAuthentication only
 * (prometheusAuth.ts has KEDA's rules and LPA's refusals).
 */
import * as z from 'zod';
import type { RefinementCtx } from 'zod';
import { awsEndpointProblem, type Trust } from '../awsEndpoint.js';
import type { RawIssue } from '../issues.js';
import { AUTH_ONLY, dropEmptyValues, kedaBool, kedaDuration, kedaFloat, kedaMap, kedaString, refusedKey } from '../metadataValues.js';
import type { PrometheusTrigger } from '../types.js';
import { awsConnectionShape, identityOwnerWarnings } from './aws.js';
import { defineTrigger, type GivenAuthentication, type TriggerFields } from './definition.js';
import { HTTP_TOKEN, NEEDED_BY_MODE, PROMETHEUS_AUTH_PARAMETERS, parseAuthModes, removedByApiServer, serverProblem } from './prometheusAuth.js';
import { prometheusServerOf } from './prometheusServer.js';

const UNSAFE_SSL_REFUSED =
  'cannot be true: LPA always verifies TLS (an unverified connection lets anyone on the path feed the autoscaler its numbers). ' +
  'Give Prometheus a certificate from a CA the Lambda runtime trusts, or use its in-cluster address (http://<service>.<namespace>.svc:<port>), ' +
  "which LPA reaches through the API server over the cluster's verified TLS; then remove unsafeSsl";

const prometheusFields = () =>
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
    awsRegion: awsConnectionShape().awsRegion.optional(),
    awsRoleArn: awsConnectionShape().awsRoleArn,
    identityOwner: awsConnectionShape().identityOwner,
    /** Deprecated: KEDA names the metric `s<index>-prometheus` and ignores this; accepted with a warning. */
    metricName: kedaString().optional(),
    // KEDA's names `authModes;authMode`, first non-blank wins.
    authModes: kedaString().optional(),
    authMode: kedaString().optional(),
    // KEDA reads the credentials of authModes from authParams only.
    bearerToken: refusedKey(AUTH_ONLY),
    token: refusedKey(AUTH_ONLY),
    username: refusedKey(AUTH_ONLY),
    password: refusedKey(AUTH_ONLY),
    ca: refusedKey(AUTH_ONLY),
    cert: refusedKey(AUTH_ONLY),
    key: refusedKey(AUTH_ONLY),
    customAuthHeader: refusedKey(AUTH_ONLY),
    customAuthValue: refusedKey(AUTH_ONLY),
  });

type PrometheusFields = z.output<ReturnType<typeof prometheusFields>>;

/** Where the address is reached, and whether the AWS settings make sense there. */
const checkServer = (metadata: PrometheusFields, ctx: RefinementCtx): void => {
  const result = prometheusServerOf(metadata.serverAddress, metadata.awsRegion);
  if (!result.ok) {
    ctx.addIssue({ code: 'custom', path: ['serverAddress'], message: result.message });
    return;
  }
  const modesKey = metadata.authModes === undefined ? 'authMode' : 'authModes';
  const modes = parseAuthModes(metadata.authModes ?? metadata.authMode ?? '');
  if (!modes.ok) ctx.addIssue({ code: 'custom', path: [modesKey], message: modes.message });
  const problem = modes.ok ? serverProblem(modes.value, result.server) : undefined;
  if (problem !== undefined) ctx.addIssue({ code: 'custom', path: [modesKey], message: problem });
  const dropped = result.server.kind === 'service' ? metadata.customHeaders.find(([name]) => removedByApiServer(name)) : undefined;
  if (dropped !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['customHeaders'],
      message: `cannot send ${dropped[0]}: serverAddress is an in-cluster Service reached through the API server's service proxy, which removes the Authorization and X-Remote-* headers after authenticating LPA; use another header name, or a serverAddress the functions reach directly`,
    });
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
    // The refused credential keys never reach the transform: present, they failed validation.
    prometheusFields().superRefine(checkServer).transform(({ timeout, unsafeSsl: _refused, metricName: _ignored, authModes, authMode, ...metadata }) => {
      const modes = parseAuthModes(authModes ?? authMode ?? '');
      return {
        ...metadata,
        ...(timeout === undefined || timeout === 0 ? {} : { timeoutMs: timeout }),
        ...(modes.ok && modes.value.length > 0 ? { authModes: modes.value } : {}),
      };
    }),
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

/** Modes written in the metadata take their credentials from a TriggerAuthentication, which must be referenced. */
const triggerIssues = (metadata: PrometheusTrigger['metadata'], trigger: TriggerFields): RawIssue[] => {
  const modes = metadata.authModes ?? [];
  if (modes.length === 0 || trigger.authenticationRef !== undefined) return [];
  const needed = modes.flatMap((mode) => NEEDED_BY_MODE[mode].map((names) => names[0] as string));
  return [{ path: ['authModes'], message: `needs ${needed.join(', ')} from a TriggerAuthentication; add authenticationRef (KEDA reads these credentials from authParams only)` }];
};

/** KEDA: authModes and a podIdentity exclude each other; each mode's credentials must be among the object's parameters. */
const authIssues = (metadata: PrometheusTrigger['metadata'], given: GivenAuthentication): string[] => {
  const modes = metadata.authModes ?? [];
  if (modes.length === 0) return [];
  if (given.podIdentity) return ['has a podIdentity, and authModes cannot be used with one (KEDA: "pod identity cannot be enabled with other auth types")'];
  const missing = modes.flatMap((mode) => NEEDED_BY_MODE[mode].filter((names) => !names.some((name) => given.parameters.has(name))).map((names) => names.join(' or ')));
  return missing.length === 0 ? [] : [`provides no ${missing.join(', ')}, which authModes "${modes.join(',')}" requires`];
};

const prometheus = defineTrigger<PrometheusTrigger>({
  type: 'prometheus',
  metadata: prometheusMetadata,
  targets: (metadata) => ({ target: metadata.threshold, activationTarget: metadata.activationThreshold }),
  warnings,
  trusted,
  triggerIssues,
  authIssues,
  authParameters: PROMETHEUS_AUTH_PARAMETERS,
});

export { prometheus };
