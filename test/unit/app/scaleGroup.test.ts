import { describe, expect, it } from 'vitest';
import { objectId, parseScaleGroup, resolveScaleGroup } from '../../../shared/app/scaleGroup.js';
import { ValidationError } from '../../../shared/errors.js';
import { CLUSTER, groupOf, sqsScaledObject } from '../../helpers/manifests.js';

/** The issues of a group whose envelope must be refused. */
const envelopeIssues = (event: unknown) => {
  const parsed = parseScaleGroup(event);
  if (parsed.ok) throw new Error('expected the envelope to be refused');
  return parsed.issues;
};

/** The group of an envelope that must be accepted. */
const acceptedGroup = (event: unknown, source?: string) => {
  const parsed = parseScaleGroup(event, source);
  if (!parsed.ok) throw new Error(parsed.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return parsed.group;
};

const thrown = (act: () => unknown): unknown => {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('parseScaleGroup: the envelope', () => {
  it.each(['endpoint', 'caData'])('refuses cluster.%s from the event: the token for the cluster would go wherever it points', (key) => {
    // Act
    const parsed = parseScaleGroup({ cluster: { ...CLUSTER, [key]: 'https://attacker.example' }, scaledObjects: [sqsScaledObject('a')] });

    // Assess
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      `cluster.${key}: is not taken from an event (an EKS token for the cluster would be sent wherever it points); the function reads the endpoint and CA from its configuration (LPA_CLUSTERS) or from eks:DescribeCluster`,
    ]);
  });

  it('parses the cluster and every manifest, KEDA defaults applied', () => {
    // Act
    const group = acceptedGroup({ cluster: CLUSTER, scaledObjects: [sqsScaledObject('a')] });

    // Assess
    expect(group.cluster).toEqual(CLUSTER);
    expect(group.objects.map((so) => [so.metadata.namespace, so.metadata.name, so.spec.cooldownPeriod])).toEqual([['shop', 'a', 300]]);
    expect(group.invalid).toEqual([]);
  });

  it.each([
    { comment: 'the region is not an AWS region', event: { cluster: { name: 'demo', region: 'Ireland' }, scaledObjects: [{}] }, path: 'cluster.region', fragment: 'AWS region' },
    { comment: 'the cluster has no name', event: { cluster: { name: '', region: 'eu-west-1' }, scaledObjects: [{}] }, path: 'cluster.name', fragment: '' },
    { comment: 'the cluster is missing', event: { scaledObjects: [{}] }, path: 'cluster', fragment: '' },
    { comment: 'the group lists no ScaledObject', event: { cluster: CLUSTER, scaledObjects: [] }, path: 'scaledObjects', fragment: 'at least one' },
    { comment: 'scaledObjects is not a list', event: { cluster: CLUSTER, scaledObjects: { a: 1 } }, path: 'scaledObjects', fragment: 'array' },
    { comment: 'the cluster has an unknown key', event: { cluster: { ...CLUSTER, roleArn: 'x' }, scaledObjects: [{}] }, path: 'cluster', fragment: 'roleArn' },
    { comment: 'the group has an unknown key', event: { cluster: CLUSTER, scaledObjects: [{}], objects: [] }, path: '', fragment: 'objects' },
    { comment: 'the event is not an object', event: 'demo', path: '', fragment: 'object' },
  ])('refuses the envelope naming the path when $comment', ({ event, path, fragment }) => {
    // Act
    const issues = envelopeIssues(event);

    // Assess
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ source: '<event>', documentIndex: 0, path });
    expect(issues[0]?.message).toContain(fragment);
  });

  it('reads a shard: its tick, id and listed objects, beside the source it came from', () => {
    // Act
    const group = acceptedGroup({
      cluster: CLUSTER,
      source: { fromCluster: { namespaces: ['shop'] }, shard: { tick: 1_700_000_000_000, id: '3.1', items: [{ metadata: { name: 'a', namespace: 'shop', uid: 'u', resourceVersion: '7' }, spec: {} }] } },
    });

    // Assess
    expect(group.fromCluster).toEqual({ namespaces: ['shop'] });
    expect(group.shard).toEqual({ tick: 1_700_000_000_000, id: '3.1', items: [{ metadata: { name: 'a', namespace: 'shop', uid: 'u', resourceVersion: '7' }, spec: {} }] });
  });

  it('refuses a shard item without what a status write needs, naming its path', () => {
    // Act
    const issues = envelopeIssues({ cluster: CLUSTER, source: { fromCluster: {}, shard: { tick: 1, id: '0', items: [{ metadata: { name: 'a', namespace: 'shop', uid: 'u' }, spec: {} }] } } });

    // Assess
    expect(issues.map((i) => i.path)).toEqual(['source.shard.items[0].metadata.resourceVersion']);
  });

  it('names every broken rule of the envelope at once', () => {
    // Act
    const issues = envelopeIssues({ cluster: { name: 'demo', region: 'eu' }, scaledObjects: [] });

    // Assess
    expect(issues.map((i) => i.path)).toEqual(['cluster.region', 'scaledObjects']);
  });

  it('names the source it is given', () => {
    // Act
    const issues = parseScaleGroup({ cluster: CLUSTER }, 'events/tick.json');

    // Assess
    expect(issues).toMatchObject({ ok: false, issues: [{ source: 'events/tick.json', path: 'scaledObjects' }] });
  });
});

