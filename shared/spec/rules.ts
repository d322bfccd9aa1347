/**
 * The ScaledObject rules that span several fields, in one place (KEDA `scaledobject_webhook.go`
 * `validateWorkload`, re-checked by the controller). Field-level rules are in the schemas.
 */
import type { RefinementCtx } from 'zod';
import { FormulaError } from '../errors.js';
import { quote } from './echo.js';
import { compileFormula } from './formula.js';
import type { PathSegment, RawIssue } from './issues.js';
import type { SpecFields } from './schema.js';
import { triggerDefinition } from './triggers/registry.js';

/** Kubernetes label-value limit; KEDA applies it to the ScaledObject name and the HPA name it derives. */
const MAX_NAME_LENGTH = 63;
const HPA_NAME_PREFIX = 'keda-hpa-';

const add = (ctx: RefinementCtx, path: readonly PathSegment[], message: string): void =>
  ctx.addIssue({ code: 'custom', path: [...path], message });

/**
 * KEDA `CheckReplicaCountBoundsAreValid`. Its quirk is kept on purpose: an explicit
 * `minReplicaCount` is checked as max(min, 1) (the HPA's minReplicas), an unset one as 0. So
 * `idle: 0, min: 0` passes while `idle: 0` with min unset fails.
 */
const checkReplicaBounds = (spec: SpecFields, ctx: RefinementCtx): void => {
  const min = spec.minReplicaCount === undefined ? 0 : Math.max(spec.minReplicaCount, 1);
  if (min > spec.maxReplicaCount) {
    add(ctx, ['minReplicaCount'], `must be ≤ maxReplicaCount (${spec.maxReplicaCount}), got ${spec.minReplicaCount}`);
  }
  const idle = spec.idleReplicaCount;
  if (idle === undefined || idle < min) return;
  add(
    ctx,
    ['idleReplicaCount'],
    spec.minReplicaCount === undefined
      ? `must be less than minReplicaCount, got ${idle} with minReplicaCount unset (KEDA checks an unset minReplicaCount as 0; set it, e.g. minReplicaCount: 1)`
      : `must be less than minReplicaCount (${spec.minReplicaCount}), got ${idle}`,
  );
};

/** KEDA `CheckFallbackValid` and `FB.HasValidFallback`. */
const checkFallback = (spec: SpecFields, ctx: RefinementCtx): void => {
  const modifiers = spec.advanced.scalingModifiers;
  if (spec.fallback === undefined) return;
  if (spec.fallback.behavior === 'scalingModifiers' && modifiers === undefined) {
    add(ctx, ['fallback', 'behavior'], '"scalingModifiers" requires advanced.scalingModifiers.formula');
  }
  if (modifiers !== undefined && !modifiers.target.integer) {
    add(
      ctx,
      ['advanced', 'scalingModifiers', 'target'],
      `must be an integer > 0 when fallback is set (KEDA parses it with strconv.ParseInt and skips fallback otherwise), got ${modifiers.target.value}`,
    );
  }
};

const isResourceType = (type: string): boolean => type === 'cpu' || type === 'memory';

/**
 * Which metricType fits which trigger: cpu/memory require Utilization or AverageValue (KEDA:
 * "unknown metric type: …, allowed values are 'Utilization' or 'AverageValue'"), every other
 * trigger is an external metric (AverageValue or Value).
 */
const checkMetricType = (trigger: SpecFields['triggers'][number], index: number, ctx: RefinementCtx): void => {
  const path = ['triggers', index, 'metricType'];
  if (isResourceType(trigger.type)) {
    if (trigger.metricType === undefined) add(ctx, path, `is required for ${trigger.type} triggers: Utilization (a percent of the pods' requests) or AverageValue (a quantity per pod)`);
    else if (trigger.metricType === 'Value') add(ctx, path, `must be Utilization or AverageValue for ${trigger.type} triggers, got "Value"`);
  } else if (trigger.metricType === 'Utilization') {
    add(ctx, path, 'Utilization is only for cpu and memory triggers; use AverageValue or Value');
  }
};

/**
 * KEDA `verifyCPUMemoryScalers`: cpu/memory never report activity, so an object with nothing else
 * could never leave zero; and `CheckFallbackValid`: fallback replaces external metrics only.
 */
const checkResourceTriggers = (spec: SpecFields, ctx: RefinementCtx): void => {
  if (spec.triggers.length === 0 || !spec.triggers.every((trigger) => isResourceType(trigger.type))) return;
  if ((spec.minReplicaCount ?? 0) === 0) {
    add(
      ctx,
      ['minReplicaCount'],
      'must be ≥ 1 when every trigger is cpu or memory: they never scale from or to zero (KEDA: "scaledobject has only cpu/memory triggers AND minReplica is 0")',
    );
  }
  if (spec.fallback !== undefined && spec.advanced.scalingModifiers === undefined) {
    add(ctx, ['fallback'], 'needs at least one trigger that is not cpu or memory: fallback replaces external metrics only (KEDA CheckFallbackValid)');
  }
};

