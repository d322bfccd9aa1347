/**
 * Every local stand-in LPA talks to, started together on 127.0.0.1 for the integration tests and
 * `npm start`: dynalite (DynamoDB), local-aws-sqs (SQS), GetMetricData, AssumeRole and GetSecretValue
 * stand-ins, New Relic's NerdGraph, EKS DescribeCluster, the HTTPS Kubernetes API that verifies EKS
 * tokens and enforces RBAC, and a Prometheus HTTP API that the Kubernetes API serves as an in-cluster
 * Service through its service proxy.
 * LPA reaches them through the SDK's standard endpoint configuration (`AWS_ENDPOINT_URL_<SERVICE>`),
 * the same code path as in production.
 */
import { LPA_POLICY_RULES, POD_METRICS_RULE } from '../../infra/rbac.js';
import { startCloudWatch, type LocalCloudWatch } from './cloudwatch.js';
import { startDynamo, type LocalDynamo } from './dynamo.js';
import { startEksApi, type EksApiHandle } from './eks.js';
import { startKubeApi, type KubeApiHandle, type RbacBinding } from './kubeApi.js';
import { startNerdGraph, type LocalNerdGraph } from './newRelic.js';
import { startSecretsManager, type LocalSecretsManager } from './secretsManager.js';
import { startPrometheus, type LocalPrometheus } from './prometheus.js';
import { startSqs, type LocalSqs } from './sqs.js';
import { startSts, type LocalSts } from './sts.js';

/** Fixed, obviously fake credentials: the Kubernetes stand-in verifies token signatures with them. */
const LOCAL_CREDENTIALS = { accessKeyId: 'AKIALPALOCAL0000TEST', secretAccessKey: 'lpa-local-secret-access-key-for-tests-only' } as const;
const LOCAL_REGION = 'eu-west-1';
const LOCAL_CLUSTER = 'lpa-local';
/** The Kubernetes group LPA's role maps to (an EKS access entry with no access policy). */
const SCALER_GROUP = 'lpa-scaler';
/** The local Prometheus, as the Helm chart names it: `http://prometheus-server.monitoring.svc.cluster.local:9090`. */
const PROMETHEUS_SERVICE = { namespace: 'monitoring', name: 'prometheus-server', port: 9090 } as const;

/** `services/proxy` get on exactly the local Prometheus Service (what `lpa rbac` generates for it). */
const prometheusProxyRbac: RbacBinding = {
  subjects: { groups: [SCALER_GROUP] },
  namespace: PROMETHEUS_SERVICE.namespace,
  rules: [{ apiGroups: [''], resources: ['services/proxy'], resourceNames: [`http:${PROMETHEUS_SERVICE.name}:${PROMETHEUS_SERVICE.port}`], verbs: ['get'] }],
};

