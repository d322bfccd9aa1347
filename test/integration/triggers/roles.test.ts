/**
 * awsRoleArn over real HTTP: AssumeRole against the local STS, reached through the standard
 * `AWS_ENDPOINT_URL_STS` configuration, and the assumed credentials signing CloudWatch and SQS
 * calls. The credential cache runs on an injected clock, shared with the STS stand-in.
 */
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startCloudWatch } from '../../../dev/local/cloudwatch.js';
import type { LocalCloudWatch } from '../../../dev/local/cloudwatch.js';
import { startSqs } from '../../../dev/local/sqs.js';
import type { LocalSqs } from '../../../dev/local/sqs.js';
import { startSts } from '../../../dev/local/sts.js';
import type { LocalSts } from '../../../dev/local/sts.js';
import { createAwsClients } from '../../../shared/triggers/awsClients.js';
import type { AwsClients } from '../../../shared/triggers/awsClients.js';
import { createTriggerRegistry, readTriggers } from '../../../shared/triggers/registry.js';
import type { TriggerRegistry, TriggerRequest } from '../../../shared/triggers/types.js';
import { cloudWatchTrigger, requestsFor, sqsTrigger } from '../../unit/triggers/requests.js';

const BASE_CREDENTIALS = { accessKeyId: 'AKIDLAMBDAROLE', secretAccessKey: 'lambda-role-secret' };
const READER_ROLE = 'arn:aws:iam::123456789012:role/lpa-reader';
const OTHER_ROLE = 'arn:aws:iam::210987654321:role/lpa-reader';
const DENIED_ROLE = 'arn:aws:iam::123456789012:role/not-trusted';
const HOUR_MS = 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

let now = Date.now();
let sts: LocalSts;
let cloudwatch: LocalCloudWatch;
let sqs: LocalSqs;
let queueUrl: string;
let clients: AwsClients;
let registry: TriggerRegistry;

const cloudWatchRequests = (object: string, count: number, roleArn?: string): TriggerRequest[] =>
  requestsFor(
    object,
    Array.from({ length: count }, (_, i) => cloudWatchTrigger({ awsEndpoint: cloudwatch.endpoint, awsRoleArn: roleArn, dimensionValue: [`${object}-${i}`] }, i)),
  );

const sqsRequests = (object: string, roleArn?: string): TriggerRequest[] =>
  requestsFor(object, [sqsTrigger({ queueURL: queueUrl, awsEndpoint: sqs.endpoint, awsRegion: sqs.region, awsRoleArn: roleArn })]);

beforeAll(async () => {
  [sts, cloudwatch, sqs] = await Promise.all([startSts({ clock: () => now }), startCloudWatch(), startSqs()]);
  queueUrl = (await sqs.client.send(new CreateQueueCommand({ QueueName: 'jobs' }))).QueueUrl as string;
  vi.stubEnv('AWS_ENDPOINT_URL_STS', sts.endpoint);
});

/** A fresh factory per test: an empty credential cache, as in a new Lambda container. */
beforeEach(() => {
  clients?.destroy();
  clients = createAwsClients({ credentials: BASE_CREDENTIALS, clock: () => now, roleSessionName: 'lpa-test' });
  registry = createTriggerRegistry({ clients });
  sts.reset();
  cloudwatch.reset();
});

afterAll(async () => {
  clients.destroy();
  vi.unstubAllEnvs();
  await Promise.all([sts.close(), cloudwatch.close(), sqs.close()]);
});

