/** The per-container client cache: one client per AWS target, and never more than the limit. */
import { describe, expect, it } from 'vitest';
import { MAX_CACHED_CLIENTS, createAwsClients } from '../../../shared/triggers/awsClients.js';

const target = (i: number) => ({ region: 'eu-west-1', endpoint: `https://sqs-${i}.example.com` });

describe('createAwsClients', () => {
  it('builds one client per target and hands it out again', async () => {
    const clients = createAwsClients({ credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
    expect(await clients.sqs(target(1))).toBe(await clients.sqs(target(1)));
    clients.destroy();
  });

  it(`keeps at most ${MAX_CACHED_CLIENTS} clients per service: the least recently used one is built again`, async () => {
    // Prepare: as many targets as the limit; then target 0 is used again, so target 1 is the least recently used.
    const clients = createAwsClients({ credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
    const built = [];
    for (let i = 0; i < MAX_CACHED_CLIENTS; i++) built.push(await clients.sqs(target(i)));
    await clients.sqs(target(0));

    // Act: one target more.
    await clients.sqs(target(MAX_CACHED_CLIENTS));

    // Assess: target 1's client was dropped (a new one is built), target 0's kept.
    expect(await clients.sqs(target(0))).toBe(built[0]);
    expect(await clients.sqs(target(1))).not.toBe(built[1]);
    clients.destroy();
  });
});
