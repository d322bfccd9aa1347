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

  it('refuses props with neither manifests nor a cluster source', () => {
    expect(() => synthesize({ manifests: [] })).toThrow('manifests: give at least one file or ScaledObject, or set source.fromCluster');
  });
});
