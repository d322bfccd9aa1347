/**
 * `advanced.horizontalPodAutoscalerConfig.behavior`: KEDA copies it verbatim into the HPA, so the
 * rules are Kubernetes' own (`pkg/apis/autoscaling/validation`). Unset fields stay unset: the engine
 * applies the Kubernetes defaults, as the HPA controller would. Factories: the ScaledObject's schema
 * (schema.ts) builds them once, at its first parse.
 */
import * as z from 'zod';
import { int32 } from './issues.js';
import { describeValue } from './metadataValues.js';
import { quantityNumber } from './quantity.js';

const MAX_STABILIZATION_WINDOW = 60 * 60; // seconds: one hour
const MAX_PERIOD = 30 * 60; // seconds: 30 minutes

/** `tolerance` is a Quantity: YAML may give it as a number or as a quantity string. */
const tolerance = () => z.union([z.number(), z.string()]).transform((input, ctx): number => {
  const value = typeof input === 'number' ? input : quantityNumber(input);
  if (value === undefined || !Number.isFinite(value)) {
    ctx.addIssue({ code: 'custom', message: `must be a number or a Kubernetes quantity such as "0.05" or "50m", got ${describeValue(input)}` });
    return z.NEVER;
  }
  if (value < 0) {
    ctx.addIssue({ code: 'custom', message: `must be ≥ 0, got ${describeValue(input)}` });
    return z.NEVER;
  }
  return value;
});

const policy = () => z.strictObject({
  type: z.enum(['Pods', 'Percent']),
  value: int32().min(1),
  periodSeconds: int32().min(1).max(MAX_PERIOD),
});

const scalingRules = () => z.strictObject({
  stabilizationWindowSeconds: int32().min(0).max(MAX_STABILIZATION_WINDOW).optional(),
  selectPolicy: z.enum(['Max', 'Min', 'Disabled']).optional(),
  // Kubernetes defaults a missing list, but an explicit empty list fails validation.
  policies: z.array(policy()).min(1).optional(),
  tolerance: tolerance().optional(),
});

const hpaBehavior = () => {
  const rules = scalingRules();
  return z.strictObject({ scaleUp: rules.optional(), scaleDown: rules.optional() });
};

export { hpaBehavior };
