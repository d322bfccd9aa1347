/**
 * Plain-text output of a run: the per-interval table and the summary. Fixed-width columns,
 * numbers right-aligned, so the output reads in a terminal and diffs cleanly in a test.
 */
import { clockFormat, formatClock, formatDuration } from './duration.js';
import type { ClockFormat } from './duration.js';
import type { Sample, SimulationResult } from './loop.js';
import type { Oscillation } from './oscillation.js';

interface Column {
  readonly header: (run: SimulationResult) => string;
  readonly align: 'left' | 'right';
  /** `i`: the row's index in `run.rows`, so a compared run's row at the same second can be read. */
  readonly cell: (row: Sample, run: SimulationResult, i: number) => string;
}

/** The clock of the table's time column and the summary: the row step decides whether seconds show. */
const tableClock = (run: SimulationResult): ClockFormat => clockFormat(run.durationSeconds, run.rowEverySeconds);

/** At most one decimal, and none when the value is whole (40, 0.5, 2.3). */
const formatRate = (rate: number): string => (Number.isInteger(rate) ? String(rate) : rate.toFixed(1));

const DESIRED: Column = { header: () => 'desired', align: 'right', cell: (r) => String(r.desired) };

const COLUMNS: readonly Column[] = [
  { header: (run) => `time (${tableClock(run)})`, align: 'left', cell: (r, run) => formatClock(r.second, tableClock(run)) },
  { header: () => 'arrivals/s', align: 'right', cell: (r) => formatRate(r.arrivalsPerSecond) },
  { header: () => 'visible', align: 'right', cell: (r) => String(r.visible) },
  { header: () => 'in-flight', align: 'right', cell: (r) => String(r.inFlight) },
  DESIRED,
  { header: () => 'ready', align: 'right', cell: (r) => String(r.ready) },
  { header: () => 'reason', align: 'left', cell: (r) => r.reason ?? '-' },
];

/** LPA's columns, with the compared run's desired count beside LPA's (both runs share the row grid). */
const columnsFor = (compare: SimulationResult | undefined): readonly Column[] => {
  if (compare === undefined) return COLUMNS;
  const kedaDesired: Column = { header: () => 'keda desired', align: 'right', cell: (_r, _run, i) => String(compare.rows[i]?.desired ?? '-') };
  const at = COLUMNS.indexOf(DESIRED) + 1;
  return [...COLUMNS.slice(0, at), kedaDesired, ...COLUMNS.slice(at)];
};

const pad = (text: string, width: number, align: Column['align']): string =>
  align === 'left' ? text.padEnd(width) : text.padStart(width);

/**
 * The table of `result.rows`, one line per row plus a header, each line ending in a newline.
 *
 * @example
 * formatTable(result) // formatTable(result, kedaResult) adds a `keda desired` column
 * // time (mm:ss)  arrivals/s  visible  in-flight  desired  ready  reason
 * // 00:00                  0        0          0        0      0  ScalerNotActive
 */
const formatTable = (result: SimulationResult, compare?: SimulationResult): string => {
  const columns = columnsFor(compare);
  const cells = result.rows.map((row, i) => columns.map((c) => c.cell(row, result, i)));
  const headers = columns.map((c) => c.header(result));
  // A fold, not Math.max(...cells): a two-day run at one row a second is 172,801 arguments, past V8's stack.
  const widths = headers.map((header, i) => cells.reduce((width, line) => Math.max(width, line[i]?.length ?? 0), header.length));
  const render = (line: readonly string[]): string =>
    line
      .map((text, i) => pad(text, widths[i] ?? 0, columns[i]?.align ?? 'left'))
      .join('  ')
      .trimEnd();
  return [headers, ...cells].map(render).join('\n') + '\n';
};

const hours = (n: number): string => (n >= 10 ? n.toFixed(0) : n.toFixed(1));

/** The reversal count, and for an oscillating run the damping the re-runs found. */
const oscillationLines = (o: Oscillation): readonly string[] => {
  const times = (n: number): string => `${n} time${n === 1 ? '' : 's'}`;
  const head = `  reversals       replicas changed direction ${times(o.replicaReversals)}, the arrival rate ${times(o.loadReversals)}`;
  if (!o.oscillating) return [head];
  const lines = [`${head}: the replicas oscillate`];
  const s = o.suggestion;
  if (s === undefined) {
    lines.push(`  damping         no behavior.scaleDown.stabilizationWindowSeconds up to 3600 reduced the reversals in this run`);
  } else {
    const cost = Math.round(((s.podHours - o.podHours) / Math.max(o.podHours, 1e-9)) * 100);
    lines.push(
      `  damp it with    behavior.scaleDown.stabilizationWindowSeconds: ${s.stabilizationWindowSeconds} (now ${o.stabilizationWindowSeconds}):` +
        ` ${s.reversals} reversals in this run, ${hours(s.podHours)} pod-hours instead of ${hours(o.podHours)} (${cost >= 0 ? '+' : ''}${cost}%)`,
    );
  }
  const others = (o.trials ?? []).filter((t) => t.stabilizationWindowSeconds !== s?.stabilizationWindowSeconds);
  if (others.length > 0) {
    lines.push(`  also tried      ${others.map((t) => `${t.stabilizationWindowSeconds}: ${t.reversals} reversals, ${hours(t.podHours)} pod-hours`).join(' · ')}`);
  }
  return lines;
};

