/**
 * ScaledObject manifests as a user writes them (the e2e harness's shape), and groups parsed from
 * them by the real parser, so the use-case tests run on exactly what a handler would evaluate.
 */
import { parseScaleGroup, type ScaleGroup } from '../../shared/app/scaleGroup.js';

const CLUSTER = { name: 'demo', region: 'eu-west-1' } as const;
const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders';
/** 2026-11-23T10:00:00Z: every test runs at a fixed time. */
const T0 = Date.parse('2026-11-23T10:00:00Z');

/** An aws-sqs-queue ScaledObject: 10 messages per replica, one trigger named "queue". */
const sqsScaledObject = (name: string, spec: Record<string, unknown> = {}, namespace = 'shop', queueURL = QUEUE_URL): Record<string, unknown> => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name, namespace },
  spec: {
    scaleTargetRef: { name },
    pollingInterval: 60,
    triggers: [{ type: 'aws-sqs-queue', name: 'queue', metadata: { queueURL, queueLength: '10', awsRegion: 'eu-west-1' } }],
    ...spec,
  },
});

/** One aws-sqs-queue trigger per name (any name, `__proto__` included), at most 50 replicas: the decide-contract shape. */
const namedTriggersScaledObject = (names: readonly string[]) => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'w', namespace: 'shop' },
  spec: {
    scaleTargetRef: { name: 'w' },
    maxReplicaCount: 50,
    triggers: names.map((name) => ({ type: 'aws-sqs-queue', name, metadata: { queueURL: 'orders', queueLength: '10', awsRegion: 'eu-west-1' } })),
  },
});

/** An aws-cloudwatch ScaledObject on `namespace/metricName` with `;`-separated dimensions, as KEDA spells them. */
const cloudWatchScaledObject = (name: string, metric: { namespace: string; metricName: string; dimensionName: string; dimensionValue: string }): Record<string, unknown> => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name, namespace: 'shop' },
  spec: {
    scaleTargetRef: { name },
    triggers: [{ type: 'aws-cloudwatch', name: 'metric', metadata: { ...metric, targetMetricValue: '100', minMetricValue: '0', awsRegion: 'eu-west-1' } }],
  },
});

/** A group of valid manifests on the demo cluster; throws if the parser refuses any of them. */
const groupOf = (manifests: readonly unknown[]): ScaleGroup => {
  const parsed = parseScaleGroup({ cluster: CLUSTER, scaledObjects: manifests });
  const issues = parsed.ok ? parsed.group.invalid.flatMap((o) => o.issues) : parsed.issues;
  if (!parsed.ok || issues.length > 0) throw new Error(issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return parsed.group;
};

export { CLUSTER, QUEUE_URL, T0, cloudWatchScaledObject, groupOf, namedTriggersScaledObject, sqsScaledObject };
