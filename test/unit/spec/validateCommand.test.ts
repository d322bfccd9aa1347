import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateCommand } from '../../../shared/cli/validate.js';
import { memoryIO } from '../../helpers/cli.js';
import { readFixture } from './fixtures.js';

describe('Function: validateCommand', () => {
  it('prints one ok line per valid ScaledObject and exits 0', async () => {
    // Prepare
    const { io, out, err } = memoryIO({ 'so.yaml': readFixture('seeds/000_d2fa20006598d520-1.yaml') });

    // Act
    const code = await validateCommand(['so.yaml'], io);

    // Assess
    expect(code).toBe(0);
    expect(out).toEqual(['ok  so.yaml: tagger-worker/aws-sqs-worker-scaledobject (1 trigger: aws-cloudwatch)']);
    expect(err).toEqual([expect.stringMatching(/^warning: so\.yaml:\d+: spec\.triggers\[0\]\.metadata\.identityOwner: is deprecated/)]);
  });

  it('validates seed 001\'s kafka ScaledObject', async () => {
    const { io, out, err } = memoryIO({ 'airflow.yaml': readFixture('seeds/001_8d91fbf51506e1d3-1.yaml') });

    const code = await validateCommand(['airflow.yaml'], io);

    expect(code).toBe(0);
    expect(out).toEqual(['ok  airflow.yaml: default/airflow-worker (1 trigger: kafka)']);
    expect(err).toEqual([]);
  });

  it('reports a kafka rule KEDA enforces with its line and path', async () => {
    const text = readFixture('seeds/001_8d91fbf51506e1d3-1.yaml').replace('allowIdleConsumers: false', 'allowIdleConsumers: true\n      limitToPartitionsWithLag: "true"');
    const { io, err } = memoryIO({ 'airflow.yaml': text });

    const code = await validateCommand(['airflow.yaml'], io);

    expect(code).toBe(1);
    expect(err).toEqual([
      expect.stringMatching(/^airflow\.yaml:\d+: spec\.triggers\[0\]\.metadata\.limitToPartitionsWithLag: allowIdleConsumers and limitToPartitionsWithLag cannot be set simultaneously$/),
    ]);
  });

  it('names the document of a multi-document file and lists trigger types', async () => {
    // Prepare
    const { io, out } = memoryIO({ 'all.yaml': readFixture('good/multi-document.yaml') });

    // Act
    const code = await validateCommand(['all.yaml'], io);

    // Assess
    expect(code).toBe(0);
    expect(out).toEqual([
      'ok  all.yaml (document 2): reports/reports-office-hours (1 trigger: cron)',
      'ok  all.yaml (document 4): TriggerAuthentication default/reports-aws (podIdentity)',
      'ok  all.yaml (document 5): reports/reports-latency (1 trigger: aws-cloudwatch)',
    ]);
  });

  it("validates seed 004's ScaledObject and TriggerAuthentication together", async () => {
    // Prepare
    const { io, out, err } = memoryIO({ 'keda.yaml': readFixture('seeds/004_2c7a966543893124-1.yaml') });

    // Act
    const code = await validateCommand(['keda.yaml'], io);

    // Assess
    expect(code).toBe(0);
    expect(out).toEqual([
      'ok  keda.yaml: default/example-app-newrelic-throughput-scaler (1 trigger: new-relic)',
      'ok  keda.yaml (document 2): TriggerAuthentication default/example-app-ta (secretTargetRef)',
    ]);
    expect(err).toEqual([]);
  });

  it('fails a reference whose TriggerAuthentication lacks a required parameter, at the line of the authenticationRef', async () => {
    // Prepare
    const text = readFixture('seeds/004_2c7a966543893124-1.yaml').replace('parameter: account', 'parameter: acount');
    const { io, err } = memoryIO({ 'keda.yaml': text });

    // Act
    const code = await validateCommand(['keda.yaml'], io);

    // Assess
    const line = text.split('\n').findIndex((l) => l.includes('- authenticationRef:')) + 1;
    expect(code).toBe(1);
    expect(err).toEqual([
      `keda.yaml:${line}: spec.triggers[0].authenticationRef: TriggerAuthentication default/example-app-ta provides no "account", which new-relic requires (add a secretTargetRef or awsSecretManager parameter of that name)`,
      `warning: keda.yaml:${line}: spec.triggers[0].authenticationRef: TriggerAuthentication default/example-app-ta provides "acount", which new-relic does not read (it reads: account, queryKey, region)`,
    ]);
  });

  it('refuses Prometheus authModes bearer for an in-cluster address at the line of authModes, saying why and what to do instead', async () => {
    // Prepare
    const text = readFileSync('examples/prometheus/gateway-auth.yaml', 'utf8').replace('authModes: custom', 'authModes: bearer');
    const { io, err } = memoryIO({ 'auth.yaml': text });

    // Act
    const code = await validateCommand(['auth.yaml'], io);

    // Assess
    const line = text.split('\n').findIndex((l) => l.includes('authModes: bearer')) + 1;
    expect(code).toBe(1);
    expect(err).toEqual([
      expect.stringMatching(new RegExp(`^auth\\.yaml:${line}: spec\\.triggers\\[0\\]\\.metadata\\.authModes: "bearer" cannot reach Prometheus: .*removes the Authorization header.*internal load balancer.*"custom"`)),
    ]);
  });

  it("fails a Prometheus tls trigger whose TriggerAuthentication lacks the key, naming the parameter", async () => {
    // Prepare
    const text = readFileSync('examples/prometheus/gateway-auth.yaml', 'utf8').replace('    - { parameter: key, name: prometheus-client-tls, key: tls.key }\n', '');
    const { io, err } = memoryIO({ 'auth.yaml': text });

    // Act
    const code = await validateCommand(['auth.yaml'], io);

    // Assess
    expect(code).toBe(1);
    expect(err).toEqual([expect.stringContaining('spec.triggers[1].authenticationRef: TriggerAuthentication shop/prometheus-mtls: provides no key, which authModes "tls" requires')]);
  });

  it('fails a TriggerAuthentication with a source LPA cannot read, naming the field and what to use instead', async () => {
    // Prepare
    const text = 'apiVersion: keda.sh/v1alpha1\nkind: TriggerAuthentication\nmetadata:\n  name: vault\nspec:\n  hashiCorpVault:\n    address: https://vault\n';
    const { io, err } = memoryIO({ 'ta.yaml': text });

    // Act
    const code = await validateCommand(['ta.yaml'], io);

    // Assess
    expect(code).toBe(1);
    expect(err).toEqual([
      'ta.yaml:6: spec.hashiCorpVault: HashiCorp Vault is not supported by LPA; keep the value in a Kubernetes Secret (secretTargetRef) or in AWS Secrets Manager (awsSecretManager)',
    ]);
  });

  it('warns when the referenced TriggerAuthentication is not among the files (it is read from the cluster)', async () => {
    // Prepare
    const { io, err } = memoryIO({ 'so.yaml': readFixture('seeds/004_2c7a966543893124-2.yaml') });

    // Act
    const code = await validateCommand(['so.yaml'], io);

    // Assess
    expect(code).toBe(0);
    expect(err).toEqual([expect.stringMatching(/^warning: so\.yaml:\d+: spec\.triggers\[0\]\.authenticationRef: TriggerAuthentication default\/example-app-ta is not among the given manifests; LPA reads it from the cluster at run time$/)]);
  });

  it('prints every issue with formatIssue and exits 1', async () => {
    // Prepare
    const { io, out, err } = memoryIO({ 'bad.yaml': readFixture('bad/typos.yaml') });

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
    const { io, out, err } = memoryIO({ '-': readFixture('good/minimal-sqs.yaml'), 'bad.yaml': readFixture('bad/one-bad-one-good.yaml') });

    // Act
    const code = await validateCommand(['-', 'bad.yaml'], io);

    // Assess
    expect(code).toBe(1);
    expect(out).toEqual(['ok  <stdin>: default/orders-worker (1 trigger: aws-sqs-queue)', 'ok  bad.yaml (document 2): default/good-one (1 trigger: cron)']);
    expect(err).toEqual(['bad.yaml:8: spec.triggers: must have at least 1 item']);
  });

  it('exits 1 when a file cannot be read', async () => {
    const { io, err } = memoryIO({});
    expect(await validateCommand(['missing.yaml'], io)).toBe(1);
    expect(err).toEqual([expect.stringContaining('lpa validate: cannot read missing.yaml: ENOENT')]);
  });

  it('exits 1 when no ScaledObject was found', async () => {
    // Prepare
    const { io, err } = memoryIO({ 'deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n' });

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
    const { io, err } = memoryIO({});
    expect(await validateCommand(args, io)).toBe(2);
    expect(err[0]).toContain('usage: lpa validate [--trust-aws-endpoint HOST]... FILE...');
  });

  it('prints help and exits 0 with --help', async () => {
    const { io, out } = memoryIO({});
    expect(await validateCommand(['--help'], io)).toBe(0);
    expect(out[0]).toContain('usage: lpa validate [--trust-aws-endpoint HOST]... FILE...');
  });
});