/**
 * The end-of-run summary: peaks, drain time, final replicas, scale changes and their reversals
 * (with the damping found when they oscillate), pod-hours, message totals.
 *
 * @example
 * formatSummary(result).split('\n')[1] // '  peak queue      14520 messages at 08:00'
 */
const formatSummary = (result: SimulationResult, oscillation?: Oscillation): string => {
  const s = result.summary;
  const clock = (second: number): string => formatClock(second, tableClock(result));
  const { name, namespace } = result.scaledObject.metadata;
  const drain =
    s.drainSeconds === undefined
      ? s.peakQueue === 0
        ? 'n/a (no messages)'
        : 'never (messages were still waiting at the end)'
      : `${formatDuration(s.drainSeconds)} after the peak (nothing waiting at ${clock(s.peakQueueSecond + s.drainSeconds)})`;
  const left = s.messagesArrived - s.messagesDeleted;
  return [
    `Summary: ${namespace}/${name}, ${formatDuration(result.durationSeconds)} simulated, ${s.evaluations} evaluations every ${result.pollingIntervalSeconds}s; times are ${tableClock(result)} from the start`,
    `  peak queue      ${s.peakQueue} messages at ${clock(s.peakQueueSecond)}`,
    `  peak replicas   ${s.peakReplicas} desired, ${s.peakReady} ready`,
    `  time to drain   ${drain}`,
    `  final replicas  ${s.finalReplicas} (${s.finalReady} ready)`,
    `  scale changes   ${s.scaleChanges}`,
    ...(oscillation === undefined ? [] : oscillationLines(oscillation)),
    `  pod-hours       ${hours(s.podHours)} (replicas asked for, over time)`,
    `  messages        ${s.messagesArrived} arrived, ${s.messagesDeleted} deleted, ${left} still queued`,
  ].join('\n') + '\n';
};

/**
 * LPA's run beside KEDA + HPA's on the same workload: time to first Ready replica, backlog
 * (message-seconds spent waiting, and the mean wait), pod-hours and peak replicas.
 *
 * @example
 * formatComparison(result, kedaResult, 7).split('\n')[2] // '  time to first replica  30s  30s'
 */
const formatComparison = (lpa: SimulationResult, keda: SimulationResult, hpaPhaseSeconds: number): string => {
  const ttfr = (r: SimulationResult): string => {
    const t = r.summary.timeToFirstReplicaSeconds;
    return t === undefined ? (r.summary.messagesArrived === 0 ? 'n/a' : 'never') : formatDuration(t);
  };
  const backlog = (r: SimulationResult): string => {
    const mean = r.summary.backlogSeconds / Math.max(1, r.summary.messagesArrived);
    return `${Math.round(r.summary.backlogSeconds)} msg·s (mean wait ${mean.toFixed(1)}s)`;
  };
  const rows: readonly (readonly [string, (r: SimulationResult) => string])[] = [
    ['time to first replica', ttfr],
    ['backlog', backlog],
    ['pod-hours', (r) => hours(r.summary.podHours)],
    ['peak replicas', (r) => String(r.summary.peakReplicas)],
  ];
  const cells = rows.map(([label, value]) => [label, value(lpa), value(keda)] as const);
  const width = (i: 0 | 1 | 2): number => Math.max(...cells.map((c) => c[i].length), i === 0 ? 0 : 'KEDA + HPA'.length);
  const line = (a: string, b: string, c: string): string => `  ${a.padEnd(width(0))}  ${b.padEnd(width(1))}  ${c}`.trimEnd();
  return [
    `Compared with KEDA + HPA: operator poll every ${keda.pollingIntervalSeconds}s, HPA sync every 15s from second ${hpaPhaseSeconds}, same workload`,
    line('', 'LPA', 'KEDA + HPA'),
    ...cells.map(([a, b, c]) => line(a, b, c)),
    '  (time to first replica: first queued message to first Ready pod; backlog: messages waiting for a pod, integrated over time)',
  ].join('\n') + '\n';
};

export { formatComparison, formatRate, formatSummary, formatTable };
