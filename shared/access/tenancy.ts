/**
 * Tenancy of the cluster source (DESIGN.md §1, issue 8): a ScaledObject read from the cluster was
 * written by whoever may create ScaledObjects in its namespace, so it may only make LPA read what the
 * operator allowed that namespace. Per namespace (and one allowance for the namespaces not named,
 * nothing by default):
 * - `awsResources`: ARNs or ARN patterns (`*` any run of characters, `?` one, as IAM matches) the
 *   triggers may read with the functions' own credentials, IAM roles among them being roles the
 *   objects may name to read as; or
 * - `roleArn`: the namespace's role (KEDA's podIdentity role): every AWS read of the namespace is made
 *   as this role, never with the functions' own credentials;
 * - `endpoints`: host patterns LPA may connect to (awsEndpoint, a Prometheus serverAddress outside the
 *   cluster, Kafka brokers);
 * - `services`: in-cluster Services (a Prometheus) the objects may query, written as a serverAddress
 *   (`http://prometheus-server.monitoring.svc.cluster.local:9090`). LPA reaches them through the API
 *   server's service proxy, as its own Kubernetes identity, so `endpoints` never cover them: the
 *   RBAC grants `services/proxy` on exactly these;
 * - `secrets`: Kubernetes Secrets of the namespace its TriggerAuthentications may read;
 * - `clusterTriggerAuthentications`: the ClusterTriggerAuthentications its objects may reference.
 *
 * What each ClusterTriggerAuthentication may read is declared once, at the top level
 * (`clusterTriggerAuthentications: { <name>: { secrets, roleArn | awsResources } }`): its Secrets in
 * KEDA's cluster-object namespace, the role its reads are made as, or the Secrets Manager secrets and
 * roles it may name. The object in the cluster is checked against its declaration before it is used,
 * so changing it can never make LPA read more than the IAM and RBAC derived from the props.
 *
 * The construct derives the functions' IAM and RBAC from the same props (infra/tenancyAccess.ts),
 * and the check below refuses, before anything is read, an object that touches anything else.
 */
import * as z from 'zod';
import { builtOnce } from '../spec/builtOnce.js';
import { prometheusServerOf, type ServiceServer } from '../spec/triggers/prometheusServer.js';
import type { Touch } from './touches.js';

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
/** `arn:partition:service:region:account:resource`, each of the first five fields possibly a pattern. */
const ARN_PATTERN = /^arn:[^:\s]*:[^:\s]+:[^:\s]*:[^:\s]*:\S+$/;
const HOST_PATTERN = /^[A-Za-z0-9*?.-]+$|^\[[0-9A-Fa-f:.]+\]$/;

/**
 * An allowed in-cluster Service, normalised by the parser the Prometheus trigger uses (so
 * `<svc>.<ns>`, `<svc>.<ns>.svc` and `<svc>.<ns>.svc.cluster.local` are one Service, a missing port
 * is 80/443); undefined when the entry is not an in-cluster address.
 *
 * @example
 * allowedServiceOf('http://prometheus-server.monitoring:9090'); // { namespace: 'monitoring', proxyName: 'http:prometheus-server:9090', … }
 */
const allowedServiceOf = (entry: string): ServiceServer | undefined => {
  const located = prometheusServerOf(entry);
  return located.ok && located.server.kind === 'service' ? located.server : undefined;
};

const SERVICE_RULE = 'must be an in-cluster Service as a serverAddress names it (http(s)://<service>.<namespace>.svc.cluster.local:<port>, .svc or <service>.<namespace>), without a path: LPA is granted services/proxy on the whole Service';

const OBJECT_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** What a namespace's allowance and a ClusterTriggerAuthentication's declaration share: what they read, and as which role. */
const readsShape = () => ({
  awsResources: z.array(z.string().regex(ARN_PATTERN, 'must be an ARN or ARN pattern (arn:partition:service:region:account:resource; * and ? match as in IAM)')).optional(),
  roleArn: z.string().regex(ROLE_ARN, 'must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)').optional(),
  secrets: z.array(z.string().regex(OBJECT_NAME, 'must be a Secret name (RFC 1123 subdomain)')).optional(),
});

const oneWayToReadAws = (whose: string): [(a: { readonly roleArn?: string; readonly awsResources?: readonly string[] }) => boolean, { path: string[]; message: string }] => [
  (a) => a.roleArn === undefined || a.awsResources === undefined,
  { path: ['roleArn'], message: `give either roleArn (every AWS read of ${whose} as that role) or awsResources (read with the functions' own role), not both` },
];

const allowanceSchema = () =>
  z
    .object({
      ...readsShape(),
      endpoints: z.array(z.string().regex(HOST_PATTERN, 'must be a host name or pattern (e.g. *.internal.example.com), without scheme or port')).optional(),
      services: z.array(z.string().refine((entry) => allowedServiceOf(entry)?.basePath === '', SERVICE_RULE)).optional(),
      clusterTriggerAuthentications: z.array(z.string().min(1)).optional(),
    })
    .strict()
    .refine(...oneWayToReadAws('the namespace'));

