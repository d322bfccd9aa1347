/**
 * Durations for the simulator's flags and clock labels. Whole seconds only: the simulation
 * advances in 1-second steps, so a finer unit would promise a resolution the model does not have.
 */

const SECONDS_PER_UNIT = { d: 86_400, h: 3_600, m: 60, s: 1 } as const;

// Units in descending order, each at most once, so "1h30m" parses and "30m1h" does not.
const DURATION_PATTERN = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/**
 * Parses `90`, `90s`, `5m`, `2h`, `1h30m`, `1d` into whole seconds; `undefined` when malformed.
 *
 * @example parseDuration('1h30m') // 5400
 */
const parseDuration = (text: string): number | undefined => {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const match = DURATION_PATTERN.exec(trimmed);
  if (match === null || trimmed === '') return undefined;
  const [, d, h, m, s] = match;
  return (
    Number(d ?? 0) * SECONDS_PER_UNIT.d +
    Number(h ?? 0) * SECONDS_PER_UNIT.h +
    Number(m ?? 0) * SECONDS_PER_UNIT.m +
    Number(s ?? 0) * SECONDS_PER_UNIT.s
  );
};

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** How a clock label reads; printed beside every column or axis of clock labels, so `01:30` is never a guess. */
type ClockFormat = 'mm:ss' | 'hh:mm' | 'hh:mm:ss';

/**
 * `mm:ss` while the run is shorter than an hour (seconds matter there: polls are 30 s apart),
 * `hh:mm` beyond (a day has 1,440 minutes), `hh:mm:ss` when a long run is listed in steps finer
 * than a minute (else 60 rows in a row would read the same).
 *
 * @example clockFormat(1800) // 'mm:ss'
 * @example clockFormat(172_800, 1) // 'hh:mm:ss'
 */
const clockFormat = (runSeconds: number, stepSeconds = 60): ClockFormat =>
  runSeconds < SECONDS_PER_UNIT.h ? 'mm:ss' : stepSeconds % 60 === 0 ? 'hh:mm' : 'hh:mm:ss';

/**
 * A clock label for a second of simulated time, counted from the start of the run.
 *
 * @example formatClock(125, 'mm:ss') // '02:05'
 * @example formatClock(5430, 'hh:mm') // '01:30'
 */
const formatClock = (second: number, format: ClockFormat): string => {
  const hours = pad2(Math.floor(second / 3_600));
  const minutes = pad2(Math.floor((second % 3_600) / 60));
  const seconds = pad2(second % 60);
  if (format === 'mm:ss') return `${pad2(Math.floor(second / 60))}:${seconds}`;
  return format === 'hh:mm' ? `${hours}:${minutes}` : `${hours}:${minutes}:${seconds}`;
};

/**
 * A compact human duration (`45s`, `2m30s`, `1h5m`) for summaries and subtitles.
 *
 * @example formatDuration(150) // '2m30s'
 */
const formatDuration = (seconds: number): string => {
  const h = Math.floor(seconds / 3_600);
  const m = Math.floor((seconds % 3_600) / 60);
  const s = seconds % 60;
  const parts = [h > 0 ? `${h}h` : '', m > 0 ? `${m}m` : '', s > 0 || seconds === 0 ? `${s}s` : ''];
  return parts.join('');
};

export { clockFormat, formatClock, formatDuration, parseDuration };
export type { ClockFormat };
