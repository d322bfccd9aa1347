import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/errors.js';
import { loadManifests } from '../../infra/index.js';
import { runLpa } from '../helpers/cli.js';
import { queueUrl, scaledObject, sqsTrigger, synthesize } from './fixtures.js';

const BAD = 'test/fixtures/manifests/bad/typos.yaml';
const GOOD = 'test/fixtures/manifests/good/multi-document.yaml';

const errorOf = (act: () => unknown): Error => {
  try {
    act();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
};

describe('Function: loadManifests', () => {
  it('fails on a bad manifest with exactly the lines `lpa validate` prints', () => {
    // Act
    const error = errorOf(() => loadManifests([BAD]));
    const cli = runLpa(['validate', BAD]);
    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(cli.status).toBe(1);
    expect(error.message).toBe(cli.stderr.trimEnd());
  });

  it('reports every issue of every source at once, with file, line, path and rule', () => {
    const error = errorOf(() => loadManifests([BAD, scaledObject('x', 'jobs', [{ type: 'rabbitmq', metadata: {} }])]));
    expect(error.message).toContain(`${BAD}:10: spec.maxReplicas: unknown key; did you mean "maxReplicaCount"?`);
    expect(error.message).toContain('manifests[1]: spec.triggers[0].type: trigger type "rabbitmq" is not supported by LPA; supported: ');
  });

  it('loads every ScaledObject and TriggerAuthentication of a multi-document file', () => {
    const cli = runLpa(['validate', GOOD]);
    const okLines = cli.stdout.split('\n').filter((line) => line.startsWith('ok'));
    const loaded = loadManifests([GOOD]);
    expect(loaded.objects.length + loaded.authentications.length).toBe(okLines.length);
  });

  it.each([
    {
      case: 'a trigger with only queueURLFromEnv (LPA cannot resolve it, nor grant the queue)',
      manifests: [scaledObject('w', 'jobs', [{ type: 'aws-sqs-queue', metadata: { queueURLFromEnv: 'QUEUE_URL', awsRegion: 'eu-west-1' } }])],
      message: "manifests[0]: spec.triggers[0].metadata.queueURLFromEnv: is not supported: LPA runs outside the cluster and cannot read the target container's environment",
    },
    {
      case: 'the same ScaledObject twice',
      manifests: [scaledObject('w', 'jobs', [sqsTrigger(queueUrl('a'))]), scaledObject('w', 'jobs', [sqsTrigger(queueUrl('b'))])],
      message: 'manifests[1]: metadata.name: duplicate ScaledObject jobs/w: already defined in manifests[0] (document 1); one target, one ScaledObject',
    },
    { case: 'no ScaledObject at all', manifests: [], message: 'manifests: no ScaledObject found: give at least one manifest' },
    { case: 'a missing file', manifests: ['examples/missing.yaml'], message: /^examples\/missing\.yaml: cannot read the file: ENOENT/ },
  ])('refuses $case', ({ manifests, message }) => {
    expect(() => loadManifests(manifests)).toThrow(message);
  });

  it.each([
    { case: 'a self-referential YAML alias', text: 'a: &a\n  b: *a\n', line: 'cycle.yaml:2: YAML: alias *a refers to the node that contains it, so its value would never end' },
    {
      case: 'a misspelt keda.sh kind (not skipped)',
      text: 'apiVersion: keda.sh/v1alpha1\nkind: ScaledObjet\nmetadata:\n  name: w\n',
      line: 'cycle.yaml:2: kind: "ScaledObjet" is not a kind of keda.sh; did you mean "ScaledObject"?',
    },
  ])('fails on $case with file and line, as `lpa validate` does', ({ text, line }) => {
    const file = join(mkdtempSync(join(tmpdir(), 'lpa-manifests-')), 'cycle.yaml');
    writeFileSync(file, text);
    const error = errorOf(() => loadManifests([file]));
    expect(error.message).toBe(`${file.slice(0, -'cycle.yaml'.length)}${line}`);
    expect(runLpa(['validate', file]).stderr.trimEnd()).toBe(error.message);
  });

  it('hands on a List item as kubectl would send it: numbers resolved, defaults not applied', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lpa-manifests-')), 'list.yaml');
    const item = scaledObject('w', 'jobs', [sqsTrigger(queueUrl('a'))]) as { spec: Record<string, unknown> };
    writeFileSync(file, `apiVersion: v1\nkind: List\nitems:\n- ${JSON.stringify({ ...item, spec: { ...item.spec, maxReplicaCount: '@@' } }).replace('"@@"', '0x10')}\n`);
    const [object] = loadManifests([file]).objects;
    expect(object?.manifest.spec).toEqual({ ...item.spec, maxReplicaCount: 16 });
  });

  it('hands the functions only what they read: no labels, status or kubectl copy, namespace explicit', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'lpa-manifests-'));
    const file = join(dir, 'worker.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: keda.sh/v1alpha1',
        'kind: ScaledObject',
        'metadata:',
        '  name: worker',
        '  labels: { team: jobs }',
        '  uid: 2d5a0b5c',
        '  creationTimestamp: "2026-01-01T00:00:00Z"',
        '  annotations:',
        '    autoscaling.keda.sh/paused: "true"',
        '    kubectl.kubernetes.io/last-applied-configuration: "{}"',
        'spec:',
        '  scaleTargetRef: { name: worker }',
        '  triggers:',
        `    - { type: aws-sqs-queue, metadata: { queueURL: orders, awsRegion: eu-west-1 } }`,
        'status: { scaleTargetKind: apps/v1.Deployment }',
      ].join('\n'),
    );
    // Act
    const [object] = loadManifests([file]).objects;
    // Assess
    expect(object?.manifest).toEqual({
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'worker', namespace: 'default', annotations: { 'autoscaling.keda.sh/paused': 'true' }, creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: { scaleTargetRef: { name: 'worker' }, triggers: [{ type: 'aws-sqs-queue', metadata: { queueURL: 'orders', awsRegion: 'eu-west-1' } }] },
    });
  });
});

describe('Construct: PodAutoscaler synth-time validation', () => {
  it('fails synth on a bad manifest with the spec’s message', () => {
    const error = errorOf(() => synthesize({ manifests: [BAD] }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toContain(`${BAD}:14: spec.triggers[0].metadata.queueUrl: unknown key; did you mean "queueURL"?`);
  });

  it('turns spec warnings into synth warnings', () => {
    const { stack } = synthesize({ manifests: [scaledObject('w', 'jobs', [sqsTrigger(queueUrl('a'), { identityOwner: 'pod' })])] });
    const warnings = stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data)));
    expect(warnings.some((w) => w.startsWith('manifests[0]: spec.triggers[0].metadata.identityOwner: is deprecated since KEDA 2.13'))).toBe(true);
  });
});
