/**
 * Any scale target over real HTTPS: the scale client resolves `scaleTargetRef` through the local API's
 * discovery (shaped like the recorded kube-apiserver's, `kube-api-responses-keda.md` §1-3) and reads and
 * patches the `/scale` of Deployments, StatefulSets and custom resources.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApi, type KubeApiHandle } from '../../../dev/local/kubeApi.js';
import { staticTokenSource } from '../../../shared/kube/bearerToken.js';
import { KubeApiError, ScaleTargetError } from '../../../shared/kube/errors.js';
import { connectScaleClient } from '../../../shared/kube/scaleClient.js';
import { createKubeAgent, type KubeAgent } from '../../../shared/kube/transport.js';
import type { ScaleClient } from '../../../shared/kube/types.js';

const TOKEN = 'scaler-static-token-0123456789';
const WIDGETS = { group: 'demo.example.com', version: 'v1', kind: 'Widget', resource: 'widgets' };
const retry = { attempts: 1, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined, random: () => 0 };

let kube: KubeApiHandle;
let agent: KubeAgent;

beforeAll(async () => {
  kube = await startKubeApi({
    clusterName: 'demo',
    region: 'eu-west-1',
    staticTokens: { [TOKEN]: { username: 'scaler', groups: ['lpa-scalers'] } },
    rbac: [
      {
        subjects: { groups: ['lpa-scalers'] },
        namespace: 'demo',
        rules: [
          { apiGroups: ['apps'], resources: ['deployments/scale', 'statefulsets/scale'], verbs: ['get', 'patch'] },
          { apiGroups: ['demo.example.com'], resources: ['widgets/scale', 'gadgets/scale'], verbs: ['get', 'patch'] },
        ],
      },
    ],
  });
  kube.cluster.addStatefulSet({ namespace: 'demo', name: 'web', replicas: 2 });
  kube.cluster.addCustomResourceDefinition({ ...WIDGETS, scale: true });
  kube.cluster.addCustomResourceDefinition({ group: 'demo.example.com', version: 'v1', kind: 'Gadget', resource: 'gadgets', scale: false });
  kube.cluster.addCustomResource({ ...WIDGETS, namespace: 'demo', name: 'w1', replicas: 2, withoutStatus: true });
  kube.cluster.addCustomResource({ ...WIDGETS, namespace: 'demo', name: 'w2', replicas: 0, withoutSpecReplicas: true });
  agent = createKubeAgent(kube.caPem);
});

afterAll(async () => {
  await agent.close();
  await kube.close();
});

const client = (): ScaleClient => connectScaleClient({ endpoint: kube.url, agent, tokens: staticTokenSource(TOKEN), retry });

describe('Integration: scale targets of any kind', () => {
  it('scales a StatefulSet through statefulsets/scale', async () => {
    // Act
    const scaled = await client().patchScale('demo', { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web' }, 4);
    // Assess
    expect(scaled).toEqual({ specReplicas: 4, statusReplicas: 4, selector: 'app=web', resource: { group: 'apps', version: 'v1', kind: 'StatefulSet', resource: 'statefulsets' } });
    expect(kube.cluster.workload({ group: 'apps', resource: 'statefulsets' }, 'demo', 'web').specReplicas).toBe(4);
    expect(kube.requests.at(-1)?.path).toBe('/apis/apps/v1/namespaces/demo/statefulsets/web/scale');
  });

  it('reads a custom resource with no status as 0 replicas and no selector, and scales it', async () => {
    const c = client();
    const ref = { apiVersion: 'demo.example.com/v1', kind: 'Widget', name: 'w1' };
    expect(await c.getScale('demo', ref)).toEqual({ specReplicas: 2, statusReplicas: 0, selector: undefined, resource: WIDGETS });
    await c.patchScale('demo', ref, 3);
    expect(kube.cluster.workload(WIDGETS, 'demo', 'w1').specReplicas).toBe(3);
  });

  it('asks discovery once per group-version for many calls of one client', async () => {
    const c = client();
    const start = kube.requests.length;
    const ref = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web' };
    await Promise.all([c.getScale('demo', ref), c.getScale('demo', ref), c.patchScale('demo', ref, 2)]);
    expect(kube.requests.slice(start).filter((r) => r.path === '/apis/apps/v1')).toHaveLength(1);
  });

  it('fails on a custom resource without .spec.replicas with the server\'s 500', async () => {
    const error = await client().getScale('demo', { apiVersion: 'demo.example.com/v1', kind: 'Widget', name: 'w2' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as Error).message).toBe(
      'get widgets/scale of widget demo/w2 failed: HTTP 500 InternalError; the server said: Internal error occurred: the spec replicas field ".spec.replicas" does not exist',
    );
  });

  it.each([
    {
      comment: 'a kind without /scale',
      ref: { apiVersion: 'demo.example.com/v1', kind: 'Gadget', name: 'g1' },
      message: 'kind "Gadget" (demo.example.com/v1) has no /scale subresource (gadgets/scale is not served): LPA scales Deployments, StatefulSets and custom resources whose CRD declares subresources.scale',
    },
    {
      comment: 'a kind the version does not serve',
      ref: { apiVersion: 'apps/v1', kind: 'deployment', name: 'web' },
      message: 'kind "deployment" (apps/v1) is not served by the cluster: apiVersion apps/v1 serves ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet (kind is case-sensitive)',
    },
    {
      comment: 'an apiVersion the cluster does not serve',
      ref: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'r' },
      message: 'kind "Rollout" (argoproj.io/v1alpha1): the cluster does not serve apiVersion argoproj.io/v1alpha1 (is its CRD installed?)',
    },
  ])('refuses $comment, naming the kind, before any scale call', async ({ ref, message }) => {
    const start = kube.requests.length;
    const error = await client().getScale('demo', ref).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScaleTargetError);
    expect((error as Error).message).toBe(message);
    expect(kube.requests.slice(start).some((r) => r.path.endsWith('/scale'))).toBe(false);
  });
});
