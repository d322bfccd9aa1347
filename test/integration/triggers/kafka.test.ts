/**
 * kafka and apache-kafka over the Kafka protocol: the readers on @platformatic/kafka against the
 * local broker (dev/local/kafka), in plaintext, SASL PLAIN/SCRAM, TLS with a local CA, and MSK IAM.
 * Triggers are parsed from metadata by the spec, as a manifest would give them.
 */
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startKafkaBroker } from '../../../dev/local/kafka/broker.js';
import { DeadlineExceededError } from '../../../shared/app/deadline.js';
import type { LocalKafkaBroker, LocalKafkaOptions } from '../../../dev/local/kafka/broker.js';
import { parseScaledObject } from '../../../shared/spec/index.js';
import type { ApacheKafkaTrigger, KafkaTrigger } from '../../../shared/spec/types.js';
import { createKafkaClients } from '../../../shared/triggers/kafka/clients.js';
import type { KafkaClients } from '../../../shared/triggers/kafka/clients.js';
import { createKafkaReaders } from '../../../shared/triggers/kafka/reader.js';
import type { TriggerRequest } from '../../../shared/triggers/types.js';
import { manifest } from '../../unit/spec/fixtures.js';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const FUNCTION_CREDENTIALS = { accessKeyId: 'AKIDLAMBDAROLE', secretAccessKey: 'lambda-role-secret' };

type AnyKafka = KafkaTrigger | ApacheKafkaTrigger;

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  // Clients before brokers, as a container outlives neither.
  for (const resource of opened.splice(0).reverse()) await resource.close();
});

const broker = async (options: LocalKafkaOptions = {}): Promise<LocalKafkaBroker> => {
  const started = await startKafkaBroker(options);
  opened.push(started);
  return started;
};

const readers = (timeoutMs?: number) => {
  const clients: KafkaClients = createKafkaClients({ awsCredentials: () => async () => FUNCTION_CREDENTIALS });
  opened.push(clients);
  return createKafkaReaders({ clients, ...(timeoutMs !== undefined && { timeoutMs }) });
};

