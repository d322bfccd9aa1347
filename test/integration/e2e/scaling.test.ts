/**
 * LPA end to end over real HTTP: a burst on SQS scales a Deployment from 0 following the HPA's
 * limits, the idle queue brings it back to 0 after the cooldown, concurrent evaluations scale once,
 * and a malformed ScaledObject is reported while the rest of its group scales.
 */
import { PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueueWorkers } from '../../../dev/local/workload.js';
import { MINUTE, sqsScaledObject, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ namespaces: ['shop'] });
});
afterAll(async () => h.close());

const replicasOf = (name: string) => h.env.kube.cluster.deployment('shop', name).specReplicas;

describe('E2E: a burst', () => {
  it('scales 0 → 1 → 4 → 20 at the HPA pace (legacy limit max(2×current, 4) per 15 s sync), then back to 0 after the cooldown', async () => {
    // Prepare: 300 messages, 10 per replica wanted, at most 20 replicas, 2-minute cooldown.
    const queueUrl = await h.createQueue('burst');
    h.env.kube.cluster.addDeployment({ namespace: 'shop', name: 'burst', replicas: 0, startupDelayMs: 30_000 });
    const group = h.group([sqsScaledObject('burst', queueUrl, { maxReplicaCount: 20, cooldownPeriod: 120 })]);
    await h.send(queueUrl, 300);

    // Act 1: the first tick activates and takes the first HPA step in the same evaluation.
    const [first] = await h.tick(group);
    // Assess
    expect(first).toMatchObject({ outcome: 'scaled', currentReplicas: 0, desiredReplicas: 4, reason: 'KEDAScaleTargetActivated' });
    expect(replicasOf('burst')).toBe(4);

    // Act 2: a minute later, four replayed syncs: 4 → 8 → 16 → 20 (max).
    h.clock.advance(MINUTE);
    const [second] = await h.tick(group);
    expect(second).toMatchObject({ outcome: 'scaled', currentReplicas: 4, desiredReplicas: 20, reason: 'TooManyReplicas' });

    // Act 3: the workers drain the queue; the target stays up while active and during the cooldown.
    const workers = createQueueWorkers({ cluster: h.env.kube.cluster, sqs: h.env.sqs.client, queueUrl, namespace: 'shop', deployment: 'burst', messagesPerReplicaPerSecond: 1 });
    h.clock.advance(MINUTE);
    expect(await workers.work(60)).toBe(300);
    const [drained] = await h.tick(group);
    expect(drained).toMatchObject({ outcome: 'unchanged', desiredReplicas: 20, active: false, reason: 'ScaleDownStabilized' });

    h.clock.advance(MINUTE);
    const [cooling] = await h.tick(group);
    expect(cooling).toMatchObject({ desiredReplicas: 20, active: false });

    // Assess: lastActiveTime was the second tick; cooldown 120 s ends strictly after +3 min.
    h.clock.advance(MINUTE);
    const [back] = await h.tick(group);
    expect(back).toMatchObject({ outcome: 'scaled', desiredReplicas: 0, reason: 'KEDAScaleTargetDeactivated' });
    expect(h.env.kube.cluster.deployment('shop', 'burst').history.map((c) => c.replicas)).toEqual([4, 20, 0]);
  });

  it('writes nothing to DynamoDB while an idle object stays at zero', async () => {
    const queueUrl = await h.createQueue('idle');
    h.env.kube.cluster.addDeployment({ namespace: 'shop', name: 'idle', replicas: 0 });
    const group = h.group([sqsScaledObject('idle', queueUrl)]);
    const [first] = await h.tick(group);
    h.clock.advance(MINUTE);
    const [second] = await h.tick(group);
    expect(first?.stateWritten).toBe(true);
    expect(second).toMatchObject({ outcome: 'unchanged', desiredReplicas: 0, stateWritten: false });
  });
});

describe('E2E: concurrency', () => {
  it('20 concurrent evaluations of one object yield exactly one scale change', async () => {
    // Prepare
    const queueUrl = await h.createQueue('race');
    h.env.kube.cluster.addDeployment({ namespace: 'shop', name: 'race', replicas: 0 });
    const group = h.group([sqsScaledObject('race', queueUrl)]);
    await h.send(queueUrl, 50);
    // Act
    const reports = (await Promise.all(Array.from({ length: 20 }, (_, i) => h.tick(group, `evaluation-${i}`)))).flat();
    // Assess
    expect(reports.filter((r) => r.outcome === 'scaled')).toHaveLength(1);
    expect(reports.filter((r) => r.outcome === 'failed')).toEqual([]);
    expect(h.env.kube.cluster.patchCount('shop', 'race')).toBe(1);
    expect(h.env.kube.cluster.deployment('shop', 'race').history.map((c) => c.replicas)).toEqual([4]);
  });
});

describe('E2E: a malformed ScaledObject in a group', () => {
  it('is reported with its path while the rest of the group scales', async () => {
    // Prepare
    const queueUrl = await h.createQueue('mixed');
    await h.env.sqs.client.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
    h.env.kube.cluster.addDeployment({ namespace: 'shop', name: 'mixed', replicas: 0 });
    await h.send(queueUrl, 20);
    const bad = sqsScaledObject('broken', queueUrl, { maxReplicaCount: 'lots' });
    const group = h.group([bad, sqsScaledObject('mixed', queueUrl)]);
    // Act
    const reports = await h.tick(group);
    // Assess
    expect(reports).toHaveLength(2);
    expect(reports[0]).toMatchObject({ id: 'lpa-local/shop/broken', outcome: 'invalid' });
    expect(reports[0]?.message).toContain('scaledObjects[0].spec.maxReplicaCount');
    expect(reports[1]).toMatchObject({ id: 'lpa-local/shop/mixed', outcome: 'scaled', desiredReplicas: 2 });
  });
});
