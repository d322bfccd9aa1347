import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScaledObjects } from '../../../shared/spec/index.js';
import type { LoadedDocument } from '../../../shared/spec/index.js';
import { FIXTURES, lineContaining, readFixture } from './fixtures.js';

const load = (name: string): LoadedDocument[] => loadScaledObjects(readFixture(name), name);
const scaledObjectResults = (name: string) => load(name).flatMap((d) => ('skipped' in d.result ? [] : [d.result]));

describe('Function: loadScaledObjects (seed manifests)', () => {
  it('has a fixture for every ScaledObject shown in the seeds', () => {
    expect(readdirSync(`${FIXTURES}seeds`).sort()).toEqual([
      '000_d2fa20006598d520-1.yaml',
      '001_8d91fbf51506e1d3-1.yaml',
      '001_8d91fbf51506e1d3-2.yaml',
      '003_e72a05411abc8044-1.yaml',
      '004_2c7a966543893124-1.yaml',
      '004_2c7a966543893124-2.yaml',
    ]);
  });

  it('accepts the aws-cloudwatch ScaledObject of seed 000, warning about identityOwner', () => {
    // Act
    const [result] = scaledObjectResults('seeds/000_d2fa20006598d520-1.yaml');

    // Assess
    if (!result?.ok) return expect.fail('seed 000 must validate');
    expect(result.scaledObject).toMatchObject({
      metadata: { name: 'aws-sqs-worker-scaledobject', namespace: 'tagger-worker' },
      spec: { minReplicaCount: 1, maxReplicaCount: 4, triggers: [{ type: 'aws-cloudwatch', target: 10000, activationTarget: 0 }] },
    });
    expect(result.scaledObject.spec.triggers[0]?.metadata).toMatchObject({ metricStatPeriod: 60, metricCollectionTime: 120, metricUnit: 'Count' });
    expect(result.warnings.map((w) => w.path)).toEqual(['spec.triggers[0].metadata.identityOwner']);
  });

  it('accepts the cron ScaledObject of seed 001', () => {
    // Act
    const [result] = scaledObjectResults('seeds/001_8d91fbf51506e1d3-2.yaml');

    // Assess
    if (!result?.ok) return expect.fail('seed 001 cron must validate');
    expect(result.scaledObject.spec.triggers[0]).toMatchObject({
      type: 'cron',
      target: 1,
      metadata: { timezone: 'Asia/Seoul', start: '00,15,30,45 * * * *', end: '05,20,35,50 * * * *', desiredReplicas: 1 },
    });
    expect(result.warnings).toEqual([]);
  });

  it.each([
    { comment: 'new-relic (seed 004, values_dev)', file: 'seeds/004_2c7a966543893124-1.yaml' },
    { comment: 'new-relic (seed 004, with stabilizationWindowSeconds)', file: 'seeds/004_2c7a966543893124-2.yaml' },
  ])('accepts the $comment trigger, its account, key and region left to the TriggerAuthentication', ({ file }) => {
    // Act
    const [result] = scaledObjectResults(file);

    // Assess
    if (!result?.ok) return expect.fail(`${file} must validate`);
    expect(result.scaledObject.spec.triggers[0]).toMatchObject({
      type: 'new-relic',
      target: 70,
      authenticationRef: { name: 'example-app-ta', kind: 'TriggerAuthentication' },
      metadata: { noDataError: true, threshold: 70, activationThreshold: 0, nrql: "SELECT rate(count(*), 10 SECOND) FROM Transaction WHERE appName='dev-example-app' SINCE 1 MINUTE AGO" },
    });
  });

  it('leaves the TriggerAuthentication rendered with seed 004 to loadDocuments', () => {
    expect(load('seeds/004_2c7a966543893124-1.yaml').map((d) => [d.kind, 'skipped' in d.result])).toEqual([
      ['ScaledObject', false],
      ['TriggerAuthentication', true],
    ]);
  });

  it('skips the HTTPScaledObject of seed 003 with a warning, not an error', () => {
    const [document] = load('seeds/003_e72a05411abc8044-1.yaml');
    expect(document).toMatchObject({ kind: 'HTTPScaledObject', result: { skipped: true, warnings: [{ path: 'kind', message: expect.stringContaining('HTTPScaledObject') }] } });
  });
});

describe('Function: loadScaledObjects (own fixtures)', () => {
  it.each(readdirSync(`${FIXTURES}good`).map((file) => ({ file })))('accepts every ScaledObject in good/$file', ({ file }) => {
    // Act
    const results = scaledObjectResults(`good/${file}`);

    // Assess
    expect(results.length).toBeGreaterThan(0);
    expect(results.flatMap((r) => (r.ok ? [] : r.issues))).toEqual([]);
  });

  it('reads every field of good/sqs-everything.yaml', () => {
    // Act
    const [result] = scaledObjectResults('good/sqs-everything.yaml');

    // Assess
    if (!result?.ok) return expect.fail('must validate');
    const { spec, pause } = result.scaledObject;
    expect(pause.pausedScaleIn).toBe(true);
    expect(spec.advanced.horizontalPodAutoscalerConfig?.behavior?.scaleDown).toMatchObject({ tolerance: 0.05, selectPolicy: 'Min' });
    expect(spec.triggers.map((t) => [t.key, t.target, t.activationTarget, t.useCachedMetrics])).toEqual([
      ['invoices', 20, 2, true],
      ['refunds', 10, 0, false],
    ]);
    expect(spec.triggers[0]?.metadata).toMatchObject({ scaleOnInFlight: false, scaleOnDelayed: true, awsEndpoint: 'https://vpce-0a1b2c3d4e5f67890-abcdefgh.sqs.us-east-1.vpce.amazonaws.com' });
  });

  it('reports typos with a suggestion at the line of the typo (bad/typos.yaml)', () => {
    // Prepare
    const text = readFixture('bad/typos.yaml');

    // Act
    const [result] = scaledObjectResults('bad/typos.yaml');

    // Assess
    expect(result?.ok ? [] : result?.issues.map((i) => [i.line, i.path, i.message])).toEqual([
      [lineContaining(text, 'pollingIntervall'), 'spec.pollingIntervall', 'unknown key; did you mean "pollingInterval"?'],
      [lineContaining(text, 'maxReplicas'), 'spec.maxReplicas', 'unknown key; did you mean "maxReplicaCount"?'],
      [lineContaining(text, 'metadata:', 12), 'spec.triggers[0].metadata.queueURL', 'is required'],
      [lineContaining(text, 'queueUrl'), 'spec.triggers[0].metadata.queueUrl', 'unknown key; did you mean "queueURL"?'],
    ]);
  });
});