/** A request for one trigger, parsed from metadata as a manifest would be. */
const request = <K extends AnyKafka['type']>(
  type: K,
  metadata: Record<string, string>,
  authParams?: Record<string, string>,
  name = 'worker',
): TriggerRequest<Extract<AnyKafka, { type: K }>> => {
  const parsed = parseScaledObject(manifest((m) => {
    m.metadata.name = name;
    m.spec.triggers = [{ type, metadata }];
  }));
  if (!parsed.ok) throw new Error(parsed.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return { scaledObject: parsed.scaledObject, trigger: parsed.scaledObject.spec.triggers[0] as Extract<AnyKafka, { type: K }>, ...(authParams && { authParams }) };
};

/** orders: 3 partitions, log ends 40 / 12 / 0; group workers committed 10 and 12 on the first two. */
const seed = (kafka: LocalKafkaBroker): void => {
  kafka.createTopic('orders', 3);
  kafka.produce('orders', 0, 40);
  kafka.produce('orders', 1, 12);
  kafka.commit('workers', 'orders', 0, 10n);
  kafka.commit('workers', 'orders', 1, 12n);
};

describe('Kafka readers over the protocol (plaintext)', () => {
  it('reads the group\'s total lag on one topic: 30 + 0 + 1 (no offset committed, offsetResetPolicy latest)', async () => {
    const kafka = await broker();
    seed(kafka);
    const { kafka: reader } = readers();

    const [reading] = await reader.read([request('kafka', { bootstrapServers: kafka.bootstrap, consumerGroup: 'workers', topic: 'orders' })], NOW);

    expect(reading).toEqual({ value: 31 });
  });

  it('caps the lag at partitions × lagThreshold', async () => {
    const kafka = await broker();
    seed(kafka);
    const { kafka: reader } = readers();

    const [reading] = await reader.read([request('kafka', { bootstrapServers: kafka.bootstrap, consumerGroup: 'workers', topic: 'orders', lagThreshold: '5' })], NOW);

    expect(reading).toEqual({ value: 15 });
  });

  it('sums every topic the group committed to when no topic is given', async () => {
    const kafka = await broker();
    seed(kafka);
    kafka.createTopic('refunds', 1);
    kafka.produce('refunds', 0, 9);
    kafka.commit('workers', 'refunds', 0, 4n);
    const { apacheKafka } = readers();

    const [reading] = await apacheKafka.read([request('apache-kafka', { bootstrapServers: kafka.bootstrap, consumerGroup: 'workers', allowIdleConsumers: 'true' })], NOW);

    // Every partition of the group's topics, as sarama's DescribeTopics gives them: orders 30 + 0 + 1 (none committed), refunds 5.
    expect(reading).toEqual({ value: 36 });
  });

  it.each([
    ['success_all_partitions_explicit', '1,2', [1, 2]],
    ['success_partial_partitions_explicit', '1,2,3', [1, 2, 3]],
    ['success_all_partitions_implicit', '', [0, 1, 2, 3, 4, 5]],
  ])('limits partitions as KEDA TestGetTopicPartitions %s', async (_name, partitionLimitation, counted) => {
    const kafka = await broker();
    kafka.createTopic('my-topic', 6);
    for (let partition = 0; partition < 6; partition++) {
      kafka.produce('my-topic', partition, 10 + partition);
      kafka.commit('my-group', 'my-topic', partition, 0n);
    }
    const { kafka: reader } = readers();

    const [reading] = await reader.read(
      [request('kafka', { bootstrapServers: kafka.bootstrap, consumerGroup: 'my-group', topic: 'my-topic', partitionLimitation, allowIdleConsumers: 'true' })],
      NOW,
    );

    expect(reading).toEqual({ value: counted.reduce((sum, partition) => sum + 10 + partition, 0) });
  });

  it('leaves a stuck partition out of the metric but not out of activation with excludePersistentLag', async () => {
    const kafka = await broker();
    seed(kafka);
    const { kafka: reader } = readers();
    const stuck = request('kafka', { bootstrapServers: kafka.bootstrap, consumerGroup: 'workers', topic: 'orders', excludePersistentLag: 'true' });

    const first = await reader.read([stuck], NOW);
    kafka.produce('orders', 0, 5);
    const second = await reader.read([stuck], NOW + 60_000);

    // Partition 0 stays at committed offset 10: counted the first time (nothing to compare with), then excluded.
    expect([first, second]).toEqual([[{ value: 31, activationValue: 31 }], [{ value: 1, activationValue: 36 }]]);
  });

  it('reports a missing topic on the trigger, naming the group and the brokers', async () => {
    const kafka = await broker();
    const { kafka: reader } = readers();

    const [reading] = await reader.read([request('kafka', { bootstrapServers: kafka.bootstrap, consumerGroup: 'workers', topic: 'nope' })], NOW);

    expect(reading).toEqual({ error: expect.stringMatching(new RegExp(`^shop/worker spec.triggers\\[0\\]: group workers on ${kafka.bootstrap}: `)) });
  });
});

describe('Kafka readers over the protocol (connections)', () => {
  it('reuses the container\'s connection across evaluations: one handshake for two reads', async () => {
    const kafka = await broker({ users: { lpa: 'scram-secret' } });
    seed(kafka);
    const { kafka: reader } = readers();
    const scram = request('kafka', { bootstrapServers: kafka.bootstrap, consumerGroup: 'workers', topic: 'orders', sasl: 'scram_sha512' }, { username: 'lpa', password: 'scram-secret' });

    await reader.read([scram], NOW);
    await reader.read([scram], NOW + 60_000);

    expect(kafka.requests.filter((name) => name === 'SaslHandshake')).toHaveLength(1);
  });

  it('closes a connection after an error, so the next evaluation connects afresh', async () => {
    const kafka = await broker({ users: { lpa: 'scram-secret' } });
    seed(kafka);
    const { kafka: reader } = readers();
    const auth = { username: 'lpa', password: 'scram-secret' };
    const missing = request('kafka', { bootstrapServers: kafka.bootstrap, consumerGroup: 'workers', topic: 'nope', sasl: 'scram_sha512' }, auth);
    const good = request('kafka', { bootstrapServers: kafka.bootstrap, consumerGroup: 'workers', topic: 'orders', sasl: 'scram_sha512' }, auth);

    const [failed] = await reader.read([missing], NOW);
    const [read] = await reader.read([good], NOW + 60_000);

    expect(failed).toHaveProperty('error');
    expect(read).toEqual({ value: 31 });
    expect(kafka.requests.filter((name) => name === 'SaslHandshake')).toHaveLength(2);
  });

  it('reconnects after the broker reset its idle connections between ticks', async () => {
    const kafka = await broker({ tls: true, users: { lpa: 'scram-secret' } });
    seed(kafka);
    const { kafka: reader } = readers();
    const trigger = request('kafka', { bootstrapServers: kafka.bootstrap, consumerGroup: 'workers', topic: 'orders', tls: 'enable', sasl: 'scram_sha512' }, { ca: kafka.caPem ?? '', username: 'lpa', password: 'scram-secret' });

    await reader.read([trigger], NOW);
    kafka.dropConnections();
    const readings = [...(await reader.read([trigger], NOW + 60_000)), ...(await reader.read([trigger], NOW + 120_000))];

    // The tick right after the reset may fail on the dead socket (never scaling on it); the next one reads.
    expect(readings.at(-1)).toEqual({ value: 31 });
  });

  it('reports an unreachable broker at once, and reads the other triggers of the tick', async () => {
    const kafka = await broker();
    seed(kafka);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { kafka: reader } = readers();

    const [down, up] = await reader.read(
      [
        request('kafka', { bootstrapServers: `127.0.0.1:${port}`, consumerGroup: 'workers', topic: 'orders' }, undefined, 'down'),
        request('kafka', { bootstrapServers: kafka.bootstrap, consumerGroup: 'workers', topic: 'orders' }, undefined, 'up'),
      ],
      NOW,
    );

    expect(down).toEqual({ error: expect.stringContaining(`shop/down spec.triggers[0]: group workers on 127.0.0.1:${port}:`) });
    expect(up).toEqual({ value: 31 });
  });

  it('gives up on a broker that accepts but never answers after its timeout, without holding the other triggers', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    opened.push({ close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); silent.close(() => resolve()); }) });
    const kafka = await broker();
    seed(kafka);
    const { kafka: reader } = readers(500);

    const [stalled, up] = await reader.read(
      [
        request('kafka', { bootstrapServers: `127.0.0.1:${(silent.address() as AddressInfo).port}`, consumerGroup: 'workers', topic: 'orders' }, undefined, 'stalled'),
        request('kafka', { bootstrapServers: kafka.bootstrap, consumerGroup: 'workers', topic: 'orders' }, undefined, 'up'),
      ],
      NOW,
    );

    expect(stalled).toEqual({ error: expect.stringMatching(/shop\/stalled .*: (no answer within 500 ms|.*[Tt]imeout)/) });
    expect(up).toEqual({ value: 31 });
  });
});