/** DESIGN.md §4: what LPA may need in a namespace (infra/rbac.ts's rules for Deployments, pods included for Value targets, PodMetrics for cpu/memory), nothing more. */
const leastPrivilegeRbac = (namespace: string): RbacBinding => ({
  subjects: { groups: [SCALER_GROUP] },
  namespace,
  rules: [
    { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch'] },
    ...[...LPA_POLICY_RULES, POD_METRICS_RULE].map((rule) => ({ apiGroups: [...rule.apiGroups], resources: [...rule.resources], verbs: [...rule.verbs] })),
  ],
});

interface LocalEnvironmentOptions {
  /** Namespaces where LPA gets its RBAC; default ["default"]. */
  readonly namespaces?: readonly string[];
  /** Override the RBAC bindings entirely (e.g. to test a missing verb). */
  readonly rbac?: readonly RbacBinding[];
  /** Clock of the Kubernetes stand-in (token dates, pod readiness). Default Date.now. */
  readonly kubeNow?: () => number;
  /** Run dynalite in its own process (benchmarks). */
  readonly dynamoChildProcess?: boolean;
}

interface LocalEnvironment {
  readonly region: string;
  readonly clusterName: string;
  readonly credentials: typeof LOCAL_CREDENTIALS;
  readonly dynamo: LocalDynamo;
  readonly sqs: LocalSqs;
  readonly cloudwatch: LocalCloudWatch;
  readonly sts: LocalSts;
  /** The Prometheus HTTP API, also served in the cluster as Service monitoring/prometheus-server:9090. */
  readonly prometheus: LocalPrometheus;
  readonly kube: KubeApiHandle;
  readonly eks: EksApiHandle;
  readonly secretsManager: LocalSecretsManager;
  /** New Relic's NerdGraph; LPA reaches it through the runtime's `endpoints` override (no environment variable redirects a key). */
  readonly nerdGraph: LocalNerdGraph;
  /** The variables a Lambda of LPA would see, pointing at the stand-ins. */
  readonly env: Readonly<Record<string, string>>;
  /** Sets `env` on process.env; returns a function that restores the previous values. */
  applyEnv(): () => void;
  close(): Promise<void>;
}

const startLocalEnvironment = async (options: LocalEnvironmentOptions = {}): Promise<LocalEnvironment> => {
  const namespaces = options.namespaces ?? ['default'];
  const prometheus = await startPrometheus();
  const [dynamo, sqs, cloudwatch, sts, kube] = await Promise.all([
    startDynamo({ childProcess: options.dynamoChildProcess === true }),
    startSqs({ region: LOCAL_REGION }),
    startCloudWatch(),
    startSts(),
    startKubeApi({
      clusterName: LOCAL_CLUSTER,
      region: LOCAL_REGION,
      identities: [{ ...LOCAL_CREDENTIALS, username: 'lpa-scaler-role', groups: [SCALER_GROUP] }],
      rbac: [...(options.rbac ?? [...namespaces.map(leastPrivilegeRbac), prometheusProxyRbac])],
      services: [{ namespace: PROMETHEUS_SERVICE.namespace, name: PROMETHEUS_SERVICE.name, ports: [{ port: PROMETHEUS_SERVICE.port }], url: prometheus.url }],
      ...(options.kubeNow === undefined ? {} : { now: options.kubeNow }),
    }),
  ]);
  const [secretsManager, nerdGraph] = await Promise.all([startSecretsManager(LOCAL_REGION), startNerdGraph()]);
  const eks = await startEksApi({ clusters: [{ name: LOCAL_CLUSTER, endpoint: kube.url, caData: kube.caData }], region: LOCAL_REGION });
  const env = {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    AWS_ENDPOINT_URL_CLOUDWATCH: cloudwatch.endpoint,
    AWS_ENDPOINT_URL_STS: sts.endpoint,
    AWS_ENDPOINT_URL_EKS: eks.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
    LPA_TABLE_NAME: dynamo.tableName,
  };
  return {
    region: LOCAL_REGION,
    clusterName: LOCAL_CLUSTER,
    credentials: LOCAL_CREDENTIALS,
    dynamo,
    sqs,
    cloudwatch,
    sts,
    prometheus,
    kube,
    eks,
    secretsManager,
    nerdGraph,
    env,
    applyEnv: () => {
      const previous = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
      Object.assign(process.env, env);
      return () => {
        for (const [key, value] of Object.entries(previous)) {
          if (value === undefined) delete process.env[key];
          else process.env[key] = value;
        }
      };
    },
    close: async () => {
      await Promise.allSettled([dynamo.close(), sqs.close(), cloudwatch.close(), sts.close(), prometheus.close(), kube.close(), eks.close(), secretsManager.close(), nerdGraph.close()]);
    },
  };
};

export { LOCAL_CLUSTER, LOCAL_CREDENTIALS, LOCAL_REGION, SCALER_GROUP, leastPrivilegeRbac, prometheusProxyRbac, startLocalEnvironment };
export type { LocalEnvironment, LocalEnvironmentOptions };
