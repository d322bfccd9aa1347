/**
 * The flags of `lpa simulate`, parsed and checked into one request. Every rule lives here, so
 * a bad flag is caught before anything is read or run, with a message that names the flag.
 */
import { parseArgs } from 'node:util';
import { errorMessage, LpaError } from '../errors.js';
import { parseDuration } from './duration.js';
import { findScenario, scenarioNames } from './scenarios.js';
import type { Scenario } from './scenarios.js';
import { parseArrivals } from './workload.js';
import type { Workload } from './workload.js';

interface SimulateRequest {
  readonly scenario: Scenario;
  /** A ScaledObject YAML replacing the scenario's own (the scenario still supplies the workload). */
  readonly manifestPath?: string;
  readonly workload: Workload;
  readonly durationSeconds: number;
  readonly rowEverySeconds: number;
  readonly outPath?: string;
  readonly json: boolean;
  /** Also run the workload through this autoscaler's timing, drawn and summarised beside LPA's. */
  readonly compare?: Comparison;
}

/** Autoscalers `--compare` can run beside LPA. */
const COMPARISONS = ['keda'] as const;
type Comparison = (typeof COMPARISONS)[number];

type FlagsResult =
  | { readonly kind: 'run'; readonly request: SimulateRequest }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

const DEFAULT_SCENARIO = 'burst';
// A week is 604,800 one-second steps: still a few seconds of wall time, and longer says nothing new.
const MAX_DURATION_SECONDS = 7 * 86_400;
const MAX_STARTUP_SECONDS = 3_600;
// The in-flight ring holds one slot per second of processing time.
const MAX_PROCESSING_SECONDS = 3_600;

const USAGE = `Usage: lpa simulate [flags]

Runs one ScaledObject against a simulated SQS queue in virtual time, with the same engine the
Lambda runs, and prints a table (time, arrivals/s, queue, replicas, reason) and a summary. When the
replicas oscillate, the summary says so and suggests a scale-down stabilization window seen to damp
them (the run is repeated with a few).

Flags:
  --scenario NAME     built-in workload + manifest: ${scenarioNames().join(', ')} (default ${DEFAULT_SCENARIO})
  --manifest FILE     a ScaledObject YAML to simulate instead of the scenario's (one ScaledObject)
  --duration DUR      how long to simulate, up to 7d (default: the scenario's)
  --arrivals SPEC     arrivals as TIME:RATE pairs in msg/s, e.g. "0:0,5m:50,15m:0"
  --process-rate N    messages one Ready replica handles per second
  --processing-time DUR
                      how long one message stays in flight, receive to delete (at least 1s);
                      a busy replica holds process-rate × processing-time messages in flight
  --startup DUR       pod start-up delay, from requested to Ready (e.g. 30s)
  --every DUR         time between table rows (default 1m; day: 10m)
  --out FILE.svg      write an SVG chart there (missing directories are created); without it, no chart
  --compare keda      also run the workload through KEDA + HPA's timing (operator poll every
                      pollingInterval, HPA sync every 15 s): both on the chart and the table, and
                      time to first replica, backlog and pod-hours of each in the summary
  --json              print summary, scale changes and rows as JSON instead of the table
  -h, --help          show this help

Scenarios:
${scenarioNames()
  .map((name) => `  ${name.padEnd(8)} ${findScenario(name)?.description ?? ''}`)
  .join('\n')}

Durations: 90 (seconds), 90s, 5m, 1h30m, 1d.
Exit codes: 0 done, 1 unreadable or invalid manifest or engine error, 2 bad flags.
`;

const OPTIONS = {
  scenario: { type: 'string' },
  manifest: { type: 'string' },
  duration: { type: 'string' },
  arrivals: { type: 'string' },
  'process-rate': { type: 'string' },
  'processing-time': { type: 'string' },
  startup: { type: 'string' },
  every: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  compare: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A flag that breaks a rule; thrown by the checks below and turned into exit code 2 by the command. */
class FlagError extends LpaError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FlagError';
  }
}