/** Unique names (`ValidateTriggers`), unique metric keys, and per-type limits such as cron's cache ban. */
const checkTriggers = (spec: SpecFields, ctx: RefinementCtx): void => {
  const firstByName = new Map<string, number>();
  spec.triggers.forEach((trigger, index) => {
    if (trigger.name !== undefined) {
      const first = firstByName.get(trigger.name);
      if (first === undefined) firstByName.set(trigger.name, index);
      else add(ctx, ['triggers', index, 'name'], `duplicate trigger name ${quote(trigger.name)} (also spec.triggers[${first}].name)`);
      // An unnamed trigger's metric key is its index; a name equal to another's index would share its state.
      const clash = /^\d+$/.test(trigger.name) ? spec.triggers[Number(trigger.name)] : undefined;
      if (clash !== undefined && clash !== trigger && clash.name === undefined) {
        add(ctx, ['triggers', index, 'name'], `${quote(trigger.name)} is also the key of unnamed spec.triggers[${trigger.name}]; pick another name`);
      }
    }
    checkMetricType(trigger, index, ctx);
    const definition = triggerDefinition(trigger.type);
    if (trigger.useCachedMetrics && definition !== undefined && !definition.cachedMetricsAllowed) {
      add(ctx, ['triggers', index, 'useCachedMetrics'], `is not allowed for ${trigger.type} triggers (KEDA rejects it)`);
    }
  });
};

/**
 * KEDA `ValidateAndCompileScalingModifiers`: the formula is compiled with only the named triggers
 * bound, so naming an unnamed trigger (or a typo) fails here rather than at the first evaluation.
 */
const checkFormula = (spec: SpecFields, ctx: RefinementCtx): void => {
  const modifiers = spec.advanced.scalingModifiers;
  // An empty formula is already reported by the schema; compiling it would only say so twice.
  if (modifiers === undefined || modifiers.formula === '') return;
  // cpu/memory have no value in KEDA's formula: they stay the HPA's own Resource metrics.
  const names = spec.triggers.flatMap((trigger) => (trigger.name === undefined || isResourceType(trigger.type) ? [] : [trigger.name]));
  try {
    compileFormula(modifiers.formula, names);
  } catch (error) {
    if (!(error instanceof FormulaError)) throw error;
    const unnamed = spec.triggers.flatMap((trigger, index) => (trigger.name === undefined ? [`spec.triggers[${index}]`] : []));
    const note = unnamed.length === 0 ? '' : `; only named triggers can be used, and ${unnamed.join(', ')} ${unnamed.length === 1 ? 'has' : 'have'} no name`;
    add(ctx, ['advanced', 'scalingModifiers', 'formula'], `${error.message}${note}`);
  }
};

const checkSpec = (spec: SpecFields, ctx: RefinementCtx): void => {
  checkReplicaBounds(spec, ctx);
  checkFallback(spec, ctx);
  checkTriggers(spec, ctx);
  checkResourceTriggers(spec, ctx);
  checkFormula(spec, ctx);
};

interface Names {
  readonly metadata: { readonly name: string };
  readonly spec: { readonly advanced: { readonly horizontalPodAutoscalerConfig?: { readonly name?: string } } };
}

/** KEDA `verifyName`-style checks: the ScaledObject name and the HPA name KEDA would create. */
const checkNames = (document: Names, ctx: RefinementCtx): void => {
  const name = document.metadata.name;
  if (name.length > MAX_NAME_LENGTH) {
    add(ctx, ['metadata', 'name'], `must be at most ${MAX_NAME_LENGTH} characters, got ${name.length}`);
    return;
  }
  const configured = document.spec.advanced.horizontalPodAutoscalerConfig?.name;
  const hpaName = configured ?? `${HPA_NAME_PREFIX}${name}`;
  if (hpaName.length <= MAX_NAME_LENGTH) return;
  if (configured !== undefined) {
    add(ctx, ['spec', 'advanced', 'horizontalPodAutoscalerConfig', 'name'], `must be at most ${MAX_NAME_LENGTH} characters, got ${hpaName.length}`);
  } else {
    add(
      ctx,
      ['metadata', 'name'],
      `gives the HPA name "${hpaName}" (${hpaName.length} characters, max ${MAX_NAME_LENGTH}); shorten it or set spec.advanced.horizontalPodAutoscalerConfig.name`,
    );
  }
};

/** KEDA webhook warnings that still hold for LPA (paths relative to `spec`). */
const specWarnings = (spec: SpecFields): RawIssue[] => {
  const warnings: RawIssue[] = [];
  if (spec.cooldownPeriod !== undefined && (spec.minReplicaCount ?? 0) > 0 && spec.idleReplicaCount === undefined) {
    warnings.push({
      path: ['cooldownPeriod'],
      message: 'has no effect: it only delays scaling to 0 or to idleReplicaCount, and minReplicaCount > 0 with no idleReplicaCount',
    });
  }
  return warnings;
};

export { checkNames, checkSpec, specWarnings };
