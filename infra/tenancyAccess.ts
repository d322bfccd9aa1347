/**
 * What the cluster source's tenancy (shared/access/tenancy.ts) grants: the objects in the cluster are
 * unknown at deploy time, so the functions' IAM and RBAC come from the operator's allowances alone,
 * and the runtime refuses any object that would touch more (DESIGN.md §5: least privilege).
 * - IAM: each `awsResources` ARN or pattern, by service, for the actions LPA's readers call on it
 *   (SQS GetQueueAttributes/GetQueueUrl, AMP QueryMetrics, Secrets Manager GetSecretValue, MSK
 *   Connect/DescribeTopic/DescribeGroup, sts:AssumeRole on IAM roles; CloudWatch GetMetricData has no
 *   resource-level permissions, so a CloudWatch pattern grants it on `*` and the runtime check is
 *   the limit); a namespace's `roleArn` is only `sts:AssumeRole` on it.
 * - RBAC: `get` on each allowed Secret by name (`resourceNames`), in its namespace (`otherNamespaces`'
 *   in every served namespace not named, or cluster-wide when the source serves all namespaces), on
 *   the allowed ClusterTriggerAuthentications by name, and `services/proxy` get on each allowed
 *   in-cluster Service (`<scheme>:<svc>:<port>`) in that Service's namespace.
 * - A ClusterTriggerAuthentication some namespace may reference is granted what its declaration
 *   (`clusterTriggerAuthentications.<name>`) says, by the same rules: its `roleArn`, its Secrets
 *   Manager `awsResources` and roles, and `get` on its `secrets` in KEDA's cluster-object namespace.
 * Pure but for the ARNs' CDK formatting; kept apart from authAccess.ts/awsAccess.ts (the manifests').
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { allowedServiceOf, type TenantAllowance, type Tenancy } from '../shared/access/tenancy.js';
import { DEFAULT_CLUSTER_OBJECT_NAMESPACE } from '../shared/spec/auth/triggerAuthentication.js';
import type { KubernetesReads, NamesByNamespace } from './authAccess.js';
import type { RbacOptions, ServiceProxyRef } from './rbac.js';

/** The tenancy props (the event's `tenants` without the account and region the construct adds). */
type TenancyProps = Pick<Tenancy, 'namespaces' | 'otherNamespaces' | 'clusterTriggerAuthentications'>;

/** The services an `awsResources` entry may name: those LPA's readers call. */
const SERVICES = ['sqs', 'cloudwatch', 'aps', 'secretsmanager', 'kafka', 'iam'] as const;
/** What resolving a ClusterTriggerAuthentication calls: Secrets Manager, and roles it reads as. */
const AUTHENTICATION_SERVICES = ['secretsmanager', 'iam'] as const;
type Service = (typeof SERVICES)[number];

interface Located {
  readonly at: string;
  readonly allowance: TenantAllowance;
  readonly services: readonly Service[];
}

const namespaceAllowancesOf = (tenants: TenancyProps): Located[] => [
  ...Object.entries(tenants.namespaces ?? {}).map(([namespace, allowance]) => ({ at: `namespaces.${namespace}`, allowance, services: SERVICES })),
  ...(tenants.otherNamespaces === undefined ? [] : [{ at: 'otherNamespaces', allowance: tenants.otherNamespaces, services: SERVICES }]),
];

/** The ClusterTriggerAuthentications some namespace may reference. */
const referencedNames = (tenants: TenancyProps): Set<string> => new Set(namespaceAllowancesOf(tenants).flatMap(({ allowance }) => allowance.clusterTriggerAuthentications ?? []));

/** The declared ClusterTriggerAuthentications; `referenced`: only those some namespace may reference (the others are granted nothing). */
const declarationsOf = (tenants: TenancyProps, referenced: boolean): Located[] => {
  const names = referencedNames(tenants);
  return Object.entries(tenants.clusterTriggerAuthentications ?? {})
    .filter(([name]) => !referenced || names.has(name))
    .map(([name, allowance]) => ({ at: `clusterTriggerAuthentications.${name}`, allowance, services: AUTHENTICATION_SERVICES }));
};

/** What is granted: the namespaces' allowances and the declarations of the ClusterTriggerAuthentications they may reference. */
const allowancesOf = (tenants: TenancyProps): Located[] => [...namespaceAllowancesOf(tenants), ...declarationsOf(tenants, true)];

/**
 * Declarations no namespace may reference, as `clusterTriggerAuthentications.<name>: <why>`: granted
 * nothing, so an object using one is refused; most likely a namespace's list forgot it.
 */
