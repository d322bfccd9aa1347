/**
 * What cpu/memory triggers change in the deployment: the PodMetrics RBAC rule only in the
 * namespaces that need it, no AWS permission, and the HPA controller flags as function config.
 */
import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { POD_METRICS_RULE, rbacObjects } from '../../infra/index.js';
import { checkPodAutoscalerProps } from '../../infra/props.js';
import { queueUrl, scaledObject, sqsTrigger, synthesize } from './fixtures.js';

const cpuTrigger = { type: 'cpu', metricType: 'Utilization', metadata: { value: '50' } };
const manifests = [
  scaledObject('web', 'frontend', [cpuTrigger], { minReplicaCount: 1 }),
  scaledObject('worker', 'jobs', [sqsTrigger(queueUrl('jobs'))]),
];

describe('PodAutoscaler (cpu and memory triggers)', () => {
  it('lets LPA list PodMetrics only in namespaces with cpu/memory triggers', () => {
    const { autoscaler } = synthesize({ manifests });
    const rulesOf = (namespace: string) => autoscaler.rbacObjects.find((o) => o.kind === 'Role' && (o.metadata as { namespace: string }).namespace === namespace)?.rules;
    expect(rulesOf('frontend')).toContainEqual({ apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['list'] });
    expect(rulesOf('jobs')).not.toContainEqual(expect.objectContaining({ apiGroups: ['metrics.k8s.io'] }));
  });

  it('grants no AWS permission for a cpu trigger', () => {
    const { template } = synthesize({ manifests: manifests.slice(0, 1) });
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[] }[]);
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => /^(sqs|cloudwatch|sts):/.test(a))).toEqual([]);
  });

  it('passes the HPA controller flags to the functions as whole seconds', () => {
    const { template } = synthesize({ manifests, hpaController: { cpuInitializationPeriod: Duration.minutes(3), initialReadinessDelay: Duration.seconds(45) } });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ LPA_CPU_INITIALIZATION_PERIOD_SECONDS: '180', LPA_INITIAL_READINESS_DELAY_SECONDS: '45' }) },
    });
  });

  it('refuses a controller flag that is not whole seconds', () => {
    const act = () => checkPodAutoscalerProps({ cluster: { clusterName: 'demo' }, manifests, hpaController: { initialReadinessDelay: Duration.millis(1500) } }, 'eu-west-1');
    expect(act).toThrow('hpaController.initialReadinessDelay: must be whole seconds from 0 to 1 hour, got 1.5 s');
  });
});

describe('Function: rbacObjects (PodMetrics)', () => {
  it('adds the metrics.k8s.io rule to the listed namespaces only', () => {
    const [a, b] = rbacObjects({ namespaces: ['a', 'b'], podMetricsNamespaces: ['b'] }).filter((o) => o.kind === 'Role');
    expect(a?.rules).not.toContainEqual(POD_METRICS_RULE);
    expect(b?.rules).toContainEqual(POD_METRICS_RULE);
  });
});
