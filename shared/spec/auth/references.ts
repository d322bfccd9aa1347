/**
 * A ScaledObject's `authenticationRef`s against the (Cluster)TriggerAuthentications handed over
 * with it (`lpa validate` files, the construct's manifests): a required parameter that neither the
 * metadata nor the referenced object provides is an error before deployment, not at the first
 * tick. A reference to an object not among them is only a warning: LPA then reads it from the
 * cluster at run time (its parameters are unknown until then).
 */
import type { PathSegment, RawIssue } from '../issues.js';
import { triggerDefinition } from '../triggers/registry.js';
import type { ScaledObject } from '../types.js';
import { authenticationLabel } from './triggerAuthentication.js';
import type { TriggerAuthentication } from './types.js';

/** The authParams an object yields, by KEDA's source names (the values are unknown until run time). */
const parametersOf = (auth: TriggerAuthentication): Set<string> =>
  new Set([
    ...(auth.spec.podIdentity?.roleArn === undefined ? [] : ['awsRoleArn']),
    ...auth.spec.secretTargetRef.map((ref) => ref.parameter),
    ...(auth.spec.awsSecretManager?.secrets ?? []).map((secret) => secret.parameter),
  ]);

const findAuthentication = (so: ScaledObject, ref: NonNullable<ScaledObject['spec']['triggers'][number]['authenticationRef']>, given: readonly TriggerAuthentication[]) => {
  const namespace = ref.kind === 'TriggerAuthentication' ? so.metadata.namespace : undefined;
  const found = given.find((auth) => auth.kind === ref.kind && auth.metadata.name === ref.name && auth.metadata.namespace === namespace);
  return { found, label: authenticationLabel({ kind: ref.kind, metadata: { name: ref.name, ...(namespace === undefined ? {} : { namespace }) } }) };
};

/**
 * Issues and warnings of `so`'s references (paths relative to the ScaledObject document).
 *
 * @example
 * const { issues, warnings } = checkAuthenticationRefs(scaledObject, authentications);
 */
const checkAuthenticationRefs = (so: ScaledObject, given: readonly TriggerAuthentication[]): { issues: RawIssue[]; warnings: RawIssue[] } => {
  const issues: RawIssue[] = [];
  const warnings: RawIssue[] = [];
  for (const trigger of so.spec.triggers) {
    const ref = trigger.authenticationRef;
    const definition = triggerDefinition(trigger.type);
    if (ref === undefined || definition === undefined) continue;
    const path: PathSegment[] = ['spec', 'triggers', trigger.index, 'authenticationRef'];
    const { found, label } = findAuthentication(so, ref, given);
    if (found === undefined) {
      warnings.push({ path, message: `${label} is not among the given manifests; LPA reads it from the cluster at run time` });
      continue;
    }
    const provided = parametersOf(found);
    const metadata = trigger.metadata as unknown as Readonly<Record<string, unknown>>;
    const missing = definition.authParameters.filter((p) => p.required && !provided.has(p.name) && !(p.inMetadata && metadata[p.name] !== undefined));
    if (missing.length > 0) {
      issues.push({ path, message: `${label} provides no ${missing.map((p) => `"${p.name}"`).join(', ')}, which ${trigger.type} requires (add a secretTargetRef or awsSecretManager parameter of that name)` });
    }
    const rules = definition.authIssues?.(trigger.metadata, { parameters: provided, podIdentity: found.spec.podIdentity !== undefined }) ?? [];
    for (const message of rules) issues.push({ path, message: `${label}: ${message}` });
    const read = new Set(definition.authParameters.map((p) => p.name));
    const unread = [...provided].filter((name) => !read.has(name));
    if (unread.length > 0) {
      const reads = read.size === 0 ? 'none' : [...read].join(', ');
      warnings.push({ path, message: `${label} provides ${unread.map((name) => `"${name}"`).join(', ')}, which ${trigger.type} does not read (it reads: ${reads})` });
    }
  }
  return { issues, warnings };
};

export { checkAuthenticationRefs, parametersOf };
