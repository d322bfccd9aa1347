import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../../shared/cli/io.js';
import { createSimulateCommand } from '../../../shared/cli/simulate.js';
import type { ManifestResult } from '../../../shared/sim/manifest.js';
import { parseSimulateFlags } from '../../../shared/sim/flags.js';
import { cronTrigger, proportionalDecide, scaledObject } from './fixtures.js';

/** An io that keeps everything in memory. */
const memoryIO = (files: Record<string, string> = {}) => {
  const out: string[] = [];
  const err: string[] = [];
  const written = new Map<string, string>();
  const io: CliIO = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
      return text;
    },
    writeFile: async (path, content) => {
      written.set(path, content);
    },
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join(''), written };
};

const okManifest = (): ManifestResult => ({ ok: true, scaledObject: scaledObject({ maxReplicaCount: 30 }), warnings: [] });

/** The command with a fake engine and parser, so these tests exercise only the CLI. */
const command = (loadManifest: (text: string, source: string) => ManifestResult = okManifest) => {
  const made: string[] = [];
  const run = createSimulateCommand({
    decide: proportionalDecide(10, 30).decide,
    loadManifest,
    mkdirp: async (dir) => {
      made.push(dir);
    },
  });
  return { run, made };
};

describe('Command: lpa simulate (flags)', () => {
  it.each([
    ['an unknown flag', ['--colour'], /--colour/],
    ['a missing value', ['--out'], /--out/],
    ['a positional argument', ['burst'], /burst/],
    ['an unknown scenario', ['--scenario', 'tsunami'], /--scenario "tsunami" is not one of burst, day, steady/],
    ['a bad duration', ['--duration', 'soon'], /--duration "soon" is not a duration/],
    ['a duration over a week', ['--duration', '8d'], /--duration 8d is out of range/],
    ['a zero duration', ['--duration', '0'], /out of range/],
    ['a zero process rate', ['--process-rate', '0'], /--process-rate "0" must be a number/],
    ['a non-numeric process rate', ['--process-rate', 'fast'], /--process-rate/],
    ['a bad start-up delay', ['--startup', '-3s'], /--startup/],
    ['a processing time under a second', ['--processing-time', '0s'], /--processing-time 0s is out of range/],
    ['bad arrivals', ['--arrivals', '0:1,1m'], /--arrivals: "1m" is not TIME:RATE/],
    ['a chart that is not SVG', ['--out', 'chart.png'], /--out "chart.png" must name an .svg file/],
  ])('exits 2 and names the problem for %s', async (_name, args, message) => {
    // Prepare
    const { io, stderr, stdout } = memoryIO();

    // Act
    const code = await command().run(args, io);

    // Assess
    expect(code).toBe(2);
    expect(stderr()).toMatch(message);
    expect(stdout()).toBe('');
  });

  it('prints the usage and exits 0 on --help', async () => {
    // Prepare
    const { io, stdout } = memoryIO();

    // Act
    const code = await command().run(['--help'], io);

    // Assess
    expect(code).toBe(0);
    expect(stdout()).toContain('Usage: lpa simulate [flags]');
  });

  it('applies workload overrides on top of the scenario', () => {
    // Act
    const parsed = parseSimulateFlags(['--scenario', 'steady', '--arrivals', '0:5', '--process-rate', '2.5', '--processing-time', '8s', '--startup', '1m', '--duration', '2h']);

    // Assess
    expect(parsed.kind === 'run' && parsed.request).toMatchObject({
      scenario: { name: 'steady' },
      workload: { arrivals: [{ fromSecond: 0, ratePerSecond: 5 }], processRatePerReplica: 2.5, processingSeconds: 8, startupSeconds: 60 },
      durationSeconds: 7_200,
    });
  });
});

describe('Command: lpa simulate --compare', () => {
  it('rejects an autoscaler it cannot compare with, naming the ones it can', async () => {
    const { io, stderr } = memoryIO();
    const code = await command().run(['--compare', 'hpa'], io);
    expect(code).toBe(2);
    expect(stderr()).toContain('--compare "hpa" is not one of: keda');
  });

  it('runs KEDA + HPA beside LPA: a column, a comparison in the summary, and both on the chart', async () => {
    // Prepare
    const { io, stdout, written } = memoryIO();

    // Act
    const code = await command().run(['--compare', 'keda', '--out', 'out/burst.svg'], io);

    // Assess
    expect(code).toBe(0);
    expect(stdout()).toMatch(/^time \(mm:ss\) .* desired {2}keda desired {2}ready/);
    expect(stdout()).toContain('Compared with KEDA + HPA: operator poll every 30s, HPA sync every 15s from second 7');
    expect(stdout()).toMatch(/time to first replica {2}\S+ +\S+/);
    expect(written.get('out/burst.svg')).toContain('data-series="KEDA + HPA desired"');
  });

  it('adds the KEDA + HPA run to the JSON document', async () => {
    const { io, stdout } = memoryIO();
    await command().run(['--compare', 'keda', '--json'], io);
    const document = JSON.parse(stdout()) as { compare?: { keda?: { summary?: { backlogSeconds?: number } } } };
    expect(document.compare?.keda?.summary?.backlogSeconds).toBeGreaterThan(0);
  });
});