const unreferencedDeclarations = (tenants: TenancyProps): string[] => {
  const names = referencedNames(tenants);
  return Object.keys(tenants.clusterTriggerAuthentications ?? {})
    .filter((name) => !names.has(name))
    .map((name) => `clusterTriggerAuthentications.${name}: no namespace may reference it (list it in a namespace's clusterTriggerAuthentications), so it is granted nothing and objects using it are refused`);
};

const serviceOf = (arn: string): string => arn.split(':')[2] ?? '';

/** Each `awsResources` entry whose service nothing of LPA reads there, as `<path>: <rule>`. */
const tenancyPropsProblems = (tenants: TenancyProps, prefix: string): string[] =>
  [...namespaceAllowancesOf(tenants), ...declarationsOf(tenants, false)].flatMap(({ at, allowance, services }) =>
    (allowance.awsResources ?? []).flatMap((arn, i) => {
      const service = serviceOf(arn);
      if (!(services as readonly string[]).includes(service)) {
        const reader = services === SERVICES ? "LPA's triggers read" : 'a ClusterTriggerAuthentication reads';
        return [`${prefix}.${at}.awsResources[${i}]: service "${service}" is not one ${reader} (${services.join(', ')})`];
      }
      if (service === 'iam' && !arn.split(':')[5]?.startsWith('role/')) return [`${prefix}.${at}.awsResources[${i}]: an iam entry must be a role (arn:aws:iam::<account>:role/<name>), one the namespace's objects may read as`];
      return [];
    }),
  );

interface TenancyGrants {
  readonly byService: ReadonlyMap<Service, readonly string[]>;
  /** The namespaces' own roles. */
  readonly roles: readonly string[];
}

const grantsOf = (tenants: TenancyProps): TenancyGrants => {
  const byService = new Map<Service, Set<string>>();
  const roles = new Set<string>();
  for (const { allowance } of allowancesOf(tenants)) {
    if (allowance.roleArn !== undefined) roles.add(allowance.roleArn);
    for (const arn of allowance.awsResources ?? []) {
      const service = serviceOf(arn) as Service;
      byService.set(service, (byService.get(service) ?? new Set()).add(arn));
    }
  }
  return { byService: new Map([...byService].map(([service, arns]) => [service, [...arns].sort()])), roles: [...roles].sort() };
};

/** A secret named exactly gets the six random characters Secrets Manager appends to its ARN. */
const secretArnPattern = (arn: string): string => (arn.endsWith('*') ? arn : `${arn}-??????`);
/** `…:cluster/<name>/<uuid>` → `…:<resource>/<name>/<uuid>/*`: the cluster's topics or groups. */
const underCluster = (arn: string, resource: 'topic' | 'group'): string => `${arn.replace(':cluster/', `:${resource}/`).replace(/\/\*$/, '')}/*`;

/**
 * @example
 * for (const statement of tenancyStatements({ namespaces: { shop: { roleArn } } })) role.addToPrincipalPolicy(statement);
 */
const tenancyStatements = (tenants: TenancyProps): iam.PolicyStatement[] => {
  const { byService, roles } = grantsOf(tenants);
  const of = (service: Service): string[] => [...(byService.get(service) ?? [])];
  const statement = (sid: string, actions: string[], resources: string[]) => (resources.length === 0 ? [] : [new iam.PolicyStatement({ sid, actions, resources })]);
  return [
    ...statement('TenantQueues', ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], of('sqs')),
    // GetMetricData supports no resource-level permissions: the runtime check holds each namespace to its patterns.
    ...statement('TenantMetrics', ['cloudwatch:GetMetricData'], of('cloudwatch').length === 0 ? [] : ['*']),
    ...statement('TenantPrometheus', ['aps:QueryMetrics'], of('aps')),
    ...statement('TenantSecrets', ['secretsmanager:GetSecretValue'], of('secretsmanager').map(secretArnPattern)),
    ...statement('TenantMskConnect', ['kafka-cluster:Connect'], of('kafka')),
    ...statement('TenantMskDescribeTopics', ['kafka-cluster:DescribeTopic'], of('kafka').map((arn) => underCluster(arn, 'topic'))),
    ...statement('TenantMskDescribeGroups', ['kafka-cluster:DescribeGroup'], of('kafka').map((arn) => underCluster(arn, 'group'))),
    ...statement('TenantRoles', ['sts:AssumeRole'], [...new Set([...roles, ...of('iam')])].sort()),
  ];
};

/** Every resource the statements name, for the cdk-nag acknowledgements of the operator's own patterns. */
const tenancyResources = (tenants: TenancyProps): string[] => tenancyStatements(tenants).flatMap((s) => s.resources);

