/**
 * `cron` metadata (KEDA `cron_scaler.go`, docs `scalers/cron.md`): active between a `start` and the
 * next `end` in `timezone`; the metric is `desiredReplicas` against a target of 1, so the HPA asks
 * for exactly that many replicas.
 */
import * as z from 'zod';
import { dropEmptyValues, kedaInt, kedaString } from '../metadataValues.js';
import type { CronTrigger } from '../types.js';
import { cronProblem } from './cronExpression.js';
import { defineTrigger } from './definition.js';

const cronSpec = () =>
  kedaString().superRefine((spec, ctx) => {
    const problem = cronProblem(spec);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * Go's `time.LoadLocation` reads the tz database by file name, so it is case-sensitive where
 * `Intl` is not: `asia/seoul` works in Node but fails in KEDA. Hence the comparison with the
 * name Intl resolves.
 */
const timezoneProblem = (zone: string): string | undefined => {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat(undefined, { timeZone: zone }).resolvedOptions().timeZone;
  } catch (error) {
    if (error instanceof RangeError) return `is not an IANA time zone (e.g. Asia/Seoul, UTC): "${zone}"`;
    throw error;
  }
  return resolved !== zone && resolved.toLowerCase() === zone.toLowerCase()
    ? `time zone names are case-sensitive in KEDA; write "${resolved}"`
    : undefined;
};

const cronMetadata = () =>
  z.preprocess(
    dropEmptyValues,
    z
      .strictObject({
        start: cronSpec(),
        end: cronSpec(),
        timezone: kedaString().superRefine((zone, ctx) => {
          const problem = timezoneProblem(zone);
          if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
        }),
        // KEDA rejects 0 ("no replicas" would be an inactive trigger); a negative count cannot be reached.
        desiredReplicas: kedaInt({ min: 1 }),
      })
      .superRefine((metadata, ctx) => {
        if (metadata.start.trim() === metadata.end.trim()) {
          ctx.addIssue({ code: 'custom', path: ['end'], message: 'must differ from start (KEDA: "start and end can not have exactly same time input")' });
        }
      }),
  );

const cron = defineTrigger<CronTrigger>({
  type: 'cron',
  metadata: cronMetadata,
  // The HPA target is 1 per replica, so the metric desiredReplicas asks for exactly desiredReplicas.
  targets: () => ({ target: 1, activationTarget: 0 }),
  cachedMetricsAllowed: false,
});

export { cron };
