/**
 * A structural check of the 5-field cron specs KEDA's cron scaler accepts (robfig/cron v3 with
 * Minute | Hour | Dom | Month | Dow, no descriptors such as `@hourly`). It rejects what robfig
 * would reject; it does not compute firings (the cron trigger does that).
 */
import { quote } from '../echo.js';

interface FieldRule {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: readonly FieldRule[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 6, names: DAYS },
];

/** A number or, where the field has them, a name (JAN, mon: robfig matches names case-insensitively). */
const valueOf = (text: string, rule: FieldRule): number | undefined => {
  if (/^\d+$/.test(text)) return Number(text);
  const index = rule.names?.indexOf(text.toUpperCase()) ?? -1;
  return index < 0 ? undefined : index + rule.min;
};

/** One comma-separated item: `*`, `?`, `a`, `a-b`, each optionally `/step`. */
const itemProblem = (item: string, rule: FieldRule): string | undefined => {
  const [range = '', step, extra] = item.split('/');
  if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step))) return `bad step in ${quote(item)}`;
  if (range === '*' || range === '?') return undefined;
  const [low = '', high, more] = range.split('-');
  const bounds = [low, ...(high === undefined ? [] : [high])].map((part) => valueOf(part, rule));
  if (more !== undefined || bounds.some((value) => value === undefined)) return `${quote(item)} is not a valid ${rule.name}`;
  const [first = 0, last = first] = bounds as number[];
  if (first < rule.min || last > rule.max) return `${rule.name} ${quote(item)} is out of range ${rule.min}-${rule.max}`;
  if (first > last) return `range ${quote(item)} runs backwards`;
  return undefined;
};

/** `undefined` when the spec is valid, else why not. */
const cronProblem = (spec: string): string | undefined => {
  const fields = spec.trim().split(/\s+/);
  if (fields.length !== FIELDS.length) {
    return `must have 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}: ${quote(spec)}`;
  }
  for (const [i, field] of fields.entries()) {
    const rule = FIELDS[i];
    if (rule === undefined) continue;
    for (const item of field.split(',')) {
      const problem = itemProblem(item, rule);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
};

export { cronProblem };