describe('Command: lpa simulate (runs)', () => {
  it('prints the table and summary, writes the chart and creates its directory', async () => {
    // Prepare
    const { io, stdout, written } = memoryIO();
    const cli = command();

    // Act
    const code = await cli.run(['--scenario', 'burst', '--out', 'out/sims/burst.svg'], io);

    // Assess
    expect(code).toBe(0);
    expect(stdout()).toMatch(/^time \(mm:ss\) {2}arrivals\/s/);
    expect(stdout()).toContain('Summary: shop/orders-worker');
    expect(stdout()).toContain('Chart: out/sims/burst.svg');
    expect(cli.made).toEqual(['out/sims']);
    expect(written.get('out/sims/burst.svg')?.startsWith('<svg')).toBe(true);
  });

  it('prints a row a second for two days (--every 1s --duration 2d, both within range) without overflowing the stack', async () => {
    // Prepare
    const { io, stdout, stderr } = memoryIO();

    // Act
    const code = await command().run(['--every', '1s', '--duration', '2d'], io);

    // Assess
    expect(stderr()).toBe('');
    expect(code).toBe(0);
    const rows = stdout().split('\n').filter((line) => /^\d\d:\d\d:\d\d /.test(line));
    expect(rows).toHaveLength(2 * 86_400 + 1);
  });

  it('says that no chart was written, and how to get one, without --out', async () => {
    // Prepare
    const { io, stdout, written } = memoryIO();

    // Act
    const code = await command().run(['--scenario', 'burst', '--duration', '5m'], io);

    // Assess
    expect(code).toBe(0);
    expect(written.size).toBe(0);
    expect(stdout()).toContain('No chart written: add --out FILE.svg to write one (e.g. --out out/burst.svg)');
  });

  it('prints one JSON document with --json', async () => {
    // Prepare
    const { io, stdout } = memoryIO();

    // Act
    const code = await command().run(['--json', '--duration', '10m', '--every', '5m'], io);
    const doc = JSON.parse(stdout()) as { scenario: string; rows: { second: number }[]; summary: { evaluations: number }; oscillation: { oscillating: boolean } };

    // Assess
    expect(code).toBe(0);
    expect(doc.scenario).toBe('burst');
    expect(doc.oscillation).toMatchObject({ oscillating: false, loadReversals: 0 });
    expect(doc.rows.map((r) => r.second)).toEqual([0, 300, 600]);
    expect(doc.summary.evaluations).toBe(21);
  });

  it('simulates a manifest file with the scenario workload', async () => {
    // Prepare
    const { io } = memoryIO({ 'so.yaml': 'kind: ScaledObject' });
    const seen: string[] = [];

    // Act
    const code = await command((text, source) => {
      seen.push(`${source}: ${text}`);
      return okManifest();
    }).run(['--manifest', 'so.yaml', '--duration', '1m'], io);

    // Assess
    expect(code).toBe(0);
    expect(seen).toEqual(['so.yaml: kind: ScaledObject']);
  });

  it('exits 1 when the manifest cannot be read', async () => {
    // Prepare
    const { io, stderr } = memoryIO();

    // Act
    const code = await command().run(['--manifest', 'missing.yaml'], io);

    // Assess
    expect(code).toBe(1);
    expect(stderr()).toMatch(/cannot read missing.yaml: ENOENT/);
  });

  it('exits 1 and prints every issue when the manifest is invalid', async () => {
    // Prepare
    const { io, stderr } = memoryIO({ 'bad.yaml': '' });

    // Act
    const code = await command(() => ({ ok: false, messages: ['bad.yaml:3: spec.maxReplicaCount: must be ≥ 1'], warnings: ['w'] })).run(
      ['--manifest', 'bad.yaml'],
      io,
    );

    // Assess
    expect(code).toBe(1);
    expect(stderr()).toContain('bad.yaml:3: spec.maxReplicaCount: must be ≥ 1');
    expect(stderr()).toContain('warning: w');
  });

  it('warns, and still runs, when no trigger reads the queue', async () => {
    // Prepare
    const { io, stderr } = memoryIO();
    const cronOnly = (): ManifestResult => ({ ok: true, scaledObject: scaledObject({ triggers: [cronTrigger('office')] }), warnings: [] });

    // Act
    const code = await command(cronOnly).run(['--duration', '1m'], io);

    // Assess
    expect(code).toBe(0);
    expect(stderr()).toMatch(/warning: no aws-sqs-queue trigger/);
  });
});
