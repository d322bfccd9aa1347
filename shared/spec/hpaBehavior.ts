/**
 * `advanced.horizontalPodAutoscalerConfig.behavior`: KEDA copies it verbatim into the HPA, so the
 * rules are Kubernetes' own (`pkg/apis/autoscaling/validation`). Unset fields stay unset: the engine
 * applies the Kubernetes defaults, as the HPA controller would.
 */
import * as z from 'zod';
import { int32 } from './issues.js';
import { describeValue } from './metadataValues.js';

const MAX_STABILIZATION_WINDOW = 60 * 60; // seconds: one hour
const MAX_PERIOD = 30 * 60; // seconds: 30 minutes

const SUFFIX_EXPONENT: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_EXPONENT: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
/** `resource.Quantity`: number, then a binary suffix, a decimal exponent, or an SI suffix (in that order: `1E3` is an exponent). */
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[numkMGTPE])?$/;

/** A Kubernetes quantity string (`"0.05"`, `"50m"`, `"1e-1"`) as a number, or `undefined` if it is not one. */
const parseQuantity = (text: string): number | undefined => {
  const match = QUANTITY.exec(text.trim());
  if (match === null) return undefined;
  const mantissa = Number(match[1]);
  const suffix = match[2] ?? '';
  const binary = BINARY_EXPONENT[suffix];
  if (binary !== undefined) return mantissa * 2 ** binary;
  if (/^[eE]/.test(suffix)) return mantissa * 10 ** Number(suffix.slice(1));
  const decimal = SUFFIX_EXPONENT[suffix];
  return decimal === undefined ? undefined : Number((mantissa * 10 ** decimal).toPrecision(15));
};

/** `tolerance` is a Quantity: YAML may give it as a number or as a quantity string. */
const tolerance = z.union([z.number(), z.string()]).transform((input, ctx): number => {
  const value = typeof input === 'number' ? input : parseQuantity(input);
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

const policy = z.strictObject({
  type: z.enum(['Pods', 'Percent']),
  value: int32().min(1),
  periodSeconds: int32().min(1).max(MAX_PERIOD),
});

const scalingRules = z.strictObject({
  stabilizationWindowSeconds: int32().min(0).max(MAX_STABILIZATION_WINDOW).optional(),
  selectPolicy: z.enum(['Max', 'Min', 'Disabled']).optional(),
  // Kubernetes defaults a missing list, but an explicit empty list fails validation.
  policies: z.array(policy).min(1).optional(),
  tolerance: tolerance.optional(),
});

const hpaBehavior = z.strictObject({
  scaleUp: scalingRules.optional(),
  scaleDown: scalingRules.optional(),
});

export { hpaBehavior, parseQuantity };