describe('Kafka readers over the protocol (the tick\'s budget)', () => {
  it('does not connect once the tick\'s budget is spent', async () => {
    const kafka = await broker();
    seed(kafka);
    const { kafka: reader } = readers();
    const spent = new AbortController();
    spent.abort(new DeadlineExceededError('the invocation\'s time budget ran out'));

    const [reading] = await reader.read([request('kafka', { bootstrapServers: kafka.bootstrap, consumerGroup: 'workers', topic: 'orders' })], NOW, spent.signal);

    expect(reading).toEqual({ error: expect.stringContaining('not read: the invocation\'s time budget ran out') });
    expect(kafka.requests).toEqual([]);
  });

  it('ends a read the budget overtakes, however long the reader\'s own bound', async () => {
    const budget = new AbortController();
    const sockets = new Set<Socket>();
    // The budget runs out once the silent broker holds the connection: a condition, not a race with a timer.
    const silent: Server = createServer((socket) => {
      sockets.add(socket);
      budget.abort(new DeadlineExceededError('the invocation\'s time budget ran out'));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    opened.push({ close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); silent.close(() => resolve()); }) });
    const { kafka: reader } = readers(600_000);

    const [reading] = await reader.read(
      [request('kafka', { bootstrapServers: `127.0.0.1:${(silent.address() as AddressInfo).port}`, consumerGroup: 'workers', topic: 'orders' })],
      NOW,
      budget.signal,
    );

    expect(reading).toEqual({ error: expect.stringContaining('the invocation\'s time budget ran out') });
  });
});