/**
 * What one ClusterTriggerAuthentication may read: `secrets` in the cluster-object namespace, and
 * either `roleArn` (its podIdentity and awsSecretManager roles must be this one) or `awsResources`
 * (Secrets Manager secrets it reads with the functions' role, IAM roles it may name).
 */
const clusterAuthenticationSchema = () => z.object(readsShape()).strict().refine(...oneWayToReadAws('the ClusterTriggerAuthentication'));

const tenancySchema = builtOnce(() =>
  z
    .object({
      namespaces: z.record(z.string().regex(NAMESPACE, 'must be a namespace name (RFC 1123 label)'), allowanceSchema()).optional(),
      /** The namespaces not named. @default nothing allowed */
      otherNamespaces: allowanceSchema().optional(),
      /** What each ClusterTriggerAuthentication a namespace may reference may read. @default nothing */
      clusterTriggerAuthentications: z.record(z.string().regex(OBJECT_NAME, 'must be a ClusterTriggerAuthentication name (RFC 1123 subdomain)'), clusterAuthenticationSchema()).optional(),
      /** The functions' account and region: what a resource named without them (a bare queue name) resolves to. Set by the construct. */
      account: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id').optional(),
      region: z.string().min(1).optional(),
    })
    .strict(),
);

type TenantAllowance = z.infer<ReturnType<typeof allowanceSchema>>;
type ClusterAuthenticationAllowance = z.infer<ReturnType<typeof clusterAuthenticationSchema>>;
type Tenancy = z.infer<ReturnType<typeof tenancySchema>>;

/** Where an allowance comes from, for messages: `tenants.namespaces.shop` or `tenants.otherNamespaces`. */
interface NamespaceAllowance {
  readonly rule: string;
  readonly allowance: TenantAllowance;
  /** The declarations of the ClusterTriggerAuthentications (`tenants.clusterTriggerAuthentications`). */
  readonly clusterAuthentications?: Readonly<Record<string, ClusterAuthenticationAllowance>>;
}

const NOTHING: TenantAllowance = {};

/** The allowance of a namespace: its own, else the one for other namespaces, else nothing. */
const allowanceOf = (tenancy: Tenancy | undefined, namespace: string): NamespaceAllowance => {
  const clusterAuthentications = tenancy?.clusterTriggerAuthentications ?? {};
  const own = tenancy?.namespaces?.[namespace];
  if (own !== undefined) return { rule: `tenants.namespaces.${namespace}`, allowance: own, clusterAuthentications };
  return { rule: 'tenants.otherNamespaces', allowance: tenancy?.otherNamespaces ?? NOTHING, clusterAuthentications };
};

/**
 * IAM's matching: `*` any run of characters (none included), `?` exactly one; everything else
 * literal. A two-pointer walk (backtracking only to the last `*`), so a pattern with many `*` costs
 * at most pattern × value steps on a value a namespace chose, never a regex's exponential backtracking.
 *
 * @example
 * matchesPattern('arn:aws:sqs:eu-west-1:123456789012:shop-*', 'arn:aws:sqs:eu-west-1:123456789012:shop-orders'); // true
 */
const matchesPattern = (pattern: string, value: string, caseInsensitive = false): boolean => {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = caseInsensitive ? value.toLowerCase() : value;
  let i = 0;
  let j = 0;
  let star = -1;
  let resume = 0;
  while (j < v.length) {
    if (i < p.length && (p[i] === '?' || p[i] === v[j])) {
      i += 1;
      j += 1;
    } else if (i < p.length && p[i] === '*') {
      star = i;
      i += 1;
      resume = j;
    } else if (star !== -1) {
      // The last `*` takes one more character, and matching resumes after it.
      i = star + 1;
      resume += 1;
      j = resume;
    } else return false;
  }
  while (p[i] === '*') i += 1;
  return i === p.length;
};

const matchesAny = (patterns: readonly string[] | undefined, value: string, caseInsensitive = false): boolean =>
  (patterns ?? []).some((pattern) => matchesPattern(pattern, value, caseInsensitive));

const listed = (values: readonly string[] | undefined): string => (values === undefined || values.length === 0 ? 'none' : values.join(', '));

/** What a touch is checked against: a namespace's allowance or a ClusterTriggerAuthentication's declaration. */
interface Judge {
  /** For messages: `namespace shop`, `ClusterTriggerAuthentication shared`. */
  readonly subject: string;
  /** Where it is written: `tenants.namespaces.shop`, `tenants.clusterTriggerAuthentications.shared`. */
  readonly rule: string;
  readonly allowance: TenantAllowance;
  /** How to make a read as its roleArn. */
  readonly asRole: string;
}