describe('parseScaleGroup: one manifest at a time', () => {
  it('keeps an invalid manifest, with paths prefixed by its index, while the valid ones parse', () => {
    // Act
    const group = acceptedGroup({ cluster: CLUSTER, scaledObjects: [sqsScaledObject('good'), sqsScaledObject('broken', { maxReplicaCount: 'lots' })] });

    // Assess
    expect(group.objects.map((so) => so.metadata.name)).toEqual(['good']);
    expect(group.invalid).toHaveLength(1);
    expect(group.invalid[0]).toMatchObject({ index: 1, label: 'shop/broken' });
    expect(group.invalid[0]?.issues.map((i) => i.path)).toEqual(['scaledObjects[1].spec.maxReplicaCount']);
  });

  it.each([
    { comment: 'a namespace and a name', manifest: sqsScaledObject('broken', { maxReplicaCount: -1 }), label: 'shop/broken' },
    { comment: 'a name only (namespace "default", as Kubernetes fills it)', manifest: { ...sqsScaledObject('broken', { maxReplicaCount: -1 }), metadata: { name: 'broken' } }, label: 'default/broken' },
    { comment: 'no name', manifest: { kind: 'ScaledObject', spec: {} }, label: 'scaledObjects[0]' },
    { comment: 'not an object', manifest: 42, label: 'scaledObjects[0]' },
  ])('labels an invalid manifest with $comment as $label', ({ manifest, label }) => {
    // Act
    const group = acceptedGroup({ cluster: CLUSTER, scaledObjects: [manifest] });

    // Assess
    expect(group.invalid[0]?.label).toBe(label);
  });

  it.each([
    { comment: 'the whole manifest', manifest: null, path: 'scaledObjects[0]' },
    { comment: 'a nested field', manifest: sqsScaledObject('a', { pollingInterval: 0 }), path: 'scaledObjects[0].spec.pollingInterval' },
    { comment: 'a top-level key that needs quoting', manifest: { ...sqsScaledObject('a'), 'x.y': 1 }, path: 'scaledObjects[0]["x.y"]' },
    { comment: 'a nested key that needs quoting', manifest: sqsScaledObject('a', { 'x.y': 1 }), path: 'scaledObjects[0].spec["x.y"]' },
  ])('prefixes the path of $comment with the manifest index', ({ manifest, path }) => {
    // Act
    const group = acceptedGroup({ cluster: CLUSTER, scaledObjects: [manifest] });

    // Assess
    expect(group.invalid[0]?.issues[0]?.path).toBe(path);
  });

  it('refuses a second ScaledObject with the same namespace and name, keeping the first', () => {
    // Act
    const group = acceptedGroup({ cluster: CLUSTER, scaledObjects: [sqsScaledObject('a', { maxReplicaCount: 5 }), sqsScaledObject('a', { maxReplicaCount: 9 })] });

    // Assess
    expect(group.objects.map((so) => so.spec.maxReplicaCount)).toEqual([5]);
    expect(group.invalid).toEqual([
      { index: 1, label: 'shop/a', issues: [{ source: '<event>', documentIndex: 0, path: 'scaledObjects[1].metadata.name', message: 'duplicate ScaledObject shop/a in this group' }] },
    ]);
  });

  it('treats a missing namespace as "default" when looking for duplicates', () => {
    // Prepare
    const implicit = { ...sqsScaledObject('a'), metadata: { name: 'a' } };

    // Act
    const group = acceptedGroup({ cluster: CLUSTER, scaledObjects: [sqsScaledObject('a', {}, 'default'), implicit] });

    // Assess
    expect(group.invalid.map((o) => o.label)).toEqual(['default/a']);
  });

  it('accepts the same name in two namespaces', () => {
    // Act
    const group = acceptedGroup({ cluster: CLUSTER, scaledObjects: [sqsScaledObject('a', {}, 'shop'), sqsScaledObject('a', {}, 'billing')] });

    // Assess
    expect(group.objects).toHaveLength(2);
    expect(group.invalid).toEqual([]);
  });
});

