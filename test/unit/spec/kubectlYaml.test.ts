/**
 * Manifests are read as kubectl reads them (sigs.k8s.io/yaml over go-yaml v2), and no YAML input
 * can crash the loader: alias cycles, deep nesting and oversized text are issues with a line.
 */
import { describe, expect, it } from 'vitest';
import { loadDocuments, loadScaledObjects } from '../../../shared/spec/index.js';
import type { LoadedDocument, ParseResult } from '../../../shared/spec/index.js';
import { resolvePlainScalar } from '../../../shared/spec/yamlScalars.js';
import { readFixture } from './fixtures.js';

const SO = (spec: string): string => `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: orders
spec:
  scaleTargetRef:
    name: orders
${spec}  triggers:
    - type: cron
      metadata: {timezone: UTC, start: "0 8 * * *", end: "0 18 * * *", desiredReplicas: "3"}
`;

const results = (text: string, source = 'so.yaml'): LoadedDocument['result'][] => loadScaledObjects(text, source).map((d) => d.result);
const parsed = (text: string): ParseResult => {
  const [result] = results(text);
  if (result === undefined || 'skipped' in result) return expect.fail('expected a ScaledObject result');
  return result;
};
const issueLines = (result: ParseResult): [number | undefined, string, string][] =>
  result.ok ? [] : result.issues.map((i) => [i.line, i.path, i.message]);

describe('Function: resolvePlainScalar (go-yaml v2 resolve.go, as kubectl reads YAML)', () => {
  it.each([
    // resolve.go: strconv.ParseInt(plain, 0, 64) after dropping underscores
    { text: '010', value: 8 },
    { text: '0o10', value: 8 },
    { text: '0x1F', value: 31 },
    { text: '-0x10', value: -16 },
    { text: '0b101', value: 5 },
    { text: '5_000', value: 5000 },
    { text: '+5', value: 5 },
    { text: '0', value: 0 },
    { text: '9223372036854775808', value: 9223372036854775808 }, // ParseUint
    // yamlStyleFloat, after the integer forms failed
    { text: '1e3', value: 1000 },
    { text: '08', value: 8 },
    { text: '1_000.5', value: 1000.5 },
    { text: '-.5', value: -0.5 },
    { text: '.5', value: 0.5 },
    { text: '1.', value: 1 },
    // resolveMap: YAML 1.1 booleans and nulls
    { text: 'yes', value: true },
    { text: 'On', value: true },
    { text: 'y', value: true },
    { text: 'NO', value: false },
    { text: 'off', value: false },
    { text: 'n', value: false },
    { text: '~', value: null },
    { text: '', value: null },
    { text: 'Null', value: null },
    // strings to go-yaml too
    { text: '12:30', value: '12:30' }, // no base-60 numbers in go-yaml
    { text: '1e400', value: '1e400' }, // ParseFloat out of range: kept as text
    { text: `0${'0'.repeat(100)}17`, value: 15 }, // leading zeros do not count against the range
    { text: '9'.repeat(30), value: 1e30 }, // beyond uint64: a float
    { text: '9'.repeat(400), value: '9'.repeat(400) }, // beyond float64: kept as text
    { text: '0x', value: '0x' },
    { text: 'yess', value: 'yess' },
    { text: '.', value: '.' },
    { text: '0 8 * * *', value: '0 8 * * *' },
  ])('$text → $value', ({ text, value }) => {
    expect(resolvePlainScalar(text)).toEqual({ value });
  });

  it.each(['.inf', '-.Inf', '+.INF', '.nan'])('%s cannot be sent by kubectl', (text) => {
    expect(resolvePlainScalar(text)).toEqual({ error: expect.stringContaining('json: unsupported value') });
  });
});