/** The Kubernetes reads tenancy allows: Secrets by namespace, Secrets in every namespace, ClusterTriggerAuthentications, in-cluster Services. */
interface TenancyReads {
  readonly secrets: ReadonlyMap<string, readonly string[]>;
  /** `otherNamespaces`' Secrets when the source serves every namespace (a ClusterRole, by name). */
  readonly secretsEverywhere: readonly string[];
  readonly clusterTriggerAuthentications: readonly string[];
  /** The Services the served namespaces may query through the proxy (`services/proxy`, by name, in the Service's namespace). */
  readonly serviceProxies: readonly ServiceProxyRef[];
}

/**
 * @example
 * tenancyReads({ namespaces: { shop: { secrets: ['nr'] } } }, ['shop']); // { secrets: Map { 'shop' => ['nr'] }, secretsEverywhere: [], … }
 */
const tenancyReads = (tenants: TenancyProps, served: readonly string[], clusterObjectNamespace = DEFAULT_CLUSTER_OBJECT_NAMESPACE): TenancyReads => {
  const named = tenants.namespaces ?? {};
  const secrets = new Map<string, readonly string[]>();
  // The Secrets of the ClusterTriggerAuthentications the namespaces may reference, where KEDA keeps them.
  const clusterSecrets = declarationsOf(tenants, true).flatMap(({ allowance }) => allowance.secrets ?? []);
  if (clusterSecrets.length > 0) secrets.set(clusterObjectNamespace, [...new Set(clusterSecrets)].sort());
  const allowances: TenantAllowance[] = [];
  for (const namespace of served.length === 0 ? Object.keys(named) : served) {
    const allowance = named[namespace] ?? tenants.otherNamespaces;
    if (allowance !== undefined) allowances.push(allowance);
    const names = [...(allowance?.secrets ?? []), ...(secrets.get(namespace) ?? [])];
    if (names.length > 0) secrets.set(namespace, [...new Set(names)].sort());
  }
  // Serving every namespace, the ones not named are otherNamespaces'.
  if (served.length === 0 && tenants.otherNamespaces !== undefined) allowances.push(tenants.otherNamespaces);
  const proxies = new Map<string, ServiceProxyRef>();
  for (const service of allowances.flatMap((a) => (a.services ?? []).map(allowedServiceOf))) {
    if (service !== undefined) proxies.set(`${service.namespace}/${service.proxyName}`, { namespace: service.namespace, proxyName: service.proxyName });
  }
  const clusterAuths = allowancesOf(tenants).flatMap(({ allowance }) => allowance.clusterTriggerAuthentications ?? []);
  return {
    secrets,
    secretsEverywhere: served.length === 0 ? [...new Set(tenants.otherNamespaces?.secrets ?? [])].sort() : [],
    clusterTriggerAuthentications: [...new Set(clusterAuths)].sort(),
    serviceProxies: [...proxies].sort(([a], [b]) => a.localeCompare(b)).map(([, ref]) => ref),
  };
};

const mergeNames = (a: NamesByNamespace, b: ReadonlyMap<string, readonly string[]>): NamesByNamespace => {
  const merged = new Map<string, readonly string[]>(a);
  for (const [namespace, names] of b) merged.set(namespace, [...new Set([...(merged.get(namespace) ?? []), ...names])].sort());
  return new Map([...merged].sort(([x], [y]) => x.localeCompare(y)));
};

/** The manifests' reads (authAccess.ts) and tenancy's, in one set of by-name grants. */
const withTenancyReads = (reads: KubernetesReads, tenancy: TenancyReads): KubernetesReads => ({
  secrets: mergeNames(reads.secrets, tenancy.secrets),
  triggerAuthentications: reads.triggerAuthentications,
  clusterTriggerAuthentications: [...new Set([...reads.clusterTriggerAuthentications, ...tenancy.clusterTriggerAuthentications])].sort(),
});

/**
 * The manifests' RBAC options with tenancy's reads added (one rule for the construct and `lpa rbac`).
 *
 * @example
 * rbacYaml(withTenancyRbac({ ...rbacNeedsOf(objects), reads, fromCluster }, tenancyReads(tenants, namespaces)));
 */
const withTenancyRbac = <O extends RbacOptions>(options: O, tenancy: TenancyReads | undefined): O => {
  if (tenancy === undefined) return options;
  const proxies = [...(options.serviceProxies ?? []), ...tenancy.serviceProxies];
  const reads = options.reads ?? { secrets: new Map(), triggerAuthentications: new Map(), clusterTriggerAuthentications: [] };
  return {
    ...options,
    reads: withTenancyReads(reads, tenancy),
    ...(proxies.length === 0 ? {} : { serviceProxies: proxies }),
    ...(tenancy.secretsEverywhere.length === 0 ? {} : { secretsEverywhere: tenancy.secretsEverywhere }),
  };
};

export { tenancyPropsProblems, tenancyReads, tenancyResources, tenancyStatements, unreferencedDeclarations, withTenancyRbac };
export type { TenancyProps, TenancyReads };
