import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { PodAutoscalerPropsError, checkPodAutoscalerProps } from '../../infra/index.js';
import type { PodAutoscalerProps } from '../../infra/index.js';
import { queueUrl, scaledObject, sqsTrigger, synthesize } from './fixtures.js';

const valid: PodAutoscalerProps = {
  cluster: { clusterName: 'demo' },
  manifests: [scaledObject('worker', 'jobs', [sqsTrigger(queueUrl('jobs'))])],
};

const problemsOf = (props: Partial<PodAutoscalerProps>, stackRegion = 'eu-west-1'): readonly string[] => {
  try {
    checkPodAutoscalerProps({ ...valid, ...props }, stackRegion);
    return [];
  } catch (error) {
    if (!(error instanceof PodAutoscalerPropsError)) throw error;
    return error.problems;
  }
};

describe('Function: checkPodAutoscalerProps', () => {
  it('accepts the minimal props', () => {
    expect(problemsOf({})).toEqual([]);
  });

  it.each([
    { case: 'no manifests', props: { manifests: [] }, problem: 'manifests: give at least one file or ScaledObject, or set source.fromCluster' },
    { case: 'an endpoint without CA', props: { cluster: { clusterName: 'demo', endpoint: 'https://x.eks.amazonaws.com' } }, problem: 'cluster.endpoint, cluster.caData: give both, or neither to look them up with eks:DescribeCluster' },
    { case: 'a plain-http endpoint', props: { cluster: { clusterName: 'demo', endpoint: 'http://x', caData: 'Q0E=' } }, problem: 'cluster.endpoint: must be an https URL' },
    { case: 'a misspelt region', props: { cluster: { clusterName: 'demo', region: 'eu-west1' }, createAccessEntry: false }, problem: 'cluster.region: must be an AWS region such as eu-west-1, got "eu-west1"' },
    {
      case: 'an access entry for a cluster of another region',
      props: { cluster: { clusterName: 'demo', region: 'us-east-1' } },
      problem: "createAccessEntry: the access entry is created in the stack's region eu-west-1, the cluster is in us-east-1; deploy there or set createAccessEntry: false",
    },
    { case: 'applyRbac without a cluster construct', props: { applyRbac: true }, problem: 'applyRbac: needs a cluster construct; apply lpa-rbac.yaml (or `lpa rbac` output) with kubectl instead' },
    { case: 'a reserved group', props: { kubernetesGroup: 'system:masters' }, problem: 'kubernetesGroup: must be a non-empty name outside the reserved "system:" prefix, got "system:masters"' },
    { case: 'a cluster object namespace that is not a namespace name', props: { clusterObjectNamespace: 'KEDA' }, problem: `clusterObjectNamespace: must be a lowercase RFC 1123 label: lower case alphanumeric characters or '-', starting and ending with an alphanumeric character (e.g. 'my-name'), got "KEDA"` },
    { case: 'a scaler timeout of a minute', props: { scalerTimeout: Duration.seconds(60) }, problem: 'scalerTimeout: must be over 60 s (sub-minute polling runs ~55 s per tick) and at most 15 minutes, got 60 s' },
    { case: 'an old runtime', props: { runtime: lambda.Runtime.NODEJS_20_X }, problem: 'runtime: must be a Node.js runtime 22 or newer (middy 6, ESM bundles for node22), got nodejs20.x' },
    { case: 'a non-Node runtime', props: { runtime: lambda.Runtime.PYTHON_3_13 }, problem: 'runtime: must be a Node.js runtime 22 or newer (middy 6, ESM bundles for node22), got python3.13' },
    { case: 'too little memory', props: { memorySize: 64 }, problem: 'memorySize: must be a whole number of MB in [128, 10240], got 64' },
    { case: 'zero concurrency', props: { concurrency: 0 }, problem: 'concurrency: must be a positive integer, got 0' },
    { case: 'a retention in hours', props: { decisionRetention: Duration.hours(36) }, problem: 'decisionRetention: must be a whole number of days, at least 1, got 1.5' },
    { case: 'a schedule input over Scheduler’s limit', props: { schedules: { maxInputBytes: 300_000 } }, problem: 'schedules.maxInputBytes: must be a whole number of bytes in [1024, 262144] (Scheduler\'s input limit), got 300000' },
    { case: 'zero objects per schedule', props: { schedules: { maxObjectsPerSchedule: 0 } }, problem: 'schedules.maxObjectsPerSchedule: must be a positive integer, got 0' },
    { case: 'an empty queue name', props: { wakeUps: { queueNames: [''] } }, problem: 'wakeUps.queueNames: names must not be empty' },
  ])('refuses $case', ({ props, problem }) => {
    expect(problemsOf(props as Partial<PodAutoscalerProps>)).toEqual([problem]);
  });

  it('lists every problem in one error', () => {
    const act = () => checkPodAutoscalerProps({ ...valid, memorySize: 1, concurrency: -1 }, 'eu-west-1');
    expect(act).toThrow('invalid PodAutoscaler props:\n  - memorySize: must be a whole number of MB in [128, 10240], got 1\n  - concurrency: must be a positive integer, got -1');
  });

  it('leaves values decided at deploy time to CloudFormation', () => {
    // An environment-agnostic stack: its region is a token, so no region comparison is possible.
    expect(() => synthesize({ cluster: { clusterName: 'demo', region: 'us-east-1' } }, {})).not.toThrow();
  });

  it('refuses more ScaledObjects than a dashboard can show, unless the dashboard is off', () => {
    const many = Array.from({ length: 201 }, (_, i) => scaledObject(`w${i}`, 'jobs', [sqsTrigger(queueUrl('jobs'))]));
    expect(() => synthesize({ manifests: many })).toThrow(/dashboard: 201 ScaledObjects exceed the 200 a dashboard can show/);
    expect(() => synthesize({ manifests: many, dashboard: false })).not.toThrow();
  });
});
