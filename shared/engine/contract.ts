/**
 * The public JSON contract of `lpa decide` (README "lpa decide"): parse one evaluation document,
 * run the engine, and render the decision with ISO-8601 times. Pure; the CLI does the I/O.
 */
import * as z from 'zod';
import { builtOnce } from '../spec/builtOnce.js';
import { ValidationError, type ValidationIssue } from '../errors.js';
import { formatPath, parseWith, toValidationIssues } from '../spec/issues.js';
import type { Trust } from '../spec/awsEndpoint.js';
import { parseScaledObject } from '../spec/parse.js';
import type { ScaledObject } from '../spec/types.js';
import { valueBoundsProblem } from '../spec/inputLimits.js';
import { describeValue } from '../spec/metadataValues.js';
import { decide } from './decide.js';
import { podSetSchema } from './podObjects.js';
import { DEFAULT_CONTROLLER_SETTINGS } from './resourceMetrics.js';
import { keyedRecord } from './keyed.js';
import { Reason, type Decision, type EngineState, type MetricReading } from './types.js';

/**
 * `z.record` for maps keyed by trigger name. zod's record assigns each key, which silently drops a
 * `__proto__` key; a Map keeps every name.
 */
const nameKeyed = <T extends z.ZodType>(value: T) =>
  z.preprocess((input) => (typeof input === 'object' && input !== null && !Array.isArray(input) ? new Map(Object.entries(input)) : input), z.map(z.string(), value));

/** `"value": "240"` is a string in JSON; say so, rather than that the reading has the wrong shape. */
const readingValue = () => z.number({
  error: (issue) =>
    typeof issue.input === 'string' && issue.input.trim() !== '' && Number.isFinite(Number(issue.input))
      ? `must be a JSON number, got the string ${describeValue(issue.input)}: write ${issue.input.trim()} without quotes`
      : undefined,
});

/** `{ "value": n }` or `{ "error": "text" }`, one of the two. */
const valueOrError = builtOnce(() =>
  z
    .strictObject({ value: readingValue().optional(), error: z.string().optional() })
    .refine((reading) => (reading.value === undefined) !== (reading.error === undefined), {
      message: 'must have exactly one of "value" (the number read) or "error" (why it could not be read)',
      // A misspelt key is already reported; "neither" would only repeat it.
      when: (payload) => payload.issues.length === 0,
    })
    .transform((reading): MetricReading => (reading.error === undefined ? { value: reading.value as number } : { error: reading.error })),
);

