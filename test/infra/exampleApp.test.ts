/**
 * The example app through the real CLI: `cdk synth` (cdk.json's app command in a child process),
 * real bundling by the local esbuild (no Docker), cdk-nag and CloudFormation's own template
 * validation. Offline: nothing here reaches beyond this machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LPA_BUNDLE } from '../../infra/bundling.js';
import { EXAMPLE_MANIFESTS, RBAC_FILE } from '../../infra/exampleApp.js';
import { runLpa } from '../helpers/cli.js';

const BUNDLE_BUDGET = 500 * 1024; // DESIGN.md §5

interface Synth {
  readonly status: number | null;
  readonly stderr: string;
  readonly outdir: string;
}

let synth: Synth;

/** `cdk synth` bundles both handlers: over a minute on a busy 2-core machine. Only a hang fails it. */
const SYNTH_HANG_MS = 600_000;

beforeAll(() => {
  const outdir = mkdtempSync(join(tmpdir(), 'lpa-cdk-out-'));
  const cdk = join('node_modules', '.bin', 'cdk');
  const run = spawnSync(cdk, ['synth', '--output', outdir, '--quiet', '--no-notices', '--no-version-reporting'], {
    encoding: 'utf8',
    timeout: SYNTH_HANG_MS,
    env: { ...process.env, CI: 'true' },
  });
  synth = { status: run.status, stderr: run.stderr, outdir };
}, SYNTH_HANG_MS + 15_000);

const assetDirs = (): string[] =>
  readdirSync(synth.outdir)
    .filter((name) => name.startsWith('asset.') && statSync(join(synth.outdir, name)).isDirectory())
    .map((name) => join(synth.outdir, name));

describe('Example app: npx cdk synth', () => {
  it('synthesizes offline without errors', () => {
    expect(synth.stderr).not.toMatch(/Error/);
    expect(synth.status).toBe(0);
    const template = JSON.parse(readFileSync(join(synth.outdir, 'LpaExample.template.json'), 'utf8'));
    expect(Object.values(template.Resources).filter((r) => (r as { Type: string }).Type === 'AWS::Lambda::Function')).toHaveLength(2);
  });

  it('bundles both handlers with the local esbuild, as ESM with the shared banner, within the size budget', () => {
    const bundles = assetDirs().map((dir) => join(dir, 'index.mjs'));
    expect(bundles).toHaveLength(2);
    for (const bundle of bundles) {
      expect(readFileSync(bundle, 'utf8').startsWith(LPA_BUNDLE.banner)).toBe(true);
      expect(statSync(bundle).size).toBeLessThanOrEqual(BUNDLE_BUDGET);
    }
  });

  it('passes cdk-nag with nothing left unacknowledged', () => {
    const report = JSON.parse(readFileSync(join(synth.outdir, 'validation-report.json'), 'utf8'));
    const nag = report.pluginReports.find((p: { pluginName: string }) => p.pluginName === 'AwsSolutions');
    expect(nag).toMatchObject({ conclusion: 'success', violations: [] });
  });

  it('writes the RBAC file, the same YAML `lpa rbac` prints for the same manifests', () => {
    const cli = runLpa(['rbac', ...EXAMPLE_MANIFESTS]);
    expect(cli.status).toBe(0);
    expect(readFileSync(join(synth.outdir, RBAC_FILE), 'utf8')).toBe(cli.stdout);
  });
});