interface DurationRange {
  /** Used when the flag is absent. */
  readonly fallback: number;
  readonly min: number;
  readonly max: number;
}

/** A duration flag within [min, max] seconds. */
const durationFlag = (flag: string, text: string | undefined, { fallback, min, max }: DurationRange): number => {
  if (text === undefined) return fallback;
  const seconds = parseDuration(text);
  if (seconds === undefined) throw new FlagError(`--${flag} "${text}" is not a duration (e.g. 90s, 5m, 1h30m)`);
  if (seconds < min || seconds > max) throw new FlagError(`--${flag} ${text} is out of range (${min}s to ${max}s)`);
  return seconds;
};

const rateFlag = (text: string | undefined, fallback: number): number => {
  if (text === undefined) return fallback;
  const rate = Number(text);
  if (text.trim() === '' || !Number.isFinite(rate) || rate <= 0) {
    throw new FlagError(`--process-rate "${text}" must be a number of messages per second > 0`);
  }
  return rate;
};

const isComparison = (text: string): text is Comparison => (COMPARISONS as readonly string[]).includes(text);

const readFlags = (args: readonly string[]) => {
  try {
    return parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    // node:util's messages already name the flag ("Unknown option '--foo'", "argument missing").
    throw new FlagError(errorMessage(error), { cause: error });
  }
};

const toRequest = (values: ReturnType<typeof readFlags>): SimulateRequest => {
  const scenarioName = values.scenario ?? DEFAULT_SCENARIO;
  const scenario = findScenario(scenarioName);
  if (scenario === undefined) throw new FlagError(`--scenario "${scenarioName}" is not one of ${scenarioNames().join(', ')}`);
  const out = values.out;
  if (out !== undefined && !out.toLowerCase().endsWith('.svg')) {
    throw new FlagError(`--out "${out}" must name an .svg file (the chart is SVG)`);
  }
  const arrivals = values.arrivals === undefined ? undefined : parseArrivals(values.arrivals);
  if (arrivals?.ok === false) throw new FlagError(`--arrivals: ${arrivals.message}`);
  const compare = values.compare;
  if (compare !== undefined && !isComparison(compare)) throw new FlagError(`--compare "${compare}" is not one of: ${COMPARISONS.join(', ')}`);
  const w = scenario.workload;
  return {
    scenario,
    ...(values.manifest === undefined ? {} : { manifestPath: values.manifest }),
    workload: {
      arrivals: arrivals?.segments ?? w.arrivals,
      processRatePerReplica: rateFlag(values['process-rate'], w.processRatePerReplica),
      processingSeconds: durationFlag('processing-time', values['processing-time'], {
        fallback: w.processingSeconds,
        min: 1,
        max: MAX_PROCESSING_SECONDS,
      }),
      startupSeconds: durationFlag('startup', values.startup, { fallback: w.startupSeconds, min: 0, max: MAX_STARTUP_SECONDS }),
    },
    durationSeconds: durationFlag('duration', values.duration, { fallback: scenario.durationSeconds, min: 1, max: MAX_DURATION_SECONDS }),
    rowEverySeconds: durationFlag('every', values.every, { fallback: scenario.rowEverySeconds, min: 1, max: MAX_DURATION_SECONDS }),
    ...(out === undefined ? {} : { outPath: out }),
    json: values.json === true,
    ...(compare === undefined ? {} : { compare }),
  };
};

/**
 * Parses `lpa simulate` arguments into a request, `help`, or the first problem in words.
 *
 * @example parseSimulateFlags(['--scenario', 'day', '--duration', '2h']) // { kind: 'run', request: … }
 */
const parseSimulateFlags = (args: readonly string[]): FlagsResult => {
  try {
    const values = readFlags(args);
    if (values.help === true) return { kind: 'help' };
    return { kind: 'run', request: toRequest(values) };
  } catch (error) {
    if (error instanceof FlagError) return { kind: 'error', message: error.message };
    throw error;
  }
};

export { parseSimulateFlags, USAGE };
export type { Comparison, FlagsResult, SimulateRequest };
