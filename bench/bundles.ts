/**
 * Each handler's bundle (esbuild, minified, ESM, node22) and its cold import time in a fresh Node
 * process. `@aws-sdk/*` is left to the Lambda runtime (CDK NodejsFunction's default), so the
 * figure is LPA's own code plus middy, Powertools, zod and the rest. Budget (DESIGN.md §5):
 * ≤ 500 KB minified, cold import ≤ 100 ms.
 *
 * The import runs on the project's Node (node_modules/node, the Lambda runtime's major, installed by
 * `npm ci`) when present, else on the Node running this script; the line says which. Node 22 costs
 * more than Node 20 here (e.g. a static import of node:http loads undici), so the budget is measured
 * where it applies.
 *
 * `--baseline <git ref>` also builds the handlers as they were at that commit (from `git archive`,
 * into out/baseline/) and alternates their runs with the current ones, so both medians see the same
 * machine load: e.g. `node --import tsx bench/bundles.ts --baseline HEAD~3`.
 *
 * Schemas are built on first use, so the import alone no longer shows what they cost a cold start: a
 * last line times the scaler's cold import followed by the first parse of a tick's event
 * (events/scheduled-tick.json), the same bundle with `resolveScaleGroup` exported beside the handler.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { HANDLERS, LPA_BUNDLE, handlerEntry } from '../infra/bundling.js';
import type { HandlerName } from '../infra/bundling.js';

const OUT = resolve('out/bundles');
const SIZE_BUDGET = 500 * 1024;
const IMPORT_BUDGET_MS = 100;
const RUNS = 5;
const PROJECT_NODE = resolve('node_modules/node/bin/node');
const FIRST_EVENT = resolve('events/scheduled-tick.json');

const { values: args } = parseArgs({ options: { baseline: { type: 'string' }, runs: { type: 'string' } } });
const runs = args.runs === undefined ? RUNS : Number(args.runs);
const node = existsSync(PROJECT_NODE) ? PROJECT_NODE : process.execPath;
const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();

interface Variant {
  readonly label: string;
  /** Where `functions/` and `infra/bundling.ts` of this variant are. */
  readonly root: string;
  readonly bundling: Pick<typeof import('../infra/bundling.js'), 'LPA_BUNDLE' | 'handlerEntry'>;
  readonly out: string;
}

/** The construct's bundling (infra/bundling.ts) through esbuild's API; `outName` for another entry than the handler's. */
const bundleOptions = (variant: Variant, name: HandlerName, entryPoint = resolve(variant.root, variant.bundling.handlerEntry(name)), outName: string = name) => {
  const { LPA_BUNDLE: options } = variant.bundling;
  return {
    entryPoints: [entryPoint],
    outfile: join(variant.out, `${outName}.mjs`),
    bundle: true,
    minify: options.minify,
    format: options.format,
    platform: 'node' as const,
    target: options.target,
    mainFields: [...options.mainFields],
    external: [...options.external],
    banner: { js: options.banner },
    logLevel: 'silent' as const,
  };
};

/** Imports the bundle in a fresh process and prints how long the import took. */
const importProbe = (file: string): string => `
  const t0 = performance.now();
  await import(${JSON.stringify(file)});
  console.log((performance.now() - t0).toFixed(1));
`;

/** Imports the bundle, parses the tick's event with it and prints how long both took. */
const firstParseProbe = (file: string): string => `
  import { readFileSync } from 'node:fs';
  const event = JSON.parse(readFileSync(${JSON.stringify(FIRST_EVENT)}, 'utf8'));
  const t0 = performance.now();
  const { resolveScaleGroup } = await import(${JSON.stringify(file)});
  resolveScaleGroup(event);
  console.log((performance.now() - t0).toFixed(1));
`;

interface Probe {
  readonly variant: Variant;
  readonly file: string;
  readonly probe: string;
  readonly times: number[];
}

