/** The construct's cluster source: its own schedule, its RBAC, and the one extra IAM action it needs. */
import { describe, expect, it } from 'vitest';
import { parseScaleGroup } from '../../shared/app/scaleGroup.js';
import { rbacObjects } from '../../infra/index.js';
import { statementBySid, synthesize } from './fixtures.js';

describe('Construct: PodAutoscaler with source.fromCluster', () => {
  const { template, autoscaler } = synthesize({ manifests: [], source: { fromCluster: { namespaces: ['shop'], labelSelector: 'autoscaler=lpa' } } });

  it('schedules a tick whose ScaleGroup lists the cluster, with no manifests', () => {
    const inputs = Object.values(template.findResources('AWS::Scheduler::Schedule')).map((s) => JSON.parse(s.Properties.Target.Input as string) as unknown);
    expect(inputs).toEqual([{ cluster: { name: 'demo', region: 'eu-west-1' }, scaledObjects: [], source: { fromCluster: { namespaces: ['shop'], labelSelector: 'autoscaler=lpa' } } }]);
    const parsed = parseScaleGroup(inputs[0]);
    expect(parsed.ok && parsed.group.fromCluster).toEqual({ namespaces: ['shop'], labelSelector: 'autoscaler=lpa' });
  });

  it('grants the cluster source’s RBAC in the namespaces it serves', () => {
    expect(autoscaler.rbacObjects).toEqual(rbacObjects({ targets: [], fromCluster: { namespaces: ['shop'], scaleKinds: [] } }));
  });

  it('lets the scaler delete state items (a deleted ScaledObject’s), which manifests alone never need', () => {
    expect(statementBySid(template, 'LpaScaler', 'StateTable')?.Action).toContain('dynamodb:DeleteItem');
    const manifestsOnly = synthesize().template;
    expect(statementBySid(manifestsOnly, 'LpaScaler', 'StateTable')?.Action).not.toContain('dynamodb:DeleteItem');
  });

  /** The `lambda:InvokeFunction` statements of the policies attached to the scaler's role. */
  const scalerInvokes = (t: typeof template) => {
    const role = Object.keys(t.findResources('AWS::IAM::Role')).find((id) => id.startsWith('LpaScalerRole'));
    return Object.values(t.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: role }]))
      .flatMap((p) => (p.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).filter((st) => [st.Action].flat().includes('lambda:InvokeFunction')).map((st) => ({ policy: p.Properties.PolicyName as unknown, st })));
  };

  it('lets the scaler invoke exactly its own ARN (fan-out), in a policy of its own, and tells it the shard size', () => {
    const scaler = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('LpaScalerFunction'));
    const invokes = scalerInvokes(template);
    expect(invokes.map(({ st }) => st)).toEqual([{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [scaler?.[0], 'Arn'] } }]);
    // Not the role's default policy, which the function depends on (a cycle).
    expect(String(invokes[0]?.policy)).not.toMatch(/DefaultPolicy/);
    expect(scaler?.[1].Properties.Environment.Variables.LPA_SHARD_SIZE).toBe('250');
  });

  it('takes the shard size from source.fromCluster.shardSize', () => {
    const sized = synthesize({ manifests: [], source: { fromCluster: { shardSize: 200 } } }).template;
    const scaler = Object.entries(sized.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith('LpaScalerFunction'));
    expect(scaler?.[1].Properties.Environment.Variables.LPA_SHARD_SIZE).toBe('200');
  });

  it('grants no invoke and sets no shard size with manifests alone', () => {
    const manifestsOnly = synthesize().template;
    expect(scalerInvokes(manifestsOnly)).toEqual([]);
    expect(JSON.stringify(manifestsOnly.toJSON())).not.toContain('LPA_SHARD_SIZE');
  });

  it('refuses a shard size that is not a positive whole number, naming the prop', () => {
    expect(() => synthesize({ manifests: [], source: { fromCluster: { shardSize: 0 } } })).toThrow('source.fromCluster.shardSize: must be a positive whole number, got 0');
  });

  it('refuses props with neither manifests nor a cluster source', () => {
    expect(() => synthesize({ manifests: [] })).toThrow('manifests: give at least one file or ScaledObject, or set source.fromCluster');
  });
});
