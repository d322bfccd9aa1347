/**
 * `npm run bench`: engine decisions per second for 10,000 ScaledObjects with realistic state
 * (a minute since the previous evaluation, so 4 HPA syncs replayed; recommendation history and
 * scale events inside their windows). Budget (DESIGN.md §5): ≥ 100,000 decisions/s.
 */
import { performance } from 'node:perf_hooks';
import { decide } from '../shared/engine/decide.js';
import type { EngineState, EvaluationInput } from '../shared/engine/types.js';
import { parseScaledObject } from '../shared/spec/index.js';

const OBJECTS = 10_000;
const ROUNDS = 5;
const BUDGET = 100_000;

/** A small deterministic PRNG so every run measures the same inputs. */
const rng = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

const manifest = (i: number, random: () => number): unknown => {
  const behavior =
    i % 3 === 0
      ? undefined
      : {
          scaleUp: { stabilizationWindowSeconds: i % 2 === 0 ? 0 : 60, policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
          scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
        };
  const triggers: unknown[] = [
    { type: 'aws-sqs-queue', name: 'queue', metadata: { queueURL: `https://sqs.eu-west-1.amazonaws.com/123456789012/q${i}`, queueLength: '10', awsRegion: 'eu-west-1' } },
  ];
  if (i % 4 === 0) {
    triggers.push({
      type: 'aws-cloudwatch',
      name: 'latency',
      metadata: { namespace: 'App', metricName: 'Latency', dimensionName: 'Service', dimensionValue: `s${i}`, targetMetricValue: '200', minMetricValue: '0', awsRegion: 'eu-west-1' },
    });
  }
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: `worker-${i}`, namespace: 'bench' },
    spec: {
      scaleTargetRef: { name: `worker-${i}` },
      minReplicaCount: i % 5 === 0 ? 1 : 0,
      maxReplicaCount: 50 + Math.floor(random() * 100),
      fallback: i % 2 === 0 ? { failureThreshold: 3, replicas: 5 } : undefined,
      advanced: behavior === undefined ? undefined : { horizontalPodAutoscalerConfig: { behavior } },
      triggers,
    },
  };
};

const buildInputs = (now: number): EvaluationInput[] => {
  const random = rng(42);
  return Array.from({ length: OBJECTS }, (_, i) => {
    const parsed = parseScaledObject(JSON.parse(JSON.stringify(manifest(i, random))), { source: `bench-${i}` });
    if (!parsed.ok) throw new Error(`bench manifest ${i} is invalid: ${JSON.stringify(parsed.issues)}`);
    const current = 1 + Math.floor(random() * 20);
    const state: EngineState = {
      lastEvaluationTime: now - 60_000,
      lastActiveTime: now - 60_000,
      firstEvaluationTime: now - 86_400_000,
      recommendations: Array.from({ length: 10 }, (_, k) => ({ replicas: current + k - 5 > 0 ? current + k - 5 : 1, time: now - 30_000 * (k + 1) })),
      scaleUpEvents: [{ change: 2, time: now - 10_000 }],
      scaleDownEvents: [{ change: 1, time: now - 45_000 }],
      failures: {},
    };
    const metrics: Record<string, { value: number } | { error: string }> = { queue: { value: Math.floor(random() * 400) } };
    if (i % 4 === 0) metrics.latency = i % 40 === 0 ? { error: 'throttled' } : { value: random() * 400 };
    return { scaledObject: parsed.scaledObject, observation: { specReplicas: current, statusReplicas: current, readyReplicas: current, metrics }, state, now };
  });
};

const now = Date.parse('2026-11-23T12:00:00Z');
const inputs = buildInputs(now);
let sink = 0;
for (const input of inputs) sink += decide(input).replicas; // warm-up: let the JIT settle

const rates: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const start = performance.now();
  for (const input of inputs) sink += decide(input).replicas;
  rates.push(OBJECTS / ((performance.now() - start) / 1000));
}
rates.sort((a, b) => a - b);
const median = rates[Math.floor(rates.length / 2)] ?? 0;
console.log(`engine: ${OBJECTS} ScaledObjects x ${ROUNDS} rounds (4 replayed HPA syncs each, ~12 history entries)`);
console.log(`engine: median ${Math.round(median).toLocaleString('en-US')} decisions/s (min ${Math.round(rates[0] ?? 0).toLocaleString('en-US')}, max ${Math.round(rates.at(-1) ?? 0).toLocaleString('en-US')}); budget ≥ ${BUDGET.toLocaleString('en-US')} — ${median >= BUDGET ? 'within budget' : 'OVER BUDGET'}`);
if (sink < 0) console.log(sink);