/** Runs every probe `runs` times, alternating: a busy moment of the machine costs every variant alike. */
const runAlternating = (probes: readonly Probe[]): void => {
  for (let i = 0; i < runs; i++) {
    for (const p of probes) {
      const run = spawnSync(node, [p.probe], { encoding: 'utf8', env: { ...process.env, LPA_TABLE_NAME: 'bench', AWS_REGION: 'eu-west-1' } });
      if (run.status !== 0) throw new Error(`importing ${p.file} failed: ${run.stderr}`);
      p.times.push(Number(run.stdout.trim()));
    }
  }
};

const labelOf = (variant: Variant): string => (variant.label === '' ? '' : ` (${variant.label})`);

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** The handlers as they were at `ref`, extracted under out/ so that they resolve this checkout's node_modules. */
const baselineVariant = async (ref: string): Promise<Variant> => {
  const sha = execFileSync('git', ['rev-parse', '--short', ref], { encoding: 'utf8' }).trim();
  const root = resolve('out/baseline', sha);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${sha} shared functions infra | tar -x -C "${root}"`]);
  return { label: `at ${sha}`, root, bundling: (await import(join(root, 'infra/bundling.ts'))) as Variant['bundling'], out: join(root, 'out') };
};

const variants: Variant[] = [
  ...(args.baseline === undefined ? [] : [await baselineVariant(args.baseline)]),
  { label: args.baseline === undefined ? '' : 'now', root: resolve('.'), bundling: { LPA_BUNDLE, handlerEntry }, out: OUT },
];

console.log(`cold imports on Node ${nodeVersion} (${node === PROJECT_NODE ? "the project's, node_modules/node" : 'the one running the bench: node_modules/node is missing'}), median of ${runs} fresh processes`);
for (const name of HANDLERS) {
  const probes = await Promise.all(
    variants.map(async (variant) => {
      mkdirSync(variant.out, { recursive: true });
      await build(bundleOptions(variant, name));
      const file = join(variant.out, `${name}.mjs`);
      const probe = join(variant.out, `${name}.probe.mjs`);
      writeFileSync(probe, importProbe(file));
      return { variant, file, probe, size: statSync(file).size, times: [] as number[] };
    }),
  );
  runAlternating(probes);
  for (const { variant, size, times } of probes) {
    const ms = median(times);
    console.log(
      `bundle ${name}${labelOf(variant)}: ${(size / 1024).toFixed(1)} KB minified (budget ${SIZE_BUDGET / 1024} KB${size <= SIZE_BUDGET ? '' : ', OVER'}), cold import median ${ms.toFixed(1)} ms of ${runs} (budget ${IMPORT_BUDGET_MS} ms${ms <= IMPORT_BUDGET_MS ? '' : ', OVER'}) [${times.join(', ')}]`,
    );
  }
}

const firstParse = await Promise.all(
  variants.map(async (variant): Promise<Probe> => {
    const entry = join(variant.out, 'scaler-first-parse.ts');
    writeFileSync(entry, `export { handler } from ${JSON.stringify(resolve(variant.root, variant.bundling.handlerEntry('scaler')))};\nexport { resolveScaleGroup } from ${JSON.stringify(resolve(variant.root, 'shared/app/scaleGroup.ts'))};\n`);
    await build(bundleOptions(variant, 'scaler', entry, 'scaler-first-parse'));
    const file = join(variant.out, 'scaler-first-parse.mjs');
    const probe = join(variant.out, 'scaler-first-parse.probe.mjs');
    writeFileSync(probe, firstParseProbe(file));
    return { variant, file, probe, times: [] };
  }),
);
runAlternating(firstParse);
const groupSize = (JSON.parse(readFileSync(FIRST_EVENT, 'utf8')) as { scaledObjects: unknown[] }).scaledObjects.length;
for (const { variant, times } of firstParse) {
  console.log(`scaler cold import + first parse of events/scheduled-tick.json, ${groupSize} objects${labelOf(variant)}: median ${median(times).toFixed(1)} ms of ${runs} [${times.join(', ')}]`);
}
