/**
 * Built-in scenarios: a workload, how long to run it, and the ScaledObject it was written for.
 * Manifests are YAML text, exactly what a user would `kubectl apply`, so they go through the
 * same parser as `--manifest` and double as examples.
 *
 * Each workload keeps processRatePerReplica × processingSeconds (the messages a busy replica
 * holds in flight) equal to queueLength, as a tuned deployment would. Break that on purpose
 * (`--processing-time 6s`) to watch the HPA saw-tooth: it scales down to in-flight / queueLength
 * replicas, which are too few, a backlog builds, and it scales up again.
 */
import { burst, normalizeSegments } from './workload.js';
import type { RateSegment, Workload } from './workload.js';

interface Scenario {
  readonly name: string;
  readonly description: string;
  /** A ScaledObject manifest (YAML, one document). */
  readonly manifest: string;
  readonly workload: Workload;
  readonly durationSeconds: number;
  /** Seconds between table rows: a minute, except where that would print a wall of text. */
  readonly rowEverySeconds: number;
}

const MINUTE = 60;
const HOUR = 3_600;

const sqsManifest = (arg: {
  readonly name: string;
  readonly maxReplicaCount: number;
  readonly cooldownPeriod: number;
  readonly extraSpec?: string;
}): string => `apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: ${arg.name}
  namespace: shop
spec:
  scaleTargetRef:
    name: ${arg.name}
  pollingInterval: 30
  cooldownPeriod: ${arg.cooldownPeriod}
  minReplicaCount: 0
  maxReplicaCount: ${arg.maxReplicaCount}
${arg.extraSpec ?? ''}  triggers:
    - type: aws-sqs-queue
      metadata:
        queueURL: https://sqs.eu-west-1.amazonaws.com/123456789012/${arg.name}
        queueLength: "10"
        awsRegion: eu-west-1
`;

/** Idle, ten minutes at 40 msg/s (20 replicas' worth), then nothing: scale from 0, drain, cool down to 0. */
const BURST: Scenario = {
  name: 'burst',
  description: 'idle 3m, 40 msg/s for 10m, then idle: scale from zero, drain, cool down back to zero',
  manifest: sqsManifest({ name: 'orders-worker', maxReplicaCount: 30, cooldownPeriod: 180 }),
  workload: {
    arrivals: burst({ atSecond: 3 * MINUTE, durationSeconds: 10 * MINUTE, ratePerSecond: 40 }),
    processRatePerReplica: 2,
    // 5 s per message: a busy replica holds 10 in flight, matching queueLength.
    processingSeconds: 5,
    startupSeconds: 30,
  },
  durationSeconds: 30 * MINUTE,
  rowEverySeconds: MINUTE,
};

/** A constant load long enough for the HPA to settle, so its steady state can be read off. */
const STEADY: Scenario = {
  name: 'steady',
  description: 'idle 2m, 15 msg/s for 48m, then idle: the steady state of a constant load',
  manifest: sqsManifest({ name: 'invoice-renderer', maxReplicaCount: 40, cooldownPeriod: 300 }),
  workload: {
    arrivals: burst({ atSecond: 2 * MINUTE, durationSeconds: 48 * MINUTE, ratePerSecond: 15 }),
    processRatePerReplica: 1,
    processingSeconds: 10,
    startupSeconds: 20,
  },
  durationSeconds: HOUR,
  rowEverySeconds: MINUTE,
};

/**
 * A business day in 15-minute steps: nothing at night, a sine-shaped day peaking near 25 msg/s
 * at 14:30, and a 15-minute lunch spike at 60 msg/s.
 */
const dayArrivals = (): readonly RateSegment[] => {
  const segments: RateSegment[] = [];
  for (let quarter = 0; quarter < 96; quarter += 1) {
    const hour = quarter / 4;
    const daytime = hour >= 6 && hour < 23 ? 25 * Math.sin((Math.PI * (hour - 6)) / 17) : 0;
    const lunch = quarter === 48 ? 60 : 0;
    // Half-message steps keep the table readable; the model carries fractions anyway.
    segments.push({ fromSecond: quarter * 15 * MINUTE, ratePerSecond: Math.max(lunch, Math.round(daytime * 2) / 2) });
  }
  return normalizeSegments(segments);
};

/** A day of traffic with a 10-minute scale-down window, as in seeds/004. */
const DAY: Scenario = {
  name: 'day',
  description: 'a 24h business day: quiet night, sine-shaped daytime load, a lunch spike at 12:00',
  manifest: sqsManifest({
    name: 'thumbnailer',
    maxReplicaCount: 50,
    cooldownPeriod: 300,
    extraSpec: `  advanced:
    horizontalPodAutoscalerConfig:
      behavior:
        scaleDown:
          stabilizationWindowSeconds: 600
`,
  }),
  workload: { arrivals: dayArrivals(), processRatePerReplica: 1, processingSeconds: 10, startupSeconds: 45 },
  durationSeconds: 24 * HOUR,
  rowEverySeconds: 10 * MINUTE,
};

/** Sorted by name: `lpa simulate --help` lists them in this order. */
const SCENARIOS: Readonly<Record<string, Scenario>> = { burst: BURST, day: DAY, steady: STEADY };

const scenarioNames = (): readonly string[] => Object.keys(SCENARIOS);

const findScenario = (name: string): Scenario | undefined => (Object.hasOwn(SCENARIOS, name) ? SCENARIOS[name] : undefined);

export { findScenario, scenarioNames };
export type { Scenario };
