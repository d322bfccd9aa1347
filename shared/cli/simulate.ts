/**
 * `lpa simulate`: one ScaledObject against a simulated SQS queue, in virtual time, with the real
 * engine. Prints a table and a summary (or JSON) and can write an SVG chart.
 *
 * Exit codes: 0 done; 1 the manifest could not be read or is invalid, or the engine failed;
 * 2 bad flags (the message says which).
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { decide } from '../engine/decide.js';
import { errorMessage } from '../errors.js';
import { DEFAULT_HPA_PHASE_SECONDS, kedaController } from '../sim/kedaTiming.js';
import { runSimulation, SimulationError } from '../sim/loop.js';
import type { DecideFn, SimulationResult } from '../sim/loop.js';
import { loadManifest } from '../sim/manifest.js';
import { analyzeOscillation } from '../sim/oscillation.js';
import type { Oscillation } from '../sim/oscillation.js';
import type { ManifestResult } from '../sim/manifest.js';
import { scenarioNames } from '../sim/scenarios.js';
import { findQueueTrigger } from '../sim/signals.js';
import { renderSvg } from '../sim/svg.js';
import { formatComparison, formatSummary, formatTable } from '../sim/table.js';
import { parseSimulateFlags, USAGE } from '../sim/flags.js';
import type { SimulateRequest } from '../sim/flags.js';
import type { CliIO, Command } from './io.js';

interface SimulateDeps {
  readonly decide: DecideFn;
  readonly loadManifest: (text: string, source: string) => ManifestResult;
  /** Creates a directory and its parents; the CLI's io has no such call, and `--out out/x.svg` must just work. */
  readonly mkdirp: (path: string) => Promise<void>;
}

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

const defaultDeps: SimulateDeps = {
  decide,
  loadManifest,
  mkdirp: async (path) => {
    await mkdir(path, { recursive: true });
  },
};

const readScaledObject = async (request: SimulateRequest, io: CliIO, deps: SimulateDeps): Promise<ManifestResult> => {
  if (request.manifestPath === undefined) return deps.loadManifest(request.scenario.manifest, `scenario:${request.scenario.name}`);
  try {
    return deps.loadManifest(await io.readFile(request.manifestPath, { limited: true }), request.manifestPath);
  } catch (error) {
    const detail = errorMessage(error);
    return { ok: false, messages: [`lpa simulate: cannot read ${request.manifestPath}: ${detail}`], warnings: [] };
  }
};

/** The runs a request asks for: LPA's, and KEDA + HPA's when `--compare keda`. */
interface Runs {
  readonly lpa: SimulationResult;
  readonly oscillation: Oscillation;
  readonly keda?: SimulationResult;
}

const toJson = ({ lpa: result, oscillation, keda }: Runs, request: SimulateRequest, chart: string | undefined): string => {
  const { name, namespace } = result.scaledObject.metadata;
  const document = {
    scenario: request.scenario.name,
    scaledObject: { namespace, name },
    durationSeconds: result.durationSeconds,
    pollingIntervalSeconds: result.pollingIntervalSeconds,
    workload: result.workload,
    summary: result.summary,
    oscillation,
    changes: result.changes,
    rows: result.rows,
    ...(keda === undefined
      ? {}
      : { compare: { keda: { hpaPhaseSeconds: DEFAULT_HPA_PHASE_SECONDS, summary: keda.summary, changes: keda.changes, desired: keda.rows.map((r) => r.desired) } } }),
    ...(chart === undefined ? {} : { chart }),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
};

const writeChart = async (runs: Runs, request: SimulateRequest, io: CliIO, deps: SimulateDeps): Promise<string | undefined> => {
  const out = request.outPath;
  if (out === undefined) return undefined;
  await deps.mkdirp(dirname(out));
  await io.writeFile(out, renderSvg(runs.lpa, { scenario: request.scenario.name, ...(runs.keda === undefined ? {} : { compare: runs.keda }) }));
  return out;
};

const run = async (request: SimulateRequest, io: CliIO, deps: SimulateDeps): Promise<number> => {
  const manifest = await readScaledObject(request, io, deps);
  for (const warning of manifest.warnings) io.stderr(`lpa simulate: warning: ${warning}\n`);
  if (!manifest.ok) {
    for (const message of manifest.messages) io.stderr(`${message}\n`);
    return EXIT_FAILED;
  }
  if (findQueueTrigger(manifest.scaledObject) === undefined) {
    // Not an error: a cron-only object still simulates, but the queue then drives nothing.
    io.stderr('lpa simulate: warning: no aws-sqs-queue trigger (nor an AWS/SQS CloudWatch one): the queue drives no trigger, every trigger reads 0\n');
  }
  let runs: Runs;
  try {
    const arg = {
      scaledObject: manifest.scaledObject,
      workload: request.workload,
      durationSeconds: request.durationSeconds,
      rowEverySeconds: request.rowEverySeconds,
      decide: deps.decide,
    };
    const lpa = runSimulation(arg);
    const keda = request.compare === 'keda' ? runSimulation({ ...arg, controller: kedaController() }) : undefined;
    runs = { lpa, oscillation: analyzeOscillation(arg, lpa), ...(keda === undefined ? {} : { keda }) };
  } catch (error) {
    if (!(error instanceof SimulationError)) throw error;
    io.stderr(`lpa simulate: ${error.message}\n`);
    return EXIT_FAILED;
  }
  const chart = await writeChart(runs, request, io, deps);
  if (request.json) {
    io.stdout(toJson(runs, request, chart));
    return EXIT_OK;
  }
  io.stdout(formatTable(runs.lpa, runs.keda));
  io.stdout(`\n${formatSummary(runs.lpa, runs.oscillation)}`);
  if (runs.keda !== undefined) io.stdout(`\n${formatComparison(runs.lpa, runs.keda, DEFAULT_HPA_PHASE_SECONDS)}`);
  io.stdout(
    chart === undefined
      ? `\nNo chart written: add --out FILE.svg to write one (e.g. --out out/${request.scenario.name}.svg), then open it in a browser.\n`
      : `\nChart: ${chart} (open it in a browser)\n`,
  );
  return EXIT_OK;
};

/**
 * Builds the command with its collaborators, so tests can pass a fake engine and file system.
 *
 * @example
 * const code = await createSimulateCommand({ decide: fakeDecide })(['--scenario', 'burst'], io);
 */
const createSimulateCommand =
  (overrides: Partial<SimulateDeps> = {}): Command =>
  async (args, io) => {
    const deps = { ...defaultDeps, ...overrides };
    const parsed = parseSimulateFlags(args);
    if (parsed.kind === 'help') {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    if (parsed.kind === 'error') {
      io.stderr(`lpa simulate: ${parsed.message}\nRun \`lpa simulate --help\` for the flags (scenarios: ${scenarioNames().join(', ')}).\n`);
      return EXIT_USAGE;
    }
    return run(parsed.request, io, deps);
  };

/** The command `main.ts` registers as `simulate`. */
const simulateCommand: Command = createSimulateCommand();

export { createSimulateCommand, simulateCommand };
export type { SimulateDeps };
