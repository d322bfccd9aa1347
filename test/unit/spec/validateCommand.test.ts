import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../../shared/cli/io.js';
import { validateCommand } from '../../../shared/cli/validate.js';
import { readFixture } from './fixtures.js';

/** A CliIO over in-memory files that records what the command prints. */
const fakeIO = (files: Readonly<Record<string, string>>) => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    readFile: async (path) => {
      const content = files[path];
      if (content === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return content;
    },
    writeFile: async () => {},
  };
  return { io, out, err };
};

describe('Function: validateCommand', () => {
  it('prints one ok line per valid ScaledObject and exits 0', async () => {
    // Prepare
    const { io, out, err } = fakeIO({ 'so.yaml': readFixture('seeds/000_d2fa20006598d520-1.yaml') });

    // Act
    const code = await validateCommand(['so.yaml'], io);

    // Assess
    expect(code).toBe(0);
    expect(out).toEqual(['ok  so.yaml: tagger-worker/aws-sqs-worker-scaledobject (1 trigger: aws-cloudwatch)']);
    expect(err).toEqual([expect.stringMatching(/^warning: so\.yaml:\d+: spec\.triggers\[0\]\.metadata\.identityOwner: is deprecated/)]);
  });

  it('validates seed 001\'s kafka ScaledObject', async () => {
    const { io, out, err } = fakeIO({ 'airflow.yaml': readFixture('seeds/001_8d91fbf51506e1d3-1.yaml') });

    const code = await validateCommand(['airflow.yaml'], io);

    expect(code).toBe(0);
    expect(out).toEqual(['ok  airflow.yaml: default/airflow-worker (1 trigger: kafka)']);
    expect(err).toEqual([]);
  });

  it('reports a kafka rule KEDA enforces with its line and path', async () => {
    const text = readFixture('seeds/001_8d91fbf51506e1d3-1.yaml').replace('allowIdleConsumers: false', 'allowIdleConsumers: true\n      limitToPartitionsWithLag: "true"');
    const { io, err } = fakeIO({ 'airflow.yaml': text });

    const code = await validateCommand(['airflow.yaml'], io);

    expect(code).toBe(1);
    expect(err).toEqual([
      expect.stringMatching(/^airflow\.yaml:\d+: spec\.triggers\[0\]\.metadata\.limitToPartitionsWithLag: allowIdleConsumers and limitToPartitionsWithLag cannot be set simultaneously$/),
    ]);
  });

  it('names the document of a multi-document file and lists trigger types', async () => {
    // Prepare
    const { io, out } = fakeIO({ 'all.yaml': readFixture('good/multi-document.yaml') });

    // Act
    const code = await validateCommand(['all.yaml'], io);

    // Assess
    expect(code).toBe(0);
    expect(out).toEqual([
      'ok  all.yaml (document 2): reports/reports-office-hours (1 trigger: cron)',
      'ok  all.yaml (document 5): reports/reports-latency (1 trigger: aws-cloudwatch)',
    ]);
  });

  it('prints every issue with formatIssue and exits 1', async () => {
    // Prepare
    const { io, out, err } = fakeIO({ 'bad.yaml': readFixture('bad/typos.yaml') });

    // Act
    const code = await validateCommand(['bad.yaml'], io);

    // Assess
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toContain('bad.yaml:9: spec.pollingIntervall: unknown key; did you mean "pollingInterval"?');
    expect(err).toHaveLength(4);
  });

  it('validates every file, reading "-" from standard input', async () => {
    // Prepare
    const { io, out, err } = fakeIO({ '-': readFixture('good/minimal-sqs.yaml'), 'bad.yaml': readFixture('bad/one-bad-one-good.yaml') });

    // Act
    const code = await validateCommand(['-', 'bad.yaml'], io);

    // Assess
    expect(code).toBe(1);
    expect(out).toEqual(['ok  <stdin>: default/orders-worker (1 trigger: aws-sqs-queue)', 'ok  bad.yaml (document 2): default/good-one (1 trigger: cron)']);
    expect(err).toEqual(['bad.yaml:8: spec.triggers: must have at least 1 item']);
  });

  it('exits 1 when a file cannot be read', async () => {
    const { io, err } = fakeIO({});
    expect(await validateCommand(['missing.yaml'], io)).toBe(1);
    expect(err).toEqual([expect.stringContaining('lpa validate: cannot read missing.yaml: ENOENT')]);
  });

  it('exits 1 when no ScaledObject was found', async () => {
    // Prepare
    const { io, err } = fakeIO({ 'deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n' });

    // Act
    const code = await validateCommand(['deploy.yaml'], io);

    // Assess
    expect(code).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^warning: deploy\.yaml:2: kind: skipped/), 'lpa validate: no ScaledObject found in deploy.yaml']);
  });

  it.each([
    { comment: 'no file', args: [] },
    { comment: 'an unknown option', args: ['--strict', 'so.yaml'] },
  ])('exits 2 on a usage error: $comment', async ({ args }) => {
    const { io, err } = fakeIO({});
    expect(await validateCommand(args, io)).toBe(2);
    expect(err[0]).toContain('usage: lpa validate FILE...');
  });

  it('prints help and exits 0 with --help', async () => {
    const { io, out } = fakeIO({});
    expect(await validateCommand(['--help'], io)).toBe(0);
    expect(out[0]).toContain('usage: lpa validate FILE...');
  });
});