/** May LPA read as this role? Only the judge's roleArn when it has one, else a role its awsResources name. */
const mayReadAs = (arn: string, allowance: TenantAllowance): boolean => (allowance.roleArn === undefined ? matchesAny(allowance.awsResources, arn) : arn === allowance.roleArn);

/** Why the judge does not allow one touch, or undefined when it does. `readAs`: the roles allowed to read as. */
const touchProblem = (touch: Touch, { subject, rule, allowance, asRole }: Judge, readAs: ReadonlySet<string>): string | undefined => {
  const refuse = (what: string, allowed: string) => `${touch.path}: ${what} is not allowed for ${subject} (${rule}: ${allowed})`;
  switch (touch.kind) {
    case 'aws': {
      // Read as an allowed role: that role's policy is the limit.
      if (touch.as !== undefined && readAs.has(touch.as)) return undefined;
      // With a roleArn, anything else would be LPA's own credentials.
      if (allowance.roleArn !== undefined) return refuse(touch.arn, `its AWS reads are made as roleArn ${allowance.roleArn}, and this one cannot be (${asRole})`);
      return matchesAny(allowance.awsResources, touch.arn) ? undefined : refuse(touch.arn, `awsResources ${listed(allowance.awsResources)}`);
    }
    case 'role': {
      if (mayReadAs(touch.arn, allowance)) return undefined;
      return refuse(`role ${touch.arn}`, allowance.roleArn === undefined ? `awsResources ${listed(allowance.awsResources)}` : `its reads are made as roleArn ${allowance.roleArn}; name that role or none`);
    }
    case 'endpoint': {
      return matchesAny(allowance.endpoints, touch.host, true) ? undefined : refuse(`host ${touch.host}`, `endpoints ${listed(allowance.endpoints)}`);
    }
    case 'service': {
      const allowed = (allowance.services ?? []).some((entry) => {
        const service = allowedServiceOf(entry);
        return service?.namespace === touch.namespace && service.proxyName === touch.proxyName;
      });
      const why = `services ${listed(allowance.services)}; an in-cluster address is read through the API server's service proxy, so endpoints do not cover it`;
      return allowed ? undefined : refuse(`${touch.address} (Service ${touch.namespace}/${touch.proxyName})`, why);
    }
    case 'secret':
      return (allowance.secrets ?? []).includes(touch.name) ? undefined : refuse(`Secret ${touch.namespace}/${touch.name}`, `secrets ${listed(allowance.secrets)}`);
    case 'clusterTriggerAuthentication': {
      const names = allowance.clusterTriggerAuthentications;
      return (names ?? []).includes(touch.name) ? undefined : refuse(`ClusterTriggerAuthentication ${touch.name}`, `clusterTriggerAuthentications ${listed(names)}`);
    }
  }
};

/**
 * Every touch of an object of `namespace` that its allowance does not cover, as `<path>: <what> is
 * not allowed for namespace <ns> (<rule>: <what is allowed>)`; empty when the object may be read.
 * What a ClusterTriggerAuthentication makes LPA read (touches `via` it) is held to its declaration
 * instead (`… is not allowed for ClusterTriggerAuthentication <name> (tenants.clusterTriggerAuthentications.<name>: …)`),
 * and the roles it may read as are roles the triggers referencing it may read as.
 *
 * @example
 * tenancyProblems(touchesOf(so), allowanceOf(tenancy, 'shop'), 'shop');
 * // ['spec.triggers[0].metadata.queueURL: arn:aws:sqs:eu-west-1:123456789012:orders is not allowed for namespace shop (tenants.namespaces.shop: awsResources arn:aws:sqs:eu-west-1:123456789012:shop-*)']
 */
const tenancyProblems = (touches: readonly Touch[], { rule, allowance, clusterAuthentications = {} }: NamespaceAllowance, namespace: string): string[] => {
  const own: Judge = { subject: `namespace ${namespace}`, rule, allowance, asRole: 'reference a TriggerAuthentication whose podIdentity.roleArn is that role' };
  const judgeOf = (touch: Touch): Judge => {
    const via = 'via' in touch ? touch.via : undefined;
    if (via === undefined) return own;
    const declared = Object.hasOwn(clusterAuthentications, via) ? clusterAuthentications[via] : undefined;
    return { subject: `ClusterTriggerAuthentication ${via}`, rule: `tenants.clusterTriggerAuthentications.${via}`, allowance: declared ?? NOTHING, asRole: 'its awsSecretManager.podIdentity.roleArn must be that role' };
  };
  const readAs = new Set(touches.flatMap((t) => (t.kind === 'role' && mayReadAs(t.arn, judgeOf(t).allowance) ? [t.arn] : [])));
  return touches.map((touch) => touchProblem(touch, judgeOf(touch), readAs)).filter((problem): problem is string => problem !== undefined);
};

export { allowanceOf, allowedServiceOf, matchesPattern, tenancyProblems, tenancySchema };
export type { ClusterAuthenticationAllowance, NamespaceAllowance, TenantAllowance, Tenancy };
