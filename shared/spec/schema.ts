/**
 * The ScaledObject document as users write it (KEDA `apis/keda/v1alpha1/scaledobject_types.go` and
 * its CRD). Every object is strict so a typo is an error, not a silently ignored key. Trigger
 * metadata is only checked for shape here: each trigger type validates its own (triggers/).
 * Cross-field rules live in rules.ts. The schemas are built on the first parse (spec/builtOnce.ts),
 * not when a Lambda imports LPA.
 */
import * as z from 'zod';
import { builtOnce } from './builtOnce.js';
import { hpaBehavior } from './hpaBehavior.js';
import { int32, integer } from './issues.js';
import { annotations, dns1123Label, dns1123Subdomain, labels } from './kubeNames.js';
import { describeValue, isGoFloat, isGoInt, kedaFloat } from './metadataValues.js';
import { checkNames, checkSpec } from './rules.js';

const API_GROUP = 'keda.sh';
const API_VERSION = `${API_GROUP}/v1alpha1`;
const KIND = 'ScaledObject';

const DEFAULT_POLLING_INTERVAL = 30; // seconds
const DEFAULT_INITIAL_COOLDOWN_PERIOD = 0; // seconds
const DEFAULT_MAX_REPLICA_COUNT = 100;

const objectMeta = builtOnce(() =>
  z.strictObject({
    // A ScaledObject is a custom resource: its name is a DNS subdomain, its namespace a DNS label.
    name: dns1123Subdomain(),
    generateName: z.string().optional(),
    namespace: dns1123Label().default('default'),
    labels: labels().default({}),
    annotations: annotations().default({}),
    uid: z.string().optional(),
    resourceVersion: z.string().optional(),
    generation: integer().min(0).optional(),
    selfLink: z.string().optional(),
    creationTimestamp: z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'must be an RFC 3339 time').optional(),
    deletionTimestamp: z.string().optional(),
    deletionGracePeriodSeconds: integer().optional(),
    finalizers: z.array(z.string()).optional(),
    ownerReferences: z.array(z.record(z.string(), z.unknown())).optional(),
    managedFields: z.array(z.record(z.string(), z.unknown())).optional(),
  }),
);

/** The composite metric of scalingModifiers is an external metric. */
const metricType = () => z.enum(['AverageValue', 'Value'], {
  error: (issue) =>
    issue.input === 'Utilization'
      ? 'Utilization is only for cpu and memory triggers; use AverageValue or Value'
      : `must be "AverageValue" or "Value", got ${describeValue(issue.input)}`,
});

/** Which values fit which trigger type (Utilization only for cpu/memory) is a rule in rules.ts. */
const triggerMetricType = () => z.enum(['AverageValue', 'Value', 'Utilization'], {
  error: (issue) => `must be "AverageValue", "Value" or "Utilization", got ${describeValue(issue.input)}`,
});

const trigger = () => z.strictObject({
  type: z.string().min(1),
  name: z.string().min(1).optional(),
  /** Checked per type by the trigger's own schema. */
  metadata: z.record(z.string(), z.unknown()),
  // Unset and AverageValue differ for cpu/memory (KEDA requires it there): defaulted in normalize.ts.
  metricType: triggerMetricType().optional(),
  useCachedMetrics: z.boolean().default(false),
  authenticationRef: z
    .strictObject({
      name: z.string().min(1),
      kind: z.enum(['TriggerAuthentication', 'ClusterTriggerAuthentication']).default('TriggerAuthentication'),
    })
    .optional(),
});

const fallback = () => z.strictObject({
  failureThreshold: int32().min(0),
  replicas: int32().min(0),
  behavior: z
    .enum(['static', 'currentReplicas', 'currentReplicasIfHigher', 'currentReplicasIfLower', 'scalingModifiers'])
    .default('static'),
});

/**
 * The CRD types `target` as a string that KEDA parses as a float; fallback additionally needs it
 * to parse as an integer (`FB.HasValidFallback` uses ParseInt), so the rules need to know which.
 */
const modifierTarget = () => z.union([z.string(), z.number()]).transform((input, ctx) => {
  const text = String(input).trim();
  const value = Number(text);
  if (!isGoFloat(text) || !Number.isFinite(value)) {
    ctx.addIssue({ code: 'custom', message: `must be a number (KEDA parses it with strconv.ParseFloat), got ${describeValue(input)}` });
    return z.NEVER;
  }
  if (!(value > 0)) {
    ctx.addIssue({ code: 'custom', message: `must be > 0, got ${describeValue(input)}` });
    return z.NEVER;
  }
  return { value, integer: isGoInt(text) };
});

const scalingModifiers = () => z.strictObject({
  formula: z.string().trim().min(1),
  target: modifierTarget(),
  activationTarget: kedaFloat().default(0),
  metricType: metricType().default('AverageValue'),
});

const advanced = () => z
  .strictObject({
    restoreToOriginalReplicaCount: z.boolean().default(false),
    horizontalPodAutoscalerConfig: z
      .strictObject({
        name: dns1123Subdomain().optional(),
        behavior: hpaBehavior().optional(),
      })
      .optional(),
    scalingModifiers: scalingModifiers().optional(),
  })
  .prefault({});

const specFields = () => z.strictObject({
  scaleTargetRef: z.strictObject({
    apiVersion: z.string().min(1).default('apps/v1'),
    kind: z.string().min(1).default('Deployment'),
    // Deployments, StatefulSets and custom resources all have DNS-subdomain names.
    name: dns1123Subdomain(),
    envSourceContainerName: z.string().min(1).optional(),
  }),
  pollingInterval: int32().min(1).default(DEFAULT_POLLING_INTERVAL),
  // minReplicaCount and cooldownPeriod get their defaults after the rules: KEDA's checks tell
  // "unset" from an explicit value (see rules.ts), so the schema must not erase the difference.
  cooldownPeriod: int32().min(0).optional(),
  initialCooldownPeriod: int32().min(0).default(DEFAULT_INITIAL_COOLDOWN_PERIOD),
  idleReplicaCount: int32().min(0).optional(),
  minReplicaCount: int32().min(0).optional(),
  maxReplicaCount: int32().min(1).default(DEFAULT_MAX_REPLICA_COUNT),
  fallback: fallback().optional(),
  advanced: advanced(),
  triggers: z.array(trigger()).min(1),
});

const scaledObjectDocument = builtOnce(() =>
  z
    .strictObject({
      apiVersion: z.literal(API_VERSION, {
        error: (issue) =>
          issue.input === undefined ? 'is required' : `must be "${API_VERSION}" for a ScaledObject, got ${describeValue(issue.input)}`,
      }),
      kind: z.literal(KIND),
      metadata: objectMeta(),
      spec: specFields().superRefine(checkSpec),
      /** Written by the operator; `kubectl get -o yaml` output carries it. Accepted and ignored. */
      status: z.unknown().optional(),
    })
    .superRefine(checkNames),
);

type SpecFields = z.output<ReturnType<typeof specFields>>;
type ScaledObjectDocument = z.output<ReturnType<typeof scaledObjectDocument>>;

export { API_GROUP, API_VERSION, KIND, objectMeta, scaledObjectDocument };
export type { ScaledObjectDocument, SpecFields };
