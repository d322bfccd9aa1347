/**
 * The event shapes the two functions accept (anchors-ecosystem.md §4):
 * - scaler: the Scheduler input (a ScaleGroup), or an EventBridge "Scheduled Event" envelope whose
 *   `detail` is the group or is empty (then the group comes from the function's configuration);
 * - alarm: `{ scaleGroup, alarm }` as LPA's EventBridge rule sends it (`alarm` = the whole
 *   "CloudWatch Alarm State Change" event), or either alarm event on its own: the EventBridge one,
 *   or the direct alarm-action shape (`alarmData`).
 */
import * as z from 'zod';
import { builtOnce } from '../spec/builtOnce.js';
import { formatPath, type PathSegment } from '../spec/issues.js';

const scheduledEnvelope = builtOnce(() =>
  z.object({
    'detail-type': z.literal('Scheduled Event'),
    source: z.string(),
    detail: z.unknown(),
  }),
);

const metricStat = () => z.object({
  metric: z.object({
    namespace: z.string(),
    name: z.string(),
    dimensions: z.record(z.string(), z.string()).optional(),
  }),
  period: z.number().optional(),
  stat: z.string().optional(),
});

/** The part both alarm shapes share: name, new state and the alarm's metrics. */
const alarmData = builtOnce(() =>
  z.object({
    alarmName: z.string().min(1),
    state: z.object({ value: z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']), reason: z.string().optional() }),
    configuration: z
      .object({
        description: z.string().nullish(),
        metrics: z.array(z.object({ id: z.string().optional(), metricStat: metricStat().optional(), expression: z.string().optional() })).optional(),
      })
      .optional(),
  }),
);

const alarmStateChange = builtOnce(() =>
  z.object({
    'detail-type': z.literal('CloudWatch Alarm State Change'),
    source: z.literal('aws.cloudwatch'),
    detail: alarmData(),
  }),
);

const alarmAction = builtOnce(() =>
  z.object({
    source: z.literal('aws.cloudwatch'),
    alarmArn: z.string(),
    alarmData: alarmData(),
  }),
);

type AlarmData = z.infer<ReturnType<typeof alarmData>>;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The ScaleGroup of a scheduler event, or undefined when the event carries none (use configuration). */
const scaleGroupOfScheduledEvent = (event: unknown): unknown => {
  const envelope = scheduledEnvelope().safeParse(event);
  if (!envelope.success) return event;
  return isObject(envelope.data.detail) && Object.keys(envelope.data.detail).length > 0 ? envelope.data.detail : undefined;
};

/** `path: message` of the first issue, its path in LPA's `a.b[0].c` form under `prefix`. */
const firstIssue = (issues: readonly z.core.$ZodIssue[], prefix: readonly PathSegment[]): string | undefined => {
  const issue = issues[0];
  if (issue === undefined) return undefined;
  const path = formatPath([...prefix, ...issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol')]);
  return path === '' ? issue.message : `${path}: ${issue.message}`;
};

/** Splits an alarm-function event into the alarm and the group it carries (if any). */
const parseAlarmEvent = (event: unknown): { ok: true; alarm: AlarmData; scaleGroup: unknown } | { ok: false; message: string } => {
  const wrapped = isObject(event) && 'alarm' in event ? event : undefined;
  const candidate = wrapped === undefined ? event : wrapped.alarm;
  const fromRule = alarmStateChange().safeParse(candidate);
  if (fromRule.success) return { ok: true, alarm: fromRule.data.detail, scaleGroup: wrapped?.scaleGroup };
  const fromAction = alarmAction().safeParse(candidate);
  if (fromAction.success) return { ok: true, alarm: fromAction.data.alarmData, scaleGroup: wrapped?.scaleGroup };
  // Explain the refusal against the shape the event resembles (`alarmData`: an alarm action).
  const refused = isObject(candidate) && 'alarmData' in candidate ? fromAction : fromRule;
  const where = firstIssue(refused.error.issues, wrapped === undefined ? [] : ['alarm']);
  return { ok: false, message: `not a CloudWatch alarm event (EventBridge "CloudWatch Alarm State Change" or alarm action)${where === undefined ? '' : `; ${where}`}` };
};

export { parseAlarmEvent, scaleGroupOfScheduledEvent };
export type { AlarmData };
