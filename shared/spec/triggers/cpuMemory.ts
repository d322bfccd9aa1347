/**
 * `cpu` and `memory` (KEDA `cpu_memory_scaler.go`, docs `scalers/cpu.md`, `scalers/memory.md`): KEDA
 * computes nothing for them, it writes a Resource (or ContainerResource) metric into the HPA. LPA
 * runs that metric's algorithm itself (engine/resourceReplicas.ts) on the target's pods.
 *
 * The value's form depends on the trigger-level `metricType` (required here, as in KEDA):
 * Utilization takes an integer percent (`strconv.ParseInt(value, 10, 32)`), AverageValue a
 * Kubernetes quantity (`resource.MustParse`). The metricType itself is checked in rules.ts, beside
 * the other cpu/memory rules; here an unusable metricType only skips the value's form.
 */
import * as z from 'zod';
import { builtOnce } from '../builtOnce.js';
import { parseWith, type RawIssue } from '../issues.js';
import { dropEmptyValues, isGoInt, kedaString } from '../metadataValues.js';
import { milliValue } from '../quantity.js';
import type { ResourceTrigger } from '../types.js';
import type { TriggerDefinition } from './definition.js';

const MAX_INT32 = 2 ** 31 - 1;

const resourceMetadata = builtOnce(() =>
  z.preprocess(
    dropEmptyValues,
    z.strictObject({
      value: kedaString().transform((text) => text.trim()),
      containerName: kedaString().optional(),
      type: z.unknown().optional(),
    }),
  ),
);

/** The target as the HPA reads it, or what is wrong with `value` for this metricType. */
const targetOf = (value: string, metricType: unknown): { targetMilli: bigint; target: number } | { problem: string } | undefined => {
  if (metricType === 'Utilization') {
    const percent = Number(value);
    if (!isGoInt(value) || percent > MAX_INT32) {
      return { problem: `must be an integer percent for metricType Utilization (KEDA parses it with strconv.ParseInt), got ${JSON.stringify(value)}` };
    }
    // Kubernetes' HPA validation: averageUtilization must be greater than 0.
    if (percent < 1) return { problem: `must be > 0 (the HPA's averageUtilization), got ${JSON.stringify(value)}` };
    return { targetMilli: BigInt(percent), target: percent };
  }
  if (metricType === 'AverageValue') {
    const milli = milliValue(value);
    if (milli === undefined) {
      return { problem: `must be a Kubernetes quantity for metricType AverageValue, such as "500m" (cpu) or "256Mi" (memory), got ${JSON.stringify(value)}` };
    }
    if (milli <= 0n) return { problem: `must be positive (the HPA's averageValue), got ${JSON.stringify(value)}` };
    return { targetMilli: milli, target: Number(milli) / 1000 };
  }
  return undefined;
};

const defineResourceTrigger = <K extends ResourceTrigger['type']>(type: K): TriggerDefinition<K> => ({
  type,
  // KEDA ValidateTriggers: `property "useCachedMetrics" is not supported for "cpu" scaler`.
  cachedMetricsAllowed: false,
  // Read from the cluster's own metrics API: nothing comes from a TriggerAuthentication.
  authParameters: [],
  parseMetadata: (metadata, _trust, trigger) => {
    const metricType = trigger?.metricType;
    const parsed = parseWith(resourceMetadata(), metadata);
    if (!parsed.ok) return parsed;
    const { value, containerName, type: deprecatedType } = parsed.data;
    const issues: RawIssue[] = [];
    if (deprecatedType !== undefined) {
      issues.push({ path: ['type'], message: 'is deprecated and removed in KEDA v2.18: set the trigger\'s metricType (Utilization or AverageValue) instead' });
    }
    const target = targetOf(value, metricType);
    if (target !== undefined && 'problem' in target) issues.push({ path: ['value'], message: target.problem });
    if (issues.length > 0 || target === undefined || 'problem' in target) return { ok: false, issues };
    return {
      ok: true,
      build: (common) =>
        ({
          ...common,
          type,
          metricType,
          metadata: { value, ...(containerName === undefined ? {} : { containerName }) },
          target: target.target,
          // Resource metrics are skipped for activation: nothing to compare.
          activationTarget: 0,
          targetMilli: target.targetMilli,
        }) as ResourceTrigger,
      warnings: [],
    };
  },
});

const cpu = defineResourceTrigger('cpu');
const memory = defineResourceTrigger('memory');

export { cpu, memory };
