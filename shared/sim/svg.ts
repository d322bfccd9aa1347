/**
 * The chart of a run as a standalone SVG: three stacked panels sharing the time axis
 * (arrivals/s, queue depth, replicas). Hand-written markup, no dependency: a person opens it in
 * a browser, and a test can check it with string operations.
 */
import { clockFormat, formatClock, formatDuration } from './duration.js';
import type { Sample, SimulationResult } from './loop.js';
import { findQueueTrigger } from './signals.js';
import { niceStep, timeTicks, valueAxis } from './ticks.js';
import type { Axis } from './ticks.js';

interface Series {
  readonly label: string;
  readonly color: string;
  /** `i`: the sample's index, so a compared run's sample at the same second can be read. */
  readonly value: (s: Sample, i: number) => number;
  /** Replica counts and rates hold until they change: draw them as steps, not slopes. */
  readonly step: boolean;
  readonly dash?: string;
  /** A wide, pale line under a thin one stays visible where the two coincide. Default 2, opaque. */
  readonly width?: number;
  readonly opacity?: number;
}

interface Panel {
  readonly label: string;
  readonly top: number;
  readonly height: number;
  readonly series: readonly Series[];
  readonly integer: boolean;
  /** Switch to a log axis when most values would flatten into the baseline under one spike. */
  readonly logWhenSkewed?: boolean;
  /** A labelled dashed reference line (maxReplicaCount), drawn when it fits the axis. */
  readonly reference?: { readonly value: number; readonly label: string };
}

const WIDTH = 960;
const HEIGHT = 640;
const LEFT = 76;
const RIGHT = WIDTH - 24;
const FONT = 'system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif';
// Rough advance of a 12 px sans-serif character; enough to lay out a legend without measuring text.
const CHAR_WIDTH = 6.6;

/** The x coordinate of a second of simulated time. */
const xScale =
  (durationSeconds: number) =>
  (second: number): number =>
    LEFT + (second / Math.max(1, durationSeconds)) * (RIGHT - LEFT);

const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

const num = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** Tick labels: 15000 → 15k, so large queues fit the left margin. */
const tickLabel = (v: number): string =>
  v >= 10_000 ? `${Number((v / 1_000).toFixed(1))}k` : String(Number(v.toFixed(2)));

/**
 * What a chart of another signal than a queue shows in the two upper panels (e.g. cpu: the load
 * in `arrivalsPerSecond`, the utilization in `visible`), and its subtitle.
 */
interface SignalLabels {
  readonly rate: string;
  readonly level: string;
  readonly subtitle: string;
}

/** The replicas series: LPA's desired and ready, and a compared run's desired as a dashed line. */
const replicaSeries = (compare: SimulationResult | undefined): readonly Series[] => {
  // Desired is a wide pale band and ready a thin line on top: where they agree, the line sits in the band.
  const desired: Series = { label: compare === undefined ? 'desired' : 'LPA desired', color: '#e07b00', value: (s) => s.desired, step: true, width: 6, opacity: 0.35 };
  const ready: Series = { label: 'ready', color: '#1d7a3a', value: (s) => s.ready, step: true, width: 1.5 };
  if (compare === undefined) return [desired, ready];
  const keda: Series = { label: 'KEDA + HPA desired', color: '#b0186b', value: (_s, i) => compare.samples[i]?.desired ?? 0, step: true, dash: '5 3', width: 1.5 };
  return [desired, { ...ready, label: 'LPA ready' }, keda];
};

const panelsFor = (result: SimulationResult, signal: SignalLabels | undefined, compare?: SimulationResult): readonly Panel[] => [
  {
    label: signal?.rate ?? 'arrivals (msg/s)',
    top: 74,
    height: 110,
    integer: false,
    series: [{ label: signal?.rate ?? 'arrivals/s', color: '#7b61c4', value: (s) => s.arrivalsPerSecond, step: true }],
  },
  {
    label: signal?.level ?? 'queue (messages)',
    top: 222,
    height: 160,
    integer: true,
    logWhenSkewed: signal === undefined,
    series:
      signal === undefined
        ? [
            { label: 'visible + in-flight', color: '#1f6fd1', value: (s) => s.visible + s.inFlight, step: false },
            { label: 'in-flight', color: '#8fb8ea', value: (s) => s.inFlight, step: false, dash: '4 3' },
          ]
        : [{ label: signal.level, color: '#1f6fd1', value: (s) => s.visible, step: false }],
  },
  {
    label: 'replicas',
    top: 420,
    height: 160,
    integer: true,
    series: replicaSeries(compare),
    reference: { value: result.scaledObject.spec.maxReplicaCount, label: 'maxReplicaCount' },
  },
];