describe('Role credentials (awsRoleArn)', () => {
  it('assumes a role once for many triggers of many objects, with the base credentials', async () => {
    // Prepare
    const requests = [...cloudWatchRequests('a', 20, READER_ROLE), ...cloudWatchRequests('b', 20, READER_ROLE)];

    // Act
    const readings = await readTriggers(registry, requests, now);

    // Assess
    expect(readings.every((reading) => 'value' in reading)).toBe(true);
    expect(sts.calls).toEqual([
      { roleArn: READER_ROLE, roleSessionName: 'lpa-test', durationSeconds: 3600, callerAccessKeyId: BASE_CREDENTIALS.accessKeyId, issuedAccessKeyId: 'ASIALOCAL00000001' },
    ]);
  });

  it('signs the calls of role triggers with the assumed credentials, and others with the base ones', async () => {
    const requests = [...cloudWatchRequests('a', 1, READER_ROLE), ...cloudWatchRequests('b', 1)];

    await readTriggers(registry, requests, now);

    const issued = sts.calls[0]?.issuedAccessKeyId;
    expect(cloudwatch.calls.map((call) => call.accessKeyId).sort()).toEqual([BASE_CREDENTIALS.accessKeyId, issued].sort());
  });

  it('shares one AssumeRole between the SQS and CloudWatch clients of a role', async () => {
    const requests = [...cloudWatchRequests('a', 3, READER_ROLE), ...sqsRequests('b', READER_ROLE)];

    const readings = await readTriggers(registry, requests, now);

    expect(readings.every((reading) => 'value' in reading)).toBe(true);
    expect(sts.calls).toHaveLength(1);
  });

  it('assumes each role once', async () => {
    const requests = [...cloudWatchRequests('a', 5, READER_ROLE), ...cloudWatchRequests('b', 5, OTHER_ROLE)];

    await readTriggers(registry, requests, now);

    expect(sts.calls.map((call) => call.roleArn).sort()).toEqual([OTHER_ROLE, READER_ROLE].sort());
  });

  it('reuses the credentials on later ticks until 5 minutes before they expire', async () => {
    const start = now;
    try {
      await readTriggers(registry, cloudWatchRequests('a', 2, READER_ROLE), now);
      now = start + HOUR_MS - 5 * MINUTE_MS - 1;
      await readTriggers(registry, cloudWatchRequests('a', 2, READER_ROLE), now);

      expect(sts.calls).toHaveLength(1);
    } finally {
      now = start;
    }
  });

  it('assumes the role again once the credentials are within 5 minutes of expiry, and signs with the new ones', async () => {
    const start = now;
    try {
      await readTriggers(registry, cloudWatchRequests('a', 2, READER_ROLE), now);
      now = start + HOUR_MS - 5 * MINUTE_MS;
      cloudwatch.reset();
      await readTriggers(registry, cloudWatchRequests('a', 2, READER_ROLE), now);

      expect(sts.calls.map((call) => call.issuedAccessKeyId)).toHaveLength(2);
      expect(cloudwatch.calls.map((call) => call.accessKeyId)).toEqual([sts.calls[1]?.issuedAccessKeyId]);
    } finally {
      now = start;
    }
  });

  it('fails only the triggers of a role that cannot be assumed, naming the role and never a secret', async () => {
    // Prepare
    sts.denyRole(DENIED_ROLE);
    const requests = [...cloudWatchRequests('denied', 1, DENIED_ROLE), ...cloudWatchRequests('fine', 1, READER_ROLE)];

    // Act
    const readings = await readTriggers(registry, requests, now);

    // Assess
    expect(readings[0]).toEqual({
      error: expect.stringMatching(new RegExp(`^shop/denied spec\\.triggers\\[0\\]: GetMetricData in eu-west-1 \\(1 queries\\): AssumeRole ${DENIED_ROLE}: AccessDenied: `)),
    });
    expect(readings[1]).toEqual({ value: 0 });
    expect(JSON.stringify(readings)).not.toContain(BASE_CREDENTIALS.secretAccessKey);
  });

  it('tries a failed AssumeRole again on the next tick', async () => {
    sts.denyRole(DENIED_ROLE);

    await readTriggers(registry, cloudWatchRequests('denied', 2, DENIED_ROLE), now);
    await readTriggers(registry, cloudWatchRequests('denied', 2, DENIED_ROLE), now + MINUTE_MS);

    expect(sts.calls.filter((call) => call.roleArn === DENIED_ROLE)).toHaveLength(2);
  });
});
