/**
 * What the Kubernetes API sends back, read with zod (shapes from reference/kube-api-responses.md),
 * and the mapping from an error status to a `KubeApiError` (DESIGN.md §4). Response schemas are
 * not `.strict()`: API objects carry many fields we do not read, and new ones appear. Each is built
 * on its first use (spec/builtOnce.ts), not at Lambda init.
 */
import * as z from 'zod';
import { builtOnce } from '../spec/builtOnce.js';
import {
  KubeApiError,
  KubeForbiddenError,
  KubeNotFoundError,
  KubeResponseError,
  KubeUnauthorizedError,
  rbacRuleYaml,
  type RbacRule,
} from './errors.js';
import { parseRetryAfter } from './retry.js';

/** autoscaling/v1 Scale. `spec.replicas` is `omitempty` in the API: absent means 0. */
const scaleSchema = builtOnce(() =>
  z.object({
    kind: z.literal('Scale'),
    spec: z.object({ replicas: z.number().int().min(0).default(0) }),
    status: z.object({ replicas: z.number().int().min(0), selector: z.string().optional() }),
  }),
);

const podSchema = () => z.object({
  status: z
    .object({
      phase: z.string().optional(),
      conditions: z.array(z.object({ type: z.string(), status: z.string() })).nullish(),
    })
    .optional(),
});

const podListSchema = builtOnce(() =>
  z.object({
    kind: z.literal('PodList'),
    metadata: z.object({ continue: z.string().optional() }).optional(),
    items: z.array(podSchema()).nullable(),
  }),
);

/** core/v1 Secret: `data` values are base64 (absent for an empty Secret). */
const secretSchema = builtOnce(() =>
  z.object({
    kind: z.literal('Secret'),
    data: z.record(z.string(), z.string()).nullish(),
  }),
);

/** Any API object, read by its own schema later (e.g. a TriggerAuthentication). */
const objectSchema = builtOnce(() => z.record(z.string(), z.unknown()));

/** meta/v1 Status, the body of every API error. */
const statusSchema = builtOnce(() =>
  z.object({
    kind: z.literal('Status'),
    message: z.string().optional(),
    reason: z.string().optional(),
  }),
);

/** One request, described for error messages and RBAC advice. */
interface RequestContext {
  /** What was acted on, e.g. `deployment demo/worker` or `pods in namespace demo`. */
  readonly target: string;
  /** The RBAC rule the request needs. */
  readonly rule: RbacRule;
}

const describeRequest = (context: RequestContext): string => `${context.rule.verb} ${context.rule.resource} of ${context.target}`;

const formatIssues = (error: z.ZodError): string =>
  error.issues.map((issue) => `${issue.path.length === 0 ? '(body)' : issue.path.join('.')}: ${issue.message}`).join('; ');

/** Parses a 2xx body; a body that is not the documented object fails naming the field. */
const parseBody = <S extends z.ZodType>(schema: S, text: string, status: number, context: RequestContext): z.output<S> => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new KubeResponseError(`${describeRequest(context)}: response body is not JSON (HTTP ${status})`, status, { cause: error });
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new KubeResponseError(`${describeRequest(context)}: unexpected response body: ${formatIssues(result.error)}`, status, {
      cause: result.error,
    });
  }
  return result.data;
};

/** A Status body if there is one; proxies and load balancers answer errors with HTML. */
const readStatus = (text: string): z.output<ReturnType<typeof statusSchema>> | undefined => {
  try {
    const result = statusSchema().safeParse(JSON.parse(text));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
};

/** `… cannot patch resource "deployments/scale" in API group "apps" in the namespace "demo"` (RBAC authorizer wording). */
const FORBIDDEN_RULE = /cannot (\S+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]+)")?/;

/** The rule RBAC refused: as the server worded it, else the one the request needed. */
const refusedRule = (message: string | undefined, needed: RbacRule): RbacRule => {
  const match = message === undefined ? null : FORBIDDEN_RULE.exec(message);
  if (match === null) return needed;
  const [, verb = needed.verb, resource = needed.resource, apiGroup = needed.apiGroup, namespace = needed.namespace] = match;
  // The names the request needed still apply when the server refused that very resource.
  const names = resource === needed.resource && needed.resourceNames !== undefined ? { resourceNames: needed.resourceNames } : {};
  return { verb, resource, apiGroup, namespace, ...names };
};

const RETRYABLE_STATUS = new Set([409, 429]);

/** Maps a non-2xx response to the error callers act on (DESIGN.md §4). */
const errorForStatus = (status: number, text: string, retryAfter: string | undefined, context: RequestContext, now: number): KubeApiError => {
  const body = readStatus(text);
  const said = body?.message === undefined ? '' : `; the server said: ${body.message}`;
  if (status === 401) {
    return new KubeUnauthorizedError(
      `${describeRequest(context)}: the API server refused the bearer token (401 Unauthorized); on EKS: the IAM role has no access entry (or aws-auth mapping) in this cluster, or the token was made for another cluster`,
    );
  }
  if (status === 403) {
    const rule = refusedRule(body?.message, context.rule);
    const apiGroup = rule.apiGroup === '' ? 'the core API group' : `API group "${rule.apiGroup}"`;
    return new KubeForbiddenError(
      `RBAC does not allow "${rule.verb}" on "${rule.resource}" in ${apiGroup} in namespace "${rule.namespace}" (${context.target}); add this rule to the Role bound to LPA's group:\n${rbacRuleYaml(rule)}${said}`,
      rule,
    );
  }
  if (status === 404) return new KubeNotFoundError(`${context.target} not found (${describeRequest(context)} returned 404)${said}`);
  const retryable = RETRYABLE_STATUS.has(status) || status >= 500;
  const reason = body?.reason ?? `HTTP${status}`;
  return new KubeApiError(
    `${describeRequest(context)} failed: HTTP ${status}${body?.reason === undefined ? '' : ` ${body.reason}`}${said}`,
    { status, reason, retryable, retryAfterMs: retryable ? parseRetryAfter(retryAfter, now) : undefined },
  );
};

export { describeRequest, errorForStatus, objectSchema, parseBody, podListSchema, readStatus, scaleSchema, secretSchema };
export type { RequestContext };