/** Polyline points; step series turn each change into a vertical edge, and flat runs collapse to their ends. */
const pointsOf = (samples: readonly Sample[], series: Series, x: (s: number) => number, y: (v: number) => number): string => {
  const out: string[] = [];
  let previous: number | undefined;
  samples.forEach((sample, i) => {
    const v = series.value(sample, i);
    const isLast = i === samples.length - 1;
    if (series.step && previous !== undefined && v !== previous) out.push(`${num(x(sample.second))},${num(y(previous))}`);
    const next = samples[i + 1];
    const flat = series.step && previous === v && next !== undefined && series.value(next, i + 1) === v;
    if (!flat || isLast) out.push(`${num(x(sample.second))},${num(y(v))}`);
    previous = v;
  });
  return out.join(' ');
};

const strokeStyle = (s: Series, defaultWidth: number): string =>
  ` stroke-width="${s.width ?? defaultWidth}"` +
  (s.opacity === undefined ? '' : ` stroke-opacity="${s.opacity}"`) +
  (s.dash === undefined ? '' : ` stroke-dasharray="${s.dash}"`);

/**
 * True when a linear axis would flatten most of the values into the baseline: half the non-zero
 * values are under 5 % of the largest (the day's queue: a few hundred in flight, one 11,600 spike).
 */
const skewed = (values: readonly number[]): boolean => {
  const positive = values.filter((v) => v > 0).sort((a, b) => a - b);
  const max = positive.at(-1) ?? 0;
  const median = positive[Math.floor(positive.length / 2)] ?? 0;
  return max >= 100 && median < max / 20;
};

/** Where a value sits on a panel's axis, 0 (bottom) to 1 (top). */
type AxisScale = (v: number) => number;

/**
 * A log axis that keeps 0: log10(1 + v), ticks on powers of ten, so both a few messages and a
 * spike of thousands are readable on one panel.
 */
const logAxis = (dataMax: number): { readonly axis: Axis; readonly scale: AxisScale } => {
  const top = niceStep(dataMax);
  // From 10 up: 1 would sit a few pixels above 0 and the two labels would collide.
  const ticks = [0];
  for (let v = 10; v <= top; v *= 10) ticks.push(v);
  return { axis: { max: top, ticks }, scale: (v) => Math.log10(1 + Math.max(0, v)) / Math.log10(1 + top) };
};

// Room above the largest value, so a line at the maximum (replicas at maxReplicaCount) is not drawn on the border.
const HEADROOM = 1.05;

const linearAxis = (dataMax: number, integer: boolean): { readonly axis: Axis; readonly scale: AxisScale } => {
  const axis = valueAxis(dataMax * HEADROOM, 4, integer);
  return { axis, scale: (v) => v / axis.max };
};

const legend = (panel: Panel): string => {
  let x = RIGHT - 8;
  const items: string[] = [];
  const width = panel.series.reduce((sum, s) => sum + s.label.length * CHAR_WIDTH + 40, 0);
  // A backing card, so the legend stays readable over a line running along the panel's top.
  items.push(`<rect x="${num(RIGHT - width - 4)}" y="${panel.top + 3}" width="${num(width)}" height="17" rx="3" fill="#fff" fill-opacity="0.9"/>`);
  for (const s of [...panel.series].reverse()) {
    const textWidth = s.label.length * CHAR_WIDTH;
    x -= textWidth;
    const y = panel.top + 14;
    items.push(
      `<line x1="${num(x - 24)}" y1="${y - 4}" x2="${num(x - 6)}" y2="${y - 4}" stroke="${s.color}"${strokeStyle(s, 2.5)}/>`,
      `<text x="${num(x)}" y="${y}">${escapeXml(s.label)}</text>`,
    );
    x -= 40;
  }
  return `<g class="legend">${items.join('')}</g>`;
};