const isoTime = builtOnce(() => z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time, e.g. 2026-11-23T10:00:00Z' }));
const count = builtOnce(() => z.number().int().min(0));

const stateSchema = builtOnce(() =>
  z
    .object({
      lastEvaluationTime: isoTime().optional(),
      lastSyncTime: isoTime().optional(),
      hpaReason: z.enum(Object.values(Reason) as [Reason, ...Reason[]]).optional(),
      lastActiveTime: isoTime().optional(),
      firstEvaluationTime: isoTime().optional(),
      recommendations: z.array(z.object({ replicas: count(), time: isoTime() }).strict()).default([]),
      scaleUpEvents: z.array(z.object({ change: z.number().int().min(1), time: isoTime() }).strict()).default([]),
      scaleDownEvents: z.array(z.object({ change: z.number().int().min(1), time: isoTime() }).strict()).default([]),
      failures: nameKeyed(z.number().int().min(1)).default(new Map()),
      originalReplicas: count().optional(),
      paused: z.boolean().optional(),
    })
    .strict(),
);

/**
 * A number, an error, or (cpu/memory) the pods and PodMetrics as the API returns them. Told apart by
 * their keys, so a malformed pod is reported at its own path rather than as "no union member matched".
 */
const metricReading = () => z.unknown().pipe(
  z.custom<unknown>().transform((input, ctx) => {
    const isPodSet = typeof input === 'object' && input !== null && ('pods' in input || 'podMetrics' in input);
    // parseWith: the same messages (and "did you mean") as the rest of the document.
    const result = isPodSet ? parseWith(podSetSchema(), input) : parseWith(valueOrError(), input);
    if (result.ok) return result.data as MetricReading;
    for (const issue of result.issues) ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
    return z.NEVER;
  }),
);

const inputSchema = builtOnce(() =>
  z
    .object({
      now: isoTime(),
      scaledObject: z.unknown(),
      target: z
        .object({ specReplicas: count(), statusReplicas: count().optional(), readyReplicas: count().optional() })
        .strict(),
      metrics: nameKeyed(metricReading()),
      state: stateSchema().optional(),
      controller: z
        .strictObject({ cpuInitializationPeriodSeconds: count().optional(), initialReadinessDelaySeconds: count().optional() })
        .optional(),
    })
    .strict(),
);

type StateJson = z.input<ReturnType<typeof stateSchema>>;

interface DecisionJson {
  readonly replicas: number;
  readonly changed: boolean;
  readonly active: boolean;
  readonly reason: string;
  readonly message: string;
  readonly conditions: Decision['conditions'];
  readonly state: StateJson;
}

const ms = (iso: string | undefined): number | undefined => (iso === undefined ? undefined : Date.parse(iso));
const iso = (time: number | undefined): string | undefined => (time === undefined ? undefined : new Date(time).toISOString());

const stateFromJson = (json: z.output<ReturnType<typeof stateSchema>>): EngineState => ({
  lastEvaluationTime: ms(json.lastEvaluationTime),
  lastSyncTime: ms(json.lastSyncTime),
  hpaReason: json.hpaReason,
  lastActiveTime: ms(json.lastActiveTime),
  firstEvaluationTime: ms(json.firstEvaluationTime),
  recommendations: json.recommendations.map((r) => ({ replicas: r.replicas, time: Date.parse(r.time) })),
  scaleUpEvents: json.scaleUpEvents.map((e) => ({ change: e.change, time: Date.parse(e.time) })),
  scaleDownEvents: json.scaleDownEvents.map((e) => ({ change: e.change, time: Date.parse(e.time) })),
  failures: keyedRecord(json.failures),
  originalReplicas: json.originalReplicas,
  paused: json.paused,
});

/** Drops undefined fields so the JSON stays minimal and stable. */
const stateToJson = (state: EngineState): StateJson =>
  JSON.parse(
    JSON.stringify({
      lastEvaluationTime: iso(state.lastEvaluationTime),
      lastSyncTime: iso(state.lastSyncTime),
      hpaReason: state.hpaReason,
      lastActiveTime: iso(state.lastActiveTime),
      firstEvaluationTime: iso(state.firstEvaluationTime),
      recommendations: state.recommendations.map((r) => ({ replicas: r.replicas, time: iso(r.time) })),
      scaleUpEvents: state.scaleUpEvents.map((e) => ({ change: e.change, time: iso(e.time) })),
      scaleDownEvents: state.scaleDownEvents.map((e) => ({ change: e.change, time: iso(e.time) })),
      failures: state.failures,
      originalReplicas: state.originalReplicas,
      paused: state.paused,
    }),
  ) as StateJson;

/**
 * Metrics may be keyed by trigger name or by index ("0", "1", …); every key must name a trigger and
 * no trigger may be given twice. A trigger with no reading counts as a failed read.
 */
const resolveMetrics = (
  so: ScaledObject,
  metrics: ReadonlyMap<string, MetricReading>,
  source: string,
): { readings: Record<string, MetricReading>; issues: ValidationIssue[] } => {
  const readings = keyedRecord<MetricReading>();
  const issues: ValidationIssue[] = [];
  const known = so.spec.triggers.map((t) => t.key).join(', ');
  for (const [given, reading] of metrics) {
    // A name wins over an index: a trigger may be named "0" while another sits at index 0.
    const trigger = so.spec.triggers.find((t) => t.key === given) ?? so.spec.triggers.find((t) => String(t.index) === given);
    if (trigger === undefined) {
      issues.push({ source, documentIndex: 0, path: formatPath(['metrics', given]), message: `no trigger has this name or index (triggers: ${known})` });
    } else if (Object.hasOwn(readings, trigger.key)) {
      issues.push({ source, documentIndex: 0, path: formatPath(['metrics', given]), message: `trigger ${trigger.key} already has a reading (by name and by index)` });
    } else {
      readings[trigger.key] = reading;
    }
  }
  return { readings, issues };
};

/** Parses, validates and evaluates one `lpa decide` document (under `trust`); throws ValidationError naming every bad path. */
const decideJson = (document: unknown, source = '<input>', trust?: Trust): DecisionJson => {
  const bounds = valueBoundsProblem(document);
  if (bounds !== undefined) throw new ValidationError(toValidationIssues([bounds], source));
  const parsed = parseWith(inputSchema(), document);
  if (!parsed.ok) throw new ValidationError(toValidationIssues(parsed.issues, source));
  const input = parsed.data;
  const so = parseScaledObject(input.scaledObject, { source, ...(trust === undefined ? {} : { trust }) });
  if (!so.ok) throw new ValidationError(so.issues.map((i) => ({ ...i, path: i.path === '' ? 'scaledObject' : `scaledObject.${i.path}` })));
  const { readings, issues } = resolveMetrics(so.scaledObject, input.metrics, source);
  if (issues.length > 0) throw new ValidationError(issues);
  const statusReplicas = input.target.statusReplicas ?? input.target.specReplicas;
  const decision = decide({
    scaledObject: so.scaledObject,
    observation: {
      specReplicas: input.target.specReplicas,
      statusReplicas,
      readyReplicas: input.target.readyReplicas ?? statusReplicas,
      metrics: readings,
    },
    state: input.state === undefined ? undefined : stateFromJson(input.state),
    now: Date.parse(input.now),
    controller: { ...DEFAULT_CONTROLLER_SETTINGS, ...input.controller },
  });
  const { values: _values, ...rest } = decision;
  return { ...rest, state: stateToJson(decision.state) };
};

export { decideJson, stateFromJson, stateToJson };
export type { DecisionJson, StateJson };
