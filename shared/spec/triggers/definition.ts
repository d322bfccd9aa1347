/**
 * One interface for every trigger type (KEDA `scaler.go`): a zod schema for its metadata, the
 * HPA target it derives, and the few per-type facts the ScaledObject rules need.
 * Each type's schema is built on its first parse (spec/builtOnce.ts).
 */
import type { z } from 'zod';
import type { Trust } from '../awsEndpoint.js';
import { builtOnce } from '../builtOnce.js';
import { parseWith } from '../issues.js';
import type { RawIssue } from '../issues.js';
import type { Trigger, TriggerType } from '../types.js';
import type { AuthParameter } from './authParameters.js';

/** The fields every normalized trigger has apart from its type, metadata and targets. */
type TriggerCommonFields = Omit<Trigger, 'type' | 'metadata' | 'target' | 'activationTarget'>;

/** The trigger-level fields a metadata parser may look at, as written (unvalidated). */
type TriggerFields = Readonly<Record<string, unknown>>;

interface Targets {
  readonly target: number;
  readonly activationTarget: number;
}

type MetadataResult =
  | {
      readonly ok: true;
      /** Builds the normalized trigger once the common fields are known to be valid. */
      readonly build: (common: TriggerCommonFields) => Trigger;
      readonly warnings: readonly RawIssue[];
    }
  | { readonly ok: false; readonly issues: readonly RawIssue[] };

interface TriggerDefinition<K extends TriggerType = TriggerType> {
  readonly type: K;
  /** KEDA refuses `useCachedMetrics` where the value is computed in-process (cron, cpu, memory). */
  readonly cachedMetricsAllowed: boolean;
  /**
   * Validates `metadata` (paths in the result are relative to it) under what the deployment trusts.
   * `trigger` is the raw trigger, for types whose metadata depends on its fields (cpu/memory: the
   * value's form follows `metricType`).
   */
  readonly parseMetadata: (metadata: unknown, trust?: Trust, trigger?: TriggerFields) => MetadataResult;
  /** What the trigger reads from its TriggerAuthentication's authParams (KEDA's `order=authParams…`). */
  readonly authParameters: readonly AuthParameter[];
  /** Rules between the normalized metadata and a referenced TriggerAuthentication known before run time. */
  readonly authIssues?: (metadata: Trigger['metadata'], given: GivenAuthentication) => readonly string[];
}

/** What a referenced (Cluster)TriggerAuthentication among the manifests provides, by name only. */
interface GivenAuthentication {
  readonly parameters: ReadonlySet<string>;
  readonly podIdentity: boolean;
}

interface TriggerSpec<T extends Trigger> {
  readonly type: T['type'];
  /** Builds the metadata schema (called once, at the first parse). */
  readonly metadata: () => z.ZodType<T['metadata']>;
  readonly targets: (metadata: T['metadata']) => Targets;
  readonly cachedMetricsAllowed?: boolean;
  /** Things KEDA accepts but LPA ignores, e.g. the deprecated `identityOwner`; `raw` is the metadata as written. */
  readonly warnings?: (metadata: T['metadata'], raw: Readonly<Record<string, unknown>>) => readonly RawIssue[];
  /** Rules that depend on the deployment's trust (which endpoints may be called), not on the manifest alone. */
  readonly trusted?: (metadata: T['metadata'], trust: Trust) => readonly RawIssue[];
  /** Default: none. */
  readonly authParameters?: readonly AuthParameter[];
  /** Rules between the metadata and the trigger's other fields (paths relative to the metadata). */
  readonly triggerIssues?: (metadata: T['metadata'], trigger: TriggerFields) => readonly RawIssue[];
  /** Messages (at `authenticationRef`) for a referenced object that cannot serve the metadata. */
  readonly authIssues?: (metadata: T['metadata'], given: GivenAuthentication) => readonly string[];
}

const defineTrigger = <T extends Trigger>(spec: TriggerSpec<T>): TriggerDefinition<T['type']> => {
  const schema = builtOnce(spec.metadata);
  return {
    type: spec.type,
    cachedMetricsAllowed: spec.cachedMetricsAllowed ?? true,
    authParameters: spec.authParameters ?? [],
    // The registry hands each definition its own type's metadata.
    ...(spec.authIssues === undefined ? {} : { authIssues: spec.authIssues as (metadata: Trigger['metadata'], given: GivenAuthentication) => readonly string[] }),
    parseMetadata: (metadata, trust = {}, trigger = {}) => {
      const parsed = parseWith(schema(), metadata);
      if (!parsed.ok) return parsed;
      const { data } = parsed;
      const problems = [...(spec.trusted?.(data, trust) ?? []), ...(spec.triggerIssues?.(data, trigger) ?? [])];
      if (problems.length > 0) return { ok: false, issues: problems };
      return {
        ok: true,
        // The compiler cannot correlate `spec.type` with `T` inside a generic; the spec's own typing guarantees it.
        build: (common) => ({ ...common, type: spec.type, metadata: data, ...spec.targets(data) }) as T,
        warnings: spec.warnings?.(data, metadata as Readonly<Record<string, unknown>>) ?? [],
      };
    },
  };
};

export { defineTrigger };
export type { GivenAuthentication, MetadataResult, Targets, TriggerCommonFields, TriggerDefinition, TriggerFields };