const renderPanel = (panel: Panel, result: SimulationResult, ticks: readonly number[]): string => {
  const x = xScale(result.durationSeconds);
  const values = result.samples.flatMap((s, i) => panel.series.map((ser) => ser.value(s, i)));
  const dataMax = values.reduce((max, v) => Math.max(max, v), 1);
  const log = panel.logWhenSkewed === true && skewed(values);
  const { axis, scale } = log ? logAxis(dataMax) : linearAxis(dataMax, panel.integer);
  const y = (v: number): number => panel.top + panel.height - scale(v) * panel.height;
  const label = log ? `${panel.label.replace(/\)$/, '')}, log scale)` : panel.label;
  const bottom = panel.top + panel.height;
  const parts: string[] = [
    `<rect x="${LEFT}" y="${panel.top}" width="${RIGHT - LEFT}" height="${panel.height}" fill="#fff" stroke="#c8c8c8"/>`,
    ...ticks.map((t) => `<line x1="${num(x(t))}" y1="${panel.top}" x2="${num(x(t))}" y2="${bottom}" stroke="#efefef"/>`),
    ...axis.ticks.flatMap((v) => [
      `<line x1="${LEFT}" y1="${num(y(v))}" x2="${RIGHT}" y2="${num(y(v))}" stroke="#e6e6e6"/>`,
      `<line x1="${LEFT - 4}" y1="${num(y(v))}" x2="${LEFT}" y2="${num(y(v))}" stroke="#888"/>`,
      `<text x="${LEFT - 7}" y="${num(y(v))}" dy="0.32em" text-anchor="end" fill="#444">${tickLabel(v)}</text>`,
    ]),
    `<text transform="translate(18 ${num(panel.top + panel.height / 2)}) rotate(-90)" text-anchor="middle" fill="#222">${escapeXml(label)}</text>`,
  ];
  const ref = panel.reference;
  if (ref !== undefined && ref.value <= axis.max) {
    parts.push(
      `<line x1="${LEFT}" y1="${num(y(ref.value))}" x2="${RIGHT}" y2="${num(y(ref.value))}" stroke="#b0b0b0" stroke-dasharray="2 4"/>`,
      `<text x="${LEFT + 6}" y="${num(y(ref.value) - 4)}" fill="#888" font-size="11">${escapeXml(`${ref.label} ${ref.value}`)}</text>`,
    );
  }
  for (const s of panel.series) {
    const points = pointsOf(result.samples, s, x, y);
    parts.push(`<polyline class="series" data-series="${escapeXml(s.label)}" fill="none" stroke="${s.color}"${strokeStyle(s, 2)} stroke-linejoin="round" points="${points}"/>`);
  }
  parts.push(legend(panel));
  return `<g class="panel" aria-label="${escapeXml(label)}">${parts.join('\n')}</g>`;
};

const subtitle = (result: SimulationResult): string => {
  const spec = result.scaledObject.spec;
  const w = result.workload;
  const target = findQueueTrigger(result.scaledObject)?.trigger.target;
  return [
    // npm start invokes the handler more often than the manifest's pollingInterval: say both.
    spec.pollingInterval === result.pollingIntervalSeconds
      ? `pollingInterval ${spec.pollingInterval}s`
      : `pollingInterval ${spec.pollingInterval}s, evaluated every ${result.pollingIntervalSeconds}s`,
    `cooldownPeriod ${spec.cooldownPeriod}s`,
    target === undefined ? 'no trigger reads the queue' : `queue target ${num(target)}/replica`,
    `replicas ${spec.minReplicaCount}–${spec.maxReplicaCount}`,
    `${num(w.processRatePerReplica)} msg/s per replica, ${formatDuration(w.processingSeconds)} each`,
    `start-up ${formatDuration(w.startupSeconds)}`,
  ]
    .filter((p) => p !== '')
    .join(' · ');
};

/** A smaller font when the subtitle would run past the right edge at 12 px. */
const subtitleSize = (text: string): string => (text.length * CHAR_WIDTH > RIGHT - LEFT ? ' font-size="10.5"' : '');

/**
 * Renders a run as an SVG document (starts with `<svg`, no XML prolog, so it can be inlined too).
 *
 * @example
 * await writeFile('out/simulation.svg', renderSvg(result, { scenario: 'burst' }));
 * renderSvg(result, { compare: kedaResult }) // KEDA + HPA's desired replicas beside LPA's
 */
const renderSvg = (
  result: SimulationResult,
  options: { readonly scenario?: string; readonly timeLabel?: string; readonly signal?: SignalLabels; readonly compare?: SimulationResult } = {},
): string => {
  const { name, namespace } = result.scaledObject.metadata;
  const title = `ScaledObject ${namespace}/${name}${options.scenario === undefined ? '' : ` — scenario "${options.scenario}"`}`;
  const ticks = timeTicks(result.durationSeconds, 12);
  const panels = panelsFor(result, options.signal, options.compare);
  const last = panels.at(-1);
  const axisY = (last?.top ?? 0) + (last?.height ?? 0);
  const x = xScale(result.durationSeconds);
  const unit = clockFormat(result.durationSeconds);
  const sub = options.signal?.subtitle ?? subtitle(result);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="${FONT}" font-size="12">`,
    `<title>${escapeXml(`lpa simulate: ${title}`)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fafafa"/>`,
    `<text x="${LEFT}" y="28" font-size="17" font-weight="600" fill="#111">${escapeXml(title)}</text>`,
    `<text x="${LEFT}" y="50" fill="#555"${subtitleSize(sub)}>${escapeXml(sub)}</text>`,
    ...panels.map((p) => renderPanel(p, result, ticks)),
    ...ticks.map(
      (t) =>
        `<text x="${num(x(t))}" y="${axisY + 18}" text-anchor="middle" fill="#444">${formatClock(t, unit)}</text>`,
    ),
    `<text x="${num((LEFT + RIGHT) / 2)}" y="${axisY + 42}" text-anchor="middle" fill="#222">${escapeXml(options.timeLabel ?? 'simulated time')} (${unit})</text>`,
    '</svg>',
    '',
  ].join('\n');
};

export { escapeXml, renderSvg };
export type { SignalLabels };
