import { describe, expect, it } from 'vitest';
import type { ValidationIssue } from '../../../shared/errors.js';
import { loadDocuments, loadScaledObjects } from '../../../shared/spec/index.js';
import type { LoadedDocument, ParseResult } from '../../../shared/spec/index.js';
import { lineContaining, readFixture } from './fixtures.js';

/** The parse result of the only document of `text`. */
const only = (text: string, source = 'so.yaml'): ParseResult => {
  const documents = loadScaledObjects(text, source);
  expect(documents).toHaveLength(1);
  const { result } = documents[0] as LoadedDocument;
  if ('skipped' in result) return expect.fail('the document was skipped');
  return result;
};

const issues = (result: ParseResult): ValidationIssue[] => (result.ok ? expect.fail('expected issues, the manifest was valid') : result.issues);
const brief = (list: readonly ValidationIssue[]) => list.map((i) => ({ line: i.line, path: i.path }));

const SQS = `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: orders
spec:
  scaleTargetRef:
    name: orders
  triggers:
    - type: aws-sqs-queue
      metadata:
        queueURL: orders
        awsRegion: us-east-1
`;

describe('Function: loadScaledObjects', () => {
  it('loads a valid YAML ScaledObject', () => {
    const result = only(SQS);
    expect(result.ok && result.scaledObject.metadata.name).toBe('orders');
  });

  it('gives each issue its source, document index and the 1-based line of the offending value', () => {
    // Act
    const [issue] = issues(only(SQS.replace('queueURL: orders', 'queueURL: orders\n        queueLength: "5.5"'), 'so.yaml'));

    // Assess
    expect(issue).toEqual({
      source: 'so.yaml',
      documentIndex: 0,
      path: 'spec.triggers[0].metadata.queueLength',
      line: 12,
      message: 'must be an integer (KEDA parses it with strconv.ParseInt), got "5.5"',
    });
  });

  it('points a missing key at the line of its parent', () => {
    const [issue] = issues(only(SQS.replace('    name: orders\n  triggers', '    kind: Deployment\n  triggers')));
    expect(issue).toMatchObject({ path: 'spec.scaleTargetRef.name', line: 6, message: 'is required' });
  });

  it('points an unknown key at its own line', () => {
    const [issue] = issues(only(SQS.replace('  triggers:', '  pollingIntervall: 15\n  triggers:')));
    expect(issue).toMatchObject({ path: 'spec.pollingIntervall', line: 8 });
  });

  it('points a list item issue at the item', () => {
    const [issue] = issues(only(SQS.replace('type: aws-sqs-queue', 'type: rabbitmq')));
    expect(issue).toMatchObject({ path: 'spec.triggers[0].type', line: 9, message: expect.stringContaining('"rabbitmq" is not supported') });
  });

  it('points an annotation issue at the annotation line', () => {
    const text = SQS.replace('  name: orders\nspec', '  name: orders\n  annotations:\n    autoscaling.keda.sh/paused-replicas: "-1"\nspec');
    const [issue] = issues(only(text));
    expect(issue).toMatchObject({ path: 'metadata.annotations["autoscaling.keda.sh/paused-replicas"]', line: 6 });
  });

  it('reports every issue of a document, each at its own line, in line order', () => {
    // Prepare
    const text = readFixture('bad/many-errors.yaml');

    // Act
    const found = brief(issues(only(text, 'many-errors.yaml')));

    // Assess
    expect(found).toEqual([
      { line: lineContaining(text, 'paused-replicas'), path: 'metadata.annotations["autoscaling.keda.sh/paused-replicas"]' },
      { line: lineContaining(text, 'pollingInterval: 0'), path: 'spec.pollingInterval' },
      { line: lineContaining(text, 'minReplicaCount: 5'), path: 'spec.minReplicaCount' },
      { line: lineContaining(text, 'queueURL:'), path: 'spec.triggers[0].metadata.queueURL' },
      { line: lineContaining(text, 'queueLength:'), path: 'spec.triggers[0].metadata.queueLength' },
      { line: lineContaining(text, 'useCachedMetrics'), path: 'spec.triggers[1].useCachedMetrics' },
      { line: lineContaining(text, 'timezone:'), path: 'spec.triggers[1].metadata.timezone' },
      { line: lineContaining(text, 'start:'), path: 'spec.triggers[1].metadata.start' },
      { line: lineContaining(text, 'end:'), path: 'spec.triggers[1].metadata.end' },
      { line: lineContaining(text, 'desiredReplicas:'), path: 'spec.triggers[1].metadata.desiredReplicas' },
      { line: lineContaining(text, 'type: rabbitmq'), path: 'spec.triggers[2].type' },
    ]);
  });

  it('reads every ScaledObject of a stream, skipping other kinds (with a warning unless LPA reads them elsewhere) and dropping empty ones', () => {
    // Prepare
    const text = readFixture('good/multi-document.yaml');

    // Act
    const documents = loadScaledObjects(text, 'multi.yaml');

    // Assess
    expect(documents.map((d) => [d.documentIndex, d.kind, 'skipped' in d.result ? 'skipped' : d.result.ok])).toEqual([
      [0, 'Deployment', 'skipped'],
      [1, 'ScaledObject', true],
      [3, 'TriggerAuthentication', 'skipped'],
      [4, 'ScaledObject', true],
    ]);
    expect(documents[2]?.result.warnings).toEqual([]);
    expect(documents[0]?.result.warnings.map((w) => w.message)).toEqual([
      'skipped: LPA reads only keda.sh/v1alpha1 ScaledObject, TriggerAuthentication and ClusterTriggerAuthentication documents, this is a Deployment',
    ]);
  });

  it('reads TriggerAuthentications with loadDocuments', () => {
    // Act
    const documents = loadDocuments(readFixture('good/multi-document.yaml'), 'multi.yaml');

    // Assess
    const auth = documents[2]?.result;
    expect(auth !== undefined && 'authentication' in auth && auth.ok ? auth.triggerAuthentication : auth).toEqual({
      kind: 'TriggerAuthentication',
      metadata: { name: 'reports-aws', namespace: 'default' },
      spec: { podIdentity: { provider: 'aws' }, secretTargetRef: [] },
    });
  });

  it('keeps going after a bad document', () => {
    // Act
    const documents = loadScaledObjects(readFixture('bad/one-bad-one-good.yaml'), 'mixed.yaml');

    // Assess
    expect(documents.map((d) => ('skipped' in d.result ? 'skipped' : d.result.ok))).toEqual([false, true]);
    expect(documents[0]?.result).toMatchObject({ issues: [{ path: 'spec.triggers', line: 8, message: 'must have at least 1 item' }] });
  });

  it('reports a YAML syntax error with its line and still reads the next document', () => {
    // Act
    const [broken, next] = loadScaledObjects(readFixture('bad/syntax-error.yaml'), 'syntax.yaml');

    // Assess
    const [issue] = issues(broken?.result as ParseResult);
    expect(issue).toMatchObject({ source: 'syntax.yaml', documentIndex: 0, path: '', message: expect.stringMatching(/^YAML: /) });
    expect(issue?.line).toBeGreaterThanOrEqual(10);
    expect(issue?.message).not.toMatch(/at line \d+/);
    expect(next).toMatchObject({ documentIndex: 1, result: { ok: true } });
  });

  it('reports a duplicate key as a YAML error at its line', () => {
    const [issue] = issues(only(SQS.replace('  name: orders\nspec', '  name: orders\n  name: again\nspec')));
    expect(issue).toMatchObject({ line: 5, message: expect.stringContaining('Map keys must be unique') });
  });

  it('rejects kind ScaledObject with another apiVersion at the apiVersion line', () => {
    const [issue] = issues(only(readFixture('bad/keda-v1-api-version.yaml')));
    expect(issue).toMatchObject({ path: 'apiVersion', line: 2, message: expect.stringContaining('"keda.k8s.io/v1alpha1"') });
  });

  it('rejects a document that is not a mapping', () => {
    const [issue] = issues(only('- just\n- a list\n'));
    expect(issue).toMatchObject({ path: '', line: 1, message: expect.stringContaining('expected a Kubernetes object') });
  });

  it('reads JSON text, with lines', () => {
    // Prepare
    const text = readFixture('good/scaledobject.json');

    // Act
    const good = only(text, 'so.json');
    const bad = only(text.replace('"queueLength": "3"', '"queueLength": "3.5"'), 'so.json');

    // Assess
    expect(good.ok && good.scaledObject.spec.triggers[0]?.target).toBe(3);
    expect(issues(bad)).toMatchObject([{ path: 'spec.triggers[0].metadata.queueLength', line: lineContaining(text, 'queueLength') }]);
  });

  it('follows YAML anchors and merge keys', () => {
    // Prepare
    const text = `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: { name: anchors }
spec:
  scaleTargetRef: { name: anchors }
  triggers:
    - type: aws-sqs-queue
      metadata: &aws
        awsRegion: us-east-1
        queueURL: a
    - type: aws-sqs-queue
      metadata:
        <<: *aws
        queueURL: b
`;

    // Act
    const result = only(text);

    // Assess
    expect(result.ok && result.scaledObject.spec.triggers.map((t) => t.metadata)).toMatchObject([
      { queueURL: 'a', awsRegion: 'us-east-1' },
      { queueURL: 'b', awsRegion: 'us-east-1' },
    ]);
  });

  it('returns nothing for empty text', () => {
    expect(loadScaledObjects('', 'empty.yaml')).toEqual([]);
  });
});
