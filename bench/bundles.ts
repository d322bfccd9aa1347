/**
 * Each handler's bundle (esbuild, minified, ESM, node22) and its cold import time in a fresh Node
 * process. `@aws-sdk/*` is left to the Lambda runtime (CDK NodejsFunction's default), so the
 * figure is LPA's own code plus middy, Powertools, zod, undici and the rest. Budget (DESIGN.md §5):
 * ≤ 500 KB minified, cold import ≤ 100 ms.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { HANDLERS, LPA_BUNDLE, handlerEntry } from '../infra/bundling.js';
import type { HandlerName } from '../infra/bundling.js';

const OUT = resolve('out/bundles');
const SIZE_BUDGET = 500 * 1024;
const IMPORT_BUDGET_MS = 100;
const RUNS = 5;

/** The construct's bundling (infra/bundling.ts) through esbuild's API. */
const bundleOptions = (name: HandlerName) => ({
  entryPoints: [resolve(handlerEntry(name))],
  outfile: join(OUT, `${name}.mjs`),
  bundle: true,
  minify: LPA_BUNDLE.minify,
  format: LPA_BUNDLE.format,
  platform: 'node' as const,
  target: LPA_BUNDLE.target,
  mainFields: [...LPA_BUNDLE.mainFields],
  external: [...LPA_BUNDLE.external],
  banner: { js: LPA_BUNDLE.banner },
  logLevel: 'silent' as const,
});

/** Imports the bundle in a fresh process and prints how long the import took. */
const importProbe = (file: string): string => `
  const t0 = performance.now();
  await import(${JSON.stringify(file)});
  console.log((performance.now() - t0).toFixed(1));
`;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

mkdirSync(OUT, { recursive: true });
for (const name of HANDLERS) {
  await build(bundleOptions(name));
  const file = join(OUT, `${name}.mjs`);
  const size = statSync(file).size;
  const probe = join(OUT, `${name}.probe.mjs`);
  writeFileSync(probe, importProbe(file));
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = spawnSync(process.execPath, [probe], { encoding: 'utf8', env: { ...process.env, LPA_TABLE_NAME: 'bench', AWS_REGION: 'eu-west-1' } });
    if (run.status !== 0) throw new Error(`importing ${file} failed: ${run.stderr}`);
    times.push(Number(run.stdout.trim()));
  }
  const ms = median(times);
  console.log(
    `bundle ${name}: ${(size / 1024).toFixed(1)} KB minified (budget ${SIZE_BUDGET / 1024} KB${size <= SIZE_BUDGET ? '' : ', OVER'}), cold import median ${ms.toFixed(1)} ms of ${RUNS} (budget ${IMPORT_BUDGET_MS} ms${ms <= IMPORT_BUDGET_MS ? '' : ', OVER'})`,
  );
}
