/**
 * Seed 001 end to end: the airflow worker's `kafka` trigger (the user's manifest, verbatim but for
 * the broker address) scales its Deployment on consumer lag read from the local Kafka broker, through
 * reconcile with the real runtime, and back to zero once the group has caught up and the cooldown
 * has passed. Then KEDA's partition cap as replicas: capped at the partition count, except for
 * KEDA's integer-division remainder, which asks for one replica more (kedacore/keda#4483).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKafkaBroker } from '../../../dev/local/kafka/broker.js';
import type { LocalKafkaBroker } from '../../../dev/local/kafka/broker.js';
import { MINUTE, startHarness, type Harness } from './harness.js';

const SEED = new URL('../../fixtures/manifests/seeds/001_8d91fbf51506e1d3-1.yaml', import.meta.url);

let h: Harness;
let kafka: LocalKafkaBroker;

beforeAll(async () => {
  [h, kafka] = await Promise.all([startHarness({ namespaces: ['default'] }), startKafkaBroker()]);
});
afterAll(async () => {
  await Promise.all([h.close(), kafka.close()]);
});

/** Seed 001's ScaledObject pointed at the local broker (the user's `kafka.svc:9092` is in their cluster). */
const seedManifest = (name: string): Record<string, any> => {
  const manifest = parse(readFileSync(SEED, 'utf8'));
  manifest.metadata.name = name;
  manifest.spec.scaleTargetRef.name = name;
  manifest.spec.triggers[0].metadata.bootstrapServers = kafka.bootstrap;
  return manifest;
};

const replicasOf = (name: string) => h.env.kube.cluster.deployment('default', name).specReplicas;

describe('E2E: seed 001 (kafka consumer lag)', () => {
  it('scales the airflow worker from 0 on lag, capped at the 3 partitions, and back to 0 after the group catches up', async () => {
    // Prepare: test-topic with 3 partitions, 50 messages behind (lagThreshold 5 → capped at 3 × 5 = 15).
    kafka.createTopic('test-topic', 3);
    kafka.produce('test-topic', 0, 40);
    kafka.produce('test-topic', 1, 10);
    kafka.commit('my-group', 'test-topic', 0, 0n);
    kafka.commit('my-group', 'test-topic', 1, 0n);
    kafka.commit('my-group', 'test-topic', 2, 0n);
    h.env.kube.cluster.addDeployment({ namespace: 'default', name: 'airflow-worker', replicas: 0 });
    const group = h.group([seedManifest('airflow-worker')]);

    // Act 1: activation and the first HPA step in one evaluation: ceil(15 / 5) = 3.
    const [first] = await h.tick(group);
    expect(first).toMatchObject({ outcome: 'scaled', currentReplicas: 0, desiredReplicas: 3, reason: 'KEDAScaleTargetActivated' });

    // Act 2: the consumers commit up to the end: no lag, inactive, held through the 300 s cooldown.
    kafka.commit('my-group', 'test-topic', 0, 40n);
    kafka.commit('my-group', 'test-topic', 1, 10n);
    h.clock.advance(MINUTE);
    const [caughtUp] = await h.tick(group);
    expect(caughtUp).toMatchObject({ desiredReplicas: 3, active: false });

    // Assess: 6 minutes after the last active evaluation, scaled to zero.
    h.clock.advance(6 * MINUTE);
    const [idle] = await h.tick(group);
    expect(idle).toMatchObject({ outcome: 'scaled', desiredReplicas: 0, reason: 'KEDAScaleTargetDeactivated' });
    expect(replicasOf('airflow-worker')).toBe(0);
  });

  it('asks for one replica more than the partitions when the lag is partitions × lagThreshold + a remainder, as KEDA does', async () => {
    // Prepare: 3 partitions, lag 16, lagThreshold 5: 16 / 5 = 3 (integer) is not above 3, so 16 passes uncapped.
    kafka.createTopic('remainder', 3);
    kafka.produce('remainder', 0, 16);
    for (const partition of [0, 1, 2]) kafka.commit('remainders', 'remainder', partition, 0n);
    h.env.kube.cluster.addDeployment({ namespace: 'default', name: 'remainder-worker', replicas: 0 });
    const manifest = seedManifest('remainder-worker');
    Object.assign(manifest.spec.triggers[0].metadata, { topic: 'remainder', consumerGroup: 'remainders' });

    // Act
    const [report] = await h.tick(h.group([manifest]));

    // Assess: ceil(16 / 5) = 4 replicas for 3 partitions.
    expect(report).toMatchObject({ outcome: 'scaled', desiredReplicas: 4 });
  });

  it('reports an unreachable broker on its object and never scales it down for it', async () => {
    h.env.kube.cluster.addDeployment({ namespace: 'default', name: 'cut-off', replicas: 2 });
    const manifest = seedManifest('cut-off');
    manifest.spec.triggers[0].metadata.bootstrapServers = '127.0.0.1:1';

    const [report] = await h.tick(h.group([manifest]));

    expect(report).toMatchObject({ desiredReplicas: 2 });
    expect(JSON.stringify(report)).toContain('group my-group on 127.0.0.1:1');
    expect(replicasOf('cut-off')).toBe(2);
  });
});
