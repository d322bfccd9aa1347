/**
 * Cluster access end to end: the EKS token's lifetime (re-minted when it expires, and once more on
 * a 401) and RBAC refusals named precisely, against the HTTPS stand-in that verifies tokens as
 * aws-iam-authenticator does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MINUTE, sqsScaledObject, startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const activeObject = async (harness: Harness, name: string, replicas = 1) => {
  const queueUrl = await harness.createQueue(name);
  await harness.send(queueUrl, 30);
  harness.env.kube.cluster.addDeployment({ namespace: 'shop', name, replicas });
  return harness.group([sqsScaledObject(name, queueUrl)]);
};

describe('E2E: the EKS token', () => {
  it('is minted once and reused while it is fresh, then minted again after 14 minutes', async () => {
    h = await startHarness({ namespaces: ['shop'] });
    const group = await activeObject(h, 'fresh');
    await h.tick(group);
    h.clock.advance(5 * MINUTE);
    await h.tick(group);
    expect(h.tokenMints()).toBe(1);
    h.clock.advance(10 * MINUTE);
    const [report] = await h.tick(group);
    expect(h.tokenMints()).toBe(2);
    expect(report?.outcome).not.toBe('failed');
  });

  it('is re-minted once when the API server answers 401, and the evaluation goes on', async () => {
    // Prepare: the API server's clock runs 10 minutes ahead, so a cached token expires there first.
    h = await startHarness({ namespaces: ['shop'], kubeClockOffsetMs: 10 * MINUTE });
    const group = await activeObject(h, 'stale');
    await h.tick(group);
    h.clock.advance(6 * MINUTE);
    // Act: LPA's cache says the token is good for 8 more minutes; the server says it is 16 minutes old.
    const [report] = await h.tick(group);
    // Assess
    expect(report?.outcome).not.toBe('failed');
    expect(h.tokenMints()).toBe(2);
    const statuses = h.env.kube.requests.filter((r) => r.path.includes('/deployments/stale/scale') && r.method === 'GET').map((r) => r.status);
    expect(statuses.slice(-2)).toEqual([401, 200]);
  });
});

describe('E2E: RBAC', () => {
  it('names the verb and resource a missing rule refuses, and releases the lease', async () => {
    // Prepare: the Role lacks `patch` on deployments/scale.
    h = await startHarness({
      rbac: [
        {
          subjects: { groups: ['lpa-scaler'] },
          namespace: 'shop',
          rules: [
            { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] },
            { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get'] },
          ],
        },
      ],
    });
    const group = await activeObject(h, 'readonly');
    // Act
    const [report] = await h.tick(group);
    // Assess
    expect(report).toMatchObject({ outcome: 'failed', reason: 'FailedUpdateScale', stateWritten: false });
    expect(report?.message).toContain('cannot patch resource "deployments/scale" in API group "apps" in the namespace "shop"');
    expect(report?.message).toContain('shop/readonly');
    await expect(h.runtime.stateStore.acquireLease('lpa-local/shop/readonly', undefined, 'next-tick', h.clock.now(), 30_000)).resolves.toBeUndefined();
  });
});