describe('Function: loadScaledObjects (kubectl semantics)', () => {
  it('reads 010 as 8 and 5_000 as 5000, as kubectl sends them', () => {
    const result = parsed(SO('  minReplicaCount: 010\n  maxReplicaCount: 5_000\n'));
    expect(result.ok && [result.scaledObject.spec.minReplicaCount, result.scaledObject.spec.maxReplicaCount]).toEqual([8, 5000]);
  });

  it('keeps quoted and block scalars as text', () => {
    const result = parsed(SO('  maxReplicaCount: "010"\n'));
    expect(issueLines(result)).toEqual([[8, 'spec.maxReplicaCount', 'must be an integer, got "010"']]);
  });

  it('reads an unquoted yes as the boolean kubectl sends, which an annotation refuses', () => {
    const text = SO('').replace('  name: orders\nspec', '  name: orders\n  annotations:\n    autoscaling.keda.sh/paused: yes\nspec');
    expect(issueLines(parsed(text))).toEqual([[6, 'metadata.annotations["autoscaling.keda.sh/paused"]', 'values must be strings; quote it: "true"']]);
  });

  it('reports .inf at its line, as kubectl cannot send it', () => {
    expect(issueLines(parsed(SO('  maxReplicaCount: .inf\n')))).toEqual([[8, '', expect.stringContaining('YAML: .inf is Infinity to kubectl')]]);
  });

  it('refuses a misspelt kind of the keda.sh group, suggesting the right one', () => {
    const text = SO('').replace('kind: ScaledObject', 'kind: ScaledObjet');
    expect(issueLines(parsed(text))).toEqual([[2, 'kind', '"ScaledObjet" is not a kind of keda.sh; did you mean "ScaledObject"?']]);
  });

  it('skips KEDA’s own ScaledJob with a warning', () => {
    const [result] = results('apiVersion: keda.sh/v1alpha1\nkind: ScaledJob\nmetadata:\n  name: x\n');
    expect(result).toEqual({ skipped: true, warnings: [expect.objectContaining({ path: 'kind', message: expect.stringContaining('this is a ScaledJob') })] });
  });

  it.each(['TriggerAuthentication', 'ClusterTriggerAuthentication'])('leaves a %s to loadDocuments, which validates it', (kind) => {
    const text = `apiVersion: keda.sh/v1alpha1\nkind: ${kind}\nmetadata:\n  name: x\n`;
    expect(results(text)).toEqual([{ skipped: true, warnings: [] }]);
    expect(loadDocuments(text, 'ta.yaml')[0]?.result).toMatchObject({ authentication: true, ok: false, issues: [{ path: 'spec', message: 'is required' }] });
  });

  it('reads every object of `kubectl get scaledobjects -o yaml` (a v1 List)', () => {
    const documents = loadScaledObjects(readFixture('kubectl/get-scaledobjects-list.yaml'), 'list.yaml');
    expect(documents.map((d) => [d.documentIndex, d.kind])).toEqual([
      [0, 'ScaledObject'],
      [0, 'ScaledObject'],
    ]);
    const worker = documents[1]?.result;
    expect(worker !== undefined && 'ok' in worker && worker.ok && worker.scaledObject.metadata).toMatchObject({ name: 'worker-so', namespace: 'demo' });
  });

  it('places an issue of a List item under items[i], at its line', () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n${SO('  maxReplicas: 3\n').replace(/^/gm, '  ').replace(/^ {2}apiVersion/, '- apiVersion')}`;
    expect(issueLines(parsed(text))).toEqual([[11, 'items[0].spec.maxReplicas', 'unknown key; did you mean "maxReplicaCount"?']]);
  });
});

describe('Function: loadScaledObjects (bounded input)', () => {
  it('reports a self-referential alias with its line instead of overflowing the stack', () => {
    expect(issueLines(parsed('a: &a\n  b: *a\n'))).toEqual([[2, '', 'YAML: alias *a refers to the node that contains it, so its value would never end']]);
  });

  it('still reads an alias to an earlier sibling', () => {
    const text = SO('').replace('spec:\n', 'spec:\n  advanced: {}\n').replace('    name: orders\n', '    name: &n orders\n  pollingInterval: 15\n');
    expect(parsed(text).ok).toBe(true);
  });

  it.each([
    { shape: 'flow lists', text: `spec:\n  status: ${'['.repeat(5000)}${']'.repeat(5000)}\n` },
    { shape: 'block lists on one line', text: `spec:\n  status: \n    ${'- '.repeat(5000)}x\n` },
    { shape: 'flow mappings', text: `spec:\n  status: ${'{a: '.repeat(5000)}1${'}'.repeat(5000)}\n` },
  ])('reports $shape nested thousands deep as too deep, with a line', ({ text }) => {
    expect(issueLines(parsed(text))).toEqual([[expect.any(Number), '', expect.stringMatching(/nested more than 64 levels deep/)]]);
  });

  it('reads a document nested 60 levels deep', () => {
    const deep = `${'['.repeat(60)}${']'.repeat(60)}`;
    expect(parsed(SO('').replace('spec:\n', `status: ${deep}\nspec:\n`)).ok).toBe(true);
  });

  it('refuses text over 4 MiB before parsing it', () => {
    const text = `# ${'x'.repeat(4 * 1024 * 1024)}\n${SO('')}`;
    expect(issueLines(parsed(text))).toEqual([[undefined, '', expect.stringMatching(/^is 4194\d+ bytes; LPA reads at most 4194304 bytes \(4 MiB\) per input/)]]);
  });

  it('reports an alias bomb by its size', () => {
    const levels = Array.from({ length: 8 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(10).fill(`*l${i}`).join(', ')}]`);
    const text = `l0: &l0 [x]\n${levels.join('\n')}\n`;
    expect(issueLines(parsed(text))).toEqual([[expect.any(Number), '', expect.stringContaining('has more than 100000 values')]]);
  });
});
