import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runLpa } from '../helpers/cli.js';

const scaledObject = {
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'worker', namespace: 'jobs' },
  spec: {
    scaleTargetRef: { name: 'worker' },
    maxReplicaCount: 50,
    triggers: [{ type: 'aws-sqs-queue', name: 'queue', metadata: { queueURL: 'jobs', queueLength: '10', awsRegion: 'eu-west-1' } }],
  },
};

const evaluation = (overrides: Record<string, unknown> = {}) => ({
  now: '2026-11-23T10:00:00Z',
  scaledObject,
  target: { specReplicas: 0, statusReplicas: 0, readyReplicas: 0 },
  metrics: { queue: { value: 95 } },
  ...overrides,
});

describe('CLI: lpa decide', () => {
  it('prints the decision for one evaluation read from standard input', () => {
    // Act
    const result = runLpa(['decide'], JSON.stringify(evaluation()));
    // Assess: 0 → 1 (KEDA) → 4 (legacy HPA limit max(2×1, 4)) in one evaluation.
    expect(result.status).toBe(0);
    const decision = JSON.parse(result.stdout);
    expect(decision).toMatchObject({ replicas: 4, changed: true, active: true, reason: 'KEDAScaleTargetActivated' });
    expect(decision.state.lastActiveTime).toBe('2026-11-23T10:00:00.000Z');
  });

  it('reads the evaluation from --input FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lpa-decide-'));
    const file = join(dir, 'evaluation.json');
    writeFileSync(file, JSON.stringify(evaluation({ metrics: { '0': { value: 0 } } })));
    const result = runLpa(['decide', '--input', file]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ replicas: 0, changed: false, active: false, reason: 'ScalerNotActive' });
  });

  it('continues from a state it printed before', () => {
    const first = JSON.parse(runLpa(['decide'], JSON.stringify(evaluation())).stdout);
    const second = runLpa(
      ['decide'],
      JSON.stringify(evaluation({ now: '2026-11-23T10:00:30Z', target: { specReplicas: 4 }, state: first.state })),
    );
    // Two replayed syncs at 4 → 8 → 10 (legacy limit doubles per sync).
    expect(JSON.parse(second.stdout).replicas).toBe(10);
  });

  it('names the path of every invalid field and exits 1', () => {
    const result = runLpa(['decide'], JSON.stringify(evaluation({ now: 'yesterday', target: { specReplicas: -1 } })));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('now: must be an ISO-8601 date-time');
    expect(result.stderr).toContain('target.specReplicas');
    expect(result.stdout).toBe('');
  });

  it('reports an invalid manifest with its path under scaledObject', () => {
    const bad = { ...scaledObject, spec: { ...scaledObject.spec, minReplicaCount: 10, maxReplicaCount: 5 } };
    const result = runLpa(['decide'], JSON.stringify(evaluation({ scaledObject: bad })));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/scaledObject\.spec\.(min|max)ReplicaCount/);
  });

  it('rejects a metric keyed by neither a trigger name nor an index', () => {
    const result = runLpa(['decide'], JSON.stringify(evaluation({ metrics: { queu: { value: 1 } } })));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('metrics.queu: no trigger has this name or index (triggers: queue)');
  });

  it('says where the JSON is broken', () => {
    const result = runLpa(['decide'], '{"now": ');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('<stdin>: not valid JSON');
  });

  it('replays JSON Lines in one process, carrying the state from line to line with --carry-state', () => {
    const lines = [0, 30, 60].map((s) =>
      JSON.stringify(evaluation({ now: new Date(Date.parse('2026-11-23T10:00:00Z') + s * 1000).toISOString(), target: { specReplicas: [0, 4, 10][s / 30] } })),
    );
    const result = runLpa(['decide', '--jsonl', '--carry-state'], `${lines.join('\n')}\n`);
    expect(result.status).toBe(0);
    const decisions = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(decisions.map((d) => d.replicas)).toEqual([4, 10, 10]);
  });

  it('keeps one output line per input line when a line is invalid, and exits 1', () => {
    const result = runLpa(['decide', '--jsonl'], `${JSON.stringify(evaluation())}\nnot json\n`);
    expect(result.status).toBe(1);
    const out = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(out).toHaveLength(2);
    expect(out[1]).toMatchObject({ line: 2 });
    expect(out[1].error).toContain('not valid JSON');
  });

  it('ends quietly, with status 0, when its reader closes the pipe (`| head -1`)', async () => {
    // Prepare: far more output than a pipe buffers, so the command is still writing when the reader leaves.
    const file = join(mkdtempSync(join(tmpdir(), 'lpa-decide-')), 'many.jsonl');
    writeFileSync(file, `${Array(3000).fill(JSON.stringify(evaluation())).join('\n')}\n`);
    const child = spawn(process.execPath, [BIN, 'decide', '--jsonl', '--input', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Act: read the first line, then close our end, as `head -1` does.
    const [first] = (await once(child.stdout, 'data')) as [Buffer];
    child.stdout.destroy();
    const [code] = (await once(child, 'exit')) as [number | null];
    // Assess
    expect(first.toString()).toMatch(/^\{"replicas":/);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  }, 120_000);

  it('refuses an input over 4 MiB before parsing it', () => {
    const result = runLpa(['decide'], `${JSON.stringify(evaluation())}${' '.repeat(4 * 1024 * 1024)}`);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^<stdin>: is 4194\d+ bytes; LPA reads at most 4194304 bytes \(4 MiB\) per input/);
  });

  it('names the --input file it refuses as over 4 MiB, without reading it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lpa-decide-')), 'big.json');
    writeFileSync(file, `${JSON.stringify(evaluation())}${' '.repeat(5 * 1024 * 1024)}`);
    const result = runLpa(['decide', '--input', file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^lpa decide: cannot read ${file}: is 52\\d+ bytes; LPA reads at most 4194304 bytes \\(4 MiB\\) per input`));
  });

  it('exits 2 on an unknown flag', () => {
    const result = runLpa(['decide', '--inptu', 'x']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: lpa decide');
  });
});

describe('CLI: lpa', () => {
  it('refuses a manifest file over 4 MiB without reading it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lpa-validate-')), 'big.yaml');
    writeFileSync(file, `# ${'x'.repeat(5 * 1024 * 1024)}\n`);
    const result = runLpa(['validate', file]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(`lpa validate: cannot read ${file}: is ${5 * 1024 * 1024 + 3} bytes; LPA reads at most 4194304 bytes (4 MiB) per input (README "Input limits")`);
  });


  it.each([['simulate', '--manifest'], ['rbac'], ['metrics']])('lpa %s refuses a manifest file over 4 MiB without reading it, as lpa validate does', (command, ...flags) => {
    const file = join(mkdtempSync(join(tmpdir(), 'lpa-big-')), 'big.yaml');
    writeFileSync(file, `# ${'x'.repeat(5 * 1024 * 1024)}\n`);
    const result = runLpa([command, ...flags, file]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(`lpa ${command}: cannot read ${file}: is ${5 * 1024 * 1024 + 3} bytes; LPA reads at most 4194304 bytes (4 MiB) per input (README "Input limits")`);
  });

  it('exits 2 and lists the commands for an unknown command', () => {
    const result = runLpa(['scale']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown command "scale"');
    expect(result.stderr).toContain('decide');
  });
});