describe('resolveScaleGroup', () => {
  const fromEvent = { cluster: { name: 'from-event', region: 'eu-west-1' }, scaledObjects: [sqsScaledObject('a')] };
  const configured = { cluster: { name: 'from-config', region: 'eu-west-1' }, scaledObjects: [sqsScaledObject('a')] };

  it.each([
    { comment: 'the event carries a group', event: fromEvent, cluster: 'from-event' },
    { comment: 'the event carries none', event: undefined, cluster: 'from-config' },
    { comment: 'the event is null', event: null, cluster: 'from-config' },
  ])('evaluates the event group over the configured one: $comment → $cluster', ({ event, cluster }) => {
    // Act
    const group = resolveScaleGroup(event, configured);

    // Assess
    expect(group.cluster.name).toBe(cluster);
  });

  it('throws a ValidationError when neither the event nor the configuration has a group', () => {
    // Act
    const error = thrown(() => resolveScaleGroup(undefined, undefined));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toContain('the event carries no ScaleGroup and LPA_SCALE_GROUP is not set');
  });

  it.each([
    { comment: 'the event', event: { cluster: { name: 'x', region: 'nowhere' }, scaledObjects: [{}] }, config: undefined, source: '<event>' },
    { comment: 'the configuration', event: undefined, config: { cluster: { name: 'x', region: 'nowhere' }, scaledObjects: [{}] }, source: 'LPA_SCALE_GROUP' },
    { comment: 'the configuration, the event being null', event: null, config: { cluster: { name: 'x', region: 'nowhere' }, scaledObjects: [{}] }, source: 'LPA_SCALE_GROUP' },
  ])('throws the envelope issues of $comment, naming it as the source', ({ event, config, source }) => {
    // Act
    const error = thrown(() => resolveScaleGroup(event, config));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([expect.objectContaining({ source, path: 'cluster.region' })]);
  });

  it('returns a group with invalid manifests instead of throwing', () => {
    // Act
    const group = resolveScaleGroup({ cluster: CLUSTER, scaledObjects: [sqsScaledObject('a', { pollingInterval: 0 })] }, undefined);

    // Assess
    expect(group.objects).toEqual([]);
    expect(group.invalid.map((o) => o.label)).toEqual(['shop/a']);
  });
});

describe('objectId', () => {
  it('is <cluster>/<namespace>/<name>, so one object on two clusters has two states', () => {
    // Prepare
    const [so] = groupOf([sqsScaledObject('orders-worker')]).objects;
    if (so === undefined) throw new Error('the manifest is valid');

    // Act
    const ids = [objectId(CLUSTER, so), objectId({ name: 'other', region: 'us-east-1' }, so)];

    // Assess
    expect(ids).toEqual(['demo/shop/orders-worker', 'other/shop/orders-worker']);
  });
});
