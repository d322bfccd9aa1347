import type { RbacBinding } from '../../dev/local/kube/rbac.js';
import type { KubernetesObject } from '../../infra/rbac.js';
import type { Discovery, ScaleResource } from '../../shared/kube/discovery.js';
import { createScaleClient } from '../../shared/kube/scaleClient.js';
import { createKubeTransport, type TransportOptions } from '../../shared/kube/transport.js';
import type { ScaleClient, ScaleTargetRef } from '../../shared/kube/types.js';

/** A `scaleTargetRef` with KEDA's defaults: a Deployment in apps/v1. */
const deploymentRef = (name: string): ScaleTargetRef => ({ apiVersion: 'apps/v1', kind: 'Deployment', name });

/** What discovery resolves a Deployment to (the recorded `/apis/apps/v1`). */
const DEPLOYMENTS: ScaleResource = { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments' };

/**
 * For tests of the scale requests themselves against a scripted server that serves no discovery:
 * every target resolves to Deployments (discovery has its own tests).
 */
const deploymentsOnly: Discovery = { resolveScalable: async () => DEPLOYMENTS };

const scaleClientWithoutDiscovery = (options: TransportOptions): ScaleClient => createScaleClient(createKubeTransport(options), deploymentsOnly);

/** Generated Roles + RoleBindings (and ClusterRoles + ClusterRoleBindings) as the local Kubernetes stand-in evaluates RBAC. */
const asBindings = (objects: readonly KubernetesObject[]): RbacBinding[] =>
  objects
    .filter((object) => object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding')
    .map((binding) => {
      const clusterWide = binding.kind === 'ClusterRoleBinding';
      const namespace = clusterWide ? '' : (binding.metadata as { namespace: string }).namespace;
      const roleName = (binding.roleRef as { name: string }).name;
      const role = objects.find(
        (o) => o.kind === (clusterWide ? 'ClusterRole' : 'Role') && ((o.metadata as { namespace?: string }).namespace ?? '') === namespace && (o.metadata as { name: string }).name === roleName,
      );
      const groups = (binding.subjects as { kind: string; name: string }[]).filter((s) => s.kind === 'Group').map((s) => s.name);
      return { namespace, ...(clusterWide ? { clusterWide } : {}), subjects: { groups }, rules: (role?.rules ?? []) as RbacBinding['rules'] };
    });

export { DEPLOYMENTS, asBindings, deploymentRef, scaleClientWithoutDiscovery };
