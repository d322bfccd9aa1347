/**
 * What LPA does when something it reads or writes fails, end to end over real HTTP: metric outages
 * (fallback, and never scaling to zero on errors), Kubernetes errors, DynamoDB condition failures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateStore } from '../../../shared/state/types.js';
import { MINUTE, sqsScaledObject, startHarness, type Harness } from './harness.js';

let h: Harness;
let missingQueue: string;
beforeAll(async () => {
  h = await startHarness({ namespaces: ['shop'] });
  missingQueue = `${h.env.sqs.endpoint}/000000000000/does-not-exist`;
});
afterAll(async () => h.close());

const history = (name: string) => h.env.kube.cluster.deployment('shop', name).history.map((c) => c.replicas);

describe('E2E: a metric outage', () => {
  it('falls back to fallback.replicas once failures exceed failureThreshold, from zero', async () => {
    // Prepare: the queue cannot be read; fallback after more than 2 consecutive failures.
    h.env.kube.cluster.addDeployment({ namespace: 'shop', name: 'fallback', replicas: 0 });
    const group = h.group([sqsScaledObject('fallback', missingQueue, { fallback: { failureThreshold: 2, replicas: 3 } })]);
    // Act
    const outcomes = [];
    for (let i = 0; i < 3; i++) {
      outcomes.push((await h.tick(group))[0]);
      h.clock.advance(MINUTE);
    }
    // Assess: two failures hold 0; the third is past the threshold: 0 → 1 → 3 (T×F gives exactly F).
    expect(outcomes.map((r) => r?.desiredReplicas)).toEqual([0, 0, 3]);
    expect(outcomes[0]).toMatchObject({ outcome: 'unchanged', reason: 'TriggerError' });
    expect(String(outcomes[0]?.metrics?.queue)).toContain('GetQueueAttributes');
    expect(history('fallback')).toEqual([3]);
  });

  it('never scales to zero on errors, however long they last', async () => {
    // Prepare: 5 replicas, min 0, no fallback, a 2-minute cooldown.
    h.env.kube.cluster.addDeployment({ namespace: 'shop', name: 'outage', replicas: 5 });
    const group = h.group([sqsScaledObject('outage', missingQueue, { cooldownPeriod: 120 })]);
    // Act: fifteen minutes of failed reads.
    const reasons = new Set<string>();
    for (let i = 0; i < 15; i++) {
      const [report] = await h.tick(group);
      reasons.add(report?.reason ?? '');
      h.clock.advance(MINUTE);
    }
    // Assess
    expect(h.env.kube.cluster.deployment('shop', 'outage').specReplicas).toBe(5);
    expect(history('outage')).toEqual([]);
    expect([...reasons]).toEqual(['FailedGetExternalMetric']);
  });
});

describe('E2E: Kubernetes errors', () => {
  it('reports a missing Deployment by name while the other objects of the group scale', async () => {
    const queueUrl = await h.createQueue('k404');
    await h.send(queueUrl, 30);
    h.env.kube.cluster.addDeployment({ namespace: 'shop', name: 'present', replicas: 1 });
    const group = h.group([sqsScaledObject('ghost', queueUrl), sqsScaledObject('present', queueUrl)]);
    const [ghost, present] = await h.tick(group);
    expect(ghost).toMatchObject({ outcome: 'failed', reason: 'FailedGetScale' });
    expect(ghost?.message).toContain('deployment shop/ghost not found');
    expect(present).toMatchObject({ outcome: 'scaled', desiredReplicas: 3 });
  });

  it.each([
    { status: 409 as const, method: 'PATCH' },
    { status: 429 as const, method: 'PATCH' },
    { status: 500 as const, method: 'GET' },
    { status: 503 as const, method: 'PATCH' },
  ])('retries a $status on $method and scales once', async ({ status, method }) => {
    // Prepare
    const name = `retry-${status}`;
    const queueUrl = await h.createQueue(name);
    await h.send(queueUrl, 20);
    h.env.kube.cluster.addDeployment({ namespace: 'shop', name, replicas: 1 });
    h.env.kube.cluster.injectFailures({ status, count: 1, method, pathIncludes: `/deployments/${name}/scale` });
    // Act
    const [report] = await h.tick(h.group([sqsScaledObject(name, queueUrl)]));
    // Assess
    expect(report).toMatchObject({ outcome: 'scaled', desiredReplicas: 2 });
    const statuses = h.env.kube.requests.filter((r) => r.path.includes(`/deployments/${name}/scale`) && r.method === method).map((r) => r.status);
    expect(statuses).toEqual([status, 200]);
    expect(history(name)).toEqual([2]);
  });
});

describe('E2E: DynamoDB condition failures', () => {
  it('re-reads and decides again when another evaluation wrote the state first (no update lost)', async () => {
    // Prepare: an active object whose state changes without a scale; a rival save lands first.
    const queueUrl = await h.createQueue('rival');
    await h.send(queueUrl, 20);
    h.env.kube.cluster.addDeployment({ namespace: 'shop', name: 'rival', replicas: 2 });
    const group = h.group([sqsScaledObject('rival', queueUrl)]);
    await h.tick(group);
    h.clock.advance(MINUTE);
    const store = h.runtime.stateStore;
    let interfered = false;
    const racing: StateStore = {
      ...store,
      load: (ids) => store.load(ids),
      acquireLease: (...args) => store.acquireLease(...args),
      releaseLease: (...args) => store.releaseLease(...args),
      recordDecision: (...args) => store.recordDecision(...args),
      listDecisions: (...args) => store.listDecisions(...args),
      save: async (id, state, version, options) => {
        if (!interfered) {
          // Another evaluation, one tick behind, commits its own view first.
          interfered = true;
          const previous = (await store.load([id])).get(id);
          if (previous === undefined || previous instanceof Error || previous.state === undefined) throw new Error('no previous state');
          await store.save(id, { ...previous.state, failures: { elsewhere: 1 } }, version, options);
        }
        return store.save(id, state, version, options);
      },
    };
    // Act
    const [report] = await h.tick(group, undefined, { stateStore: racing });
    // Assess: the first save conflicted, the object was decided again on the fresh state and saved.
    expect(report).toMatchObject({ outcome: 'unchanged', stateWritten: true });
    const stored = (await store.load(['lpa-local/shop/rival'])).get('lpa-local/shop/rival');
    expect(stored).toMatchObject({ version: 3 });
  });

  it('skips the scale when another evaluation holds the lease, and leaves the target alone', async () => {
    const queueUrl = await h.createQueue('leased');
    await h.send(queueUrl, 40);
    h.env.kube.cluster.addDeployment({ namespace: 'shop', name: 'leased', replicas: 1 });
    const group = h.group([sqsScaledObject('leased', queueUrl)]);
    await h.runtime.stateStore.acquireLease('lpa-local/shop/leased', undefined, 'someone-else', h.clock.now(), 30_000);
    const [report] = await h.tick(group);
    expect(report).toMatchObject({ outcome: 'skipped', reason: 'LeaseHeld', stateWritten: false });
    expect(history('leased')).toEqual([]);
  });
});
