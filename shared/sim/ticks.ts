/**
 * Axis arithmetic for the chart: "nice" tick steps (1, 2, 5 × 10^k, as plotting libraries use),
 * and time steps that land on whole minutes and hours.
 */

interface Axis {
  /** The top of the axis: a whole number of steps, at least one step. */
  readonly max: number;
  readonly ticks: readonly number[];
}

/** The smallest 1/2/5 × 10^k step that is at least `raw`. */
const niceStep = (raw: number): number => {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / magnitude;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * magnitude;
};

/**
 * About `count` ticks from 0 to just above `dataMax`. `integer` forces whole steps (replicas).
 *
 * @example valueAxis(18, 4) // { max: 20, ticks: [0, 5, 10, 15, 20] }
 */
const valueAxis = (dataMax: number, count: number, integer = false): Axis => {
  const rawStep = niceStep(dataMax / count);
  const step = integer ? Math.max(1, Math.round(rawStep)) : rawStep;
  const max = Math.max(step, Math.ceil(dataMax / step) * step);
  const ticks: number[] = [];
  // Count steps rather than adding floats, so 0.1-sized steps do not drift.
  for (let i = 0; i * step <= max + step / 1e6; i += 1) ticks.push(i * step);
  return { max, ticks };
};

// Candidate spacings between time ticks, in seconds: each a readable clock interval.
const TIME_STEPS = [10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 14_400, 21_600, 43_200, 86_400] as const;

/**
 * Tick seconds for a run of `durationSeconds`, at most `maxTicks` + 1 of them, on whole clock steps.
 *
 * @example timeTicks(1800, 10) // [0, 300, 600, 900, 1200, 1500, 1800]
 */
const timeTicks = (durationSeconds: number, maxTicks: number): readonly number[] => {
  const step = TIME_STEPS.find((s) => durationSeconds / s <= maxTicks) ?? 86_400;
  const ticks: number[] = [];
  for (let t = 0; t <= durationSeconds; t += step) ticks.push(t);
  return ticks;
};

export { niceStep, timeTicks, valueAxis };
export type { Axis };