describe('Kafka readers over the protocol (SASL and TLS)', () => {
  it.each([['plaintext'], ['scram_sha256'], ['scram_sha512']])('authenticates with sasl %s from the TriggerAuthentication', async (sasl) => {
    const kafka = await broker({ users: { lpa: 'the-password' } });
    seed(kafka);
    const { apacheKafka } = readers();

    const [reading] = await apacheKafka.read(
      [request('apache-kafka', { bootstrapServers: kafka.bootstrap, consumerGroup: 'workers', topic: 'orders' }, { sasl, username: 'lpa', password: 'the-password' })],
      NOW,
    );

    expect(reading).toEqual({ value: 31 });
  });

  it('reports a wrong SCRAM password without quoting it', async () => {
    const kafka = await broker({ users: { lpa: 'the-password' } });
    seed(kafka);
    const { kafka: reader } = readers();

    const [reading] = await reader.read(
      [request('kafka', { bootstrapServers: kafka.bootstrap, consumerGroup: 'workers', topic: 'orders', sasl: 'scram_sha512' }, { username: 'lpa', password: 'not-the-password' })],
      NOW,
    );

    expect(reading).toHaveProperty('error');
    expect(JSON.stringify(reading)).not.toContain('not-the-password');
  });

  it('verifies the broker\'s certificate against the TriggerAuthentication\'s ca', async () => {
    const kafka = await broker({ tls: true });
    seed(kafka);
    const { kafka: reader } = readers();

    const [reading] = await reader.read(
      [request('kafka', { bootstrapServers: kafka.bootstrap, consumerGroup: 'workers', topic: 'orders', tls: 'enable' }, { ca: kafka.caPem ?? '' })],
      NOW,
    );

    expect(reading).toEqual({ value: 31 });
  });

  it('refuses a broker whose certificate no trusted CA signed', async () => {
    const kafka = await broker({ tls: true });
    seed(kafka);
    const { kafka: reader } = readers();

    const [reading] = await reader.read([request('kafka', { bootstrapServers: kafka.bootstrap, consumerGroup: 'workers', topic: 'orders', tls: 'enable' })], NOW);

    expect(reading).toEqual({ error: expect.stringMatching(/certificate/i) });
  });

  it('authenticates to MSK with IAM signed by the function\'s own role: no secret at all', async () => {
    const kafka = await broker({ tls: true, iam: { region: 'eu-west-1', keys: { [FUNCTION_CREDENTIALS.accessKeyId]: FUNCTION_CREDENTIALS.secretAccessKey } } });
    seed(kafka);
    const { apacheKafka } = readers();
    const metadata = { bootstrapServers: kafka.bootstrap, consumerGroup: 'workers', topic: 'orders', sasl: 'aws_msk_iam', tls: 'enable', awsRegion: 'eu-west-1' };

    // The ca only because the local broker's CA is not a public one, as MSK's is.
    const [reading] = await apacheKafka.read([request('apache-kafka', metadata, { ca: kafka.caPem ?? '' })], NOW);

    expect(reading).toEqual({ value: 31 });
  });

  it('authenticates to MSK with kafka\'s oauthbearer + aws_msk_iam and keys from the TriggerAuthentication', async () => {
    const kafka = await broker({ tls: true, iam: { region: 'eu-west-1', keys: { AKIDTRIGGERAUTH: 'trigger-auth-secret' } } });
    seed(kafka);
    const { kafka: reader } = readers();
    const metadata = { bootstrapServers: kafka.bootstrap, consumerGroup: 'workers', topic: 'orders', sasl: 'oauthbearer', saslTokenProvider: 'aws_msk_iam', tls: 'enable', awsRegion: 'eu-west-1' };

    const [reading] = await reader.read([request('kafka', metadata, { ca: kafka.caPem ?? '', awsAccessKeyID: 'AKIDTRIGGERAUTH', awsSecretAccessKey: 'trigger-auth-secret' })], NOW);

    expect(reading).toEqual({ value: 31 });
  });

  it('is refused by MSK when the signing key is not one the cluster trusts', async () => {
    const kafka = await broker({ tls: true, iam: { region: 'eu-west-1', keys: { AKIDSOMEONEELSE: 'x' } } });
    seed(kafka);
    const { apacheKafka } = readers();
    const metadata = { bootstrapServers: kafka.bootstrap, consumerGroup: 'workers', topic: 'orders', sasl: 'aws_msk_iam', tls: 'enable', awsRegion: 'eu-west-1' };

    const [reading] = await apacheKafka.read([request('apache-kafka', metadata, { ca: kafka.caPem ?? '' })], NOW);

    expect(reading).toHaveProperty('error');
    expect(JSON.stringify(reading)).not.toContain(FUNCTION_CREDENTIALS.secretAccessKey);
  });
});
