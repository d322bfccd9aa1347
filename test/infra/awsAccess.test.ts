import { describe, expect, it } from 'vitest';
import { awsAccessOf, loadManifests } from '../../infra/index.js';
import { selectWakeUpQueues } from '../../infra/wakeUps.js';
import { ACCOUNT, cloudwatchTrigger, cronTrigger, queueUrl, scaledObject, sqsTrigger } from './fixtures.js';
import type { Manifest } from './fixtures.js';

const READER = 'arn:aws:iam::444455556666:role/metrics-reader';

const load = (...manifests: Manifest[]) => loadManifests(manifests).objects;
const accessOf = (...triggers: Manifest[]) => awsAccessOf(load(scaledObject('worker', 'jobs', triggers)).map((o) => o.scaledObject));

describe('Function: awsAccessOf', () => {
  it.each([
    {
      case: 'a queue URL: its account and name',
      trigger: sqsTrigger(queueUrl('orders', '999988887777', 'us-east-2'), { awsRegion: 'us-east-2' }),
      queues: [{ name: 'orders', region: 'us-east-2', account: '999988887777', byName: false }],
    },
    {
      case: 'a bare queue name: the functions’ own account, resolved by name',
      trigger: sqsTrigger('orders'),
      queues: [{ name: 'orders', region: 'eu-west-1', byName: true }],
    },
    { case: 'a queue read through awsRoleArn: nothing for the functions', trigger: sqsTrigger('orders', { awsRoleArn: READER }), queues: [] },
  ])('grants SQS for $case', ({ trigger, queues }) => {
    expect(accessOf(trigger).queues).toEqual(queues);
  });

  it.each([
    { case: 'an aws-cloudwatch trigger', triggers: [cloudwatchTrigger()], getMetricData: true, assumeRoles: [] },
    { case: 'an aws-cloudwatch trigger with awsRoleArn', triggers: [cloudwatchTrigger({ awsRoleArn: READER })], getMetricData: false, assumeRoles: [READER] },
    { case: 'a cron trigger', triggers: [cronTrigger()], getMetricData: false, assumeRoles: [] },
    { case: 'an SQS trigger', triggers: [sqsTrigger(queueUrl('orders'))], getMetricData: false, assumeRoles: [] },
  ])('needs GetMetricData $getMetricData and roles $assumeRoles for $case', ({ triggers, getMetricData, assumeRoles }) => {
    const access = accessOf(...triggers);
    expect({ getMetricData: access.getMetricData, assumeRoles: access.assumeRoles }).toEqual({ getMetricData, assumeRoles });
  });

  it('lists a queue read by several objects once', () => {
    const objects = load(
      scaledObject('a', 'jobs', [sqsTrigger(queueUrl('orders'))]),
      scaledObject('b', 'jobs', [sqsTrigger(queueUrl('orders'))]),
    );
    expect(awsAccessOf(objects.map((o) => o.scaledObject)).queues).toHaveLength(1);
  });
});

describe('Function: selectWakeUpQueues', () => {
  const objects = load(
    scaledObject('orders-worker', 'shop', [sqsTrigger(queueUrl('orders'))]),
    scaledObject('orders-audit', 'audit', [sqsTrigger(queueUrl('orders')), cronTrigger()]),
    scaledObject('mailer', 'shop', [sqsTrigger('mail')]),
    scaledObject('remote', 'shop', [sqsTrigger(queueUrl('remote', ACCOUNT, 'us-east-1'), { awsRegion: 'us-east-1' })]),
  );
  const here = { region: 'eu-west-1', account: ACCOUNT };

  it('alarms on every queue of this account and region, waking all objects that read it', () => {
    const selection = selectWakeUpQueues(objects, here);
    expect(selection.queues.map((q) => [q.queueName, q.objects.map((o) => o.scaledObject.metadata.name)])).toEqual([
      ['mail', ['mailer']],
      ['orders', ['orders-worker', 'orders-audit']],
    ]);
  });

  it('leaves out a queue of another region with a reason, since its alarm could not see the metric', () => {
    expect(selectWakeUpQueues(objects, here).skipped).toEqual(['no wake-up alarm for queue remote: it is in us-east-1/111122223333, alarms see only eu-west-1/111122223333']);
  });

  it('takes only the queues named', () => {
    expect(selectWakeUpQueues(objects, { ...here, queueNames: ['orders'] }).queues.map((q) => q.queueName)).toEqual(['orders']);
  });

  it.each([
    { queueName: 'payments', problem: 'wakeUps.queueNames: "payments" is not a queue any aws-sqs-queue trigger reads' },
    { queueName: 'remote', problem: 'wakeUps.queueNames: queue "remote" is in us-east-1/111122223333; an alarm in this stack sees only eu-west-1/111122223333' },
  ])('refuses a named queue $queueName it cannot alarm on', ({ queueName, problem }) => {
    expect(selectWakeUpQueues(objects, { ...here, queueNames: [queueName] }).problems).toEqual([problem]);
  });

  it('accepts every queue when the stack’s region and account are decided at deploy time', () => {
    expect(selectWakeUpQueues(objects, {}).queues.map((q) => q.queueName)).toEqual(['mail', 'orders', 'remote']);
  });

  it('lists the AMP workspaces read with the functions’ own credentials, not those read through awsRoleArn', () => {
    const amp = (id: string, metadata: Manifest = {}) => ({
      type: 'prometheus',
      metadata: { serverAddress: `https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/${id}`, query: 'up', threshold: '1', ...metadata },
    });

    const access = accessOf(amp('ws-a'), amp('ws-a'), amp('ws-b', { awsRoleArn: READER }), { type: 'prometheus', metadata: { serverAddress: 'http://prometheus.monitoring:9090', query: 'up', threshold: '1' } });

    expect({ ampWorkspaces: access.ampWorkspaces, assumeRoles: access.assumeRoles }).toEqual({ ampWorkspaces: [{ region: 'eu-west-1', workspaceId: 'ws-a' }], assumeRoles: [READER] });
  });
});
