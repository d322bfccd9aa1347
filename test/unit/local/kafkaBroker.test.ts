/**
 * The local Kafka broker checked against the client's own protocol code: every request is encoded
 * with @platformatic/kafka's `createRequest` and every answer decoded with its `parseResponse`, for
 * each API and version the broker advertises. The broker's codec is written separately
 * (dev/local/kafka/codec.ts), so a layout mistake on either side fails here.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import {
  Reader,
  apiVersionsV3,
  findCoordinatorV4,
  listOffsetsV8,
  metadataV12,
  offsetFetchV9,
  saslAuthenticateV2,
  saslHandshakeV1,
} from '@platformatic/kafka';
import type { Writer } from '@platformatic/kafka';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startKafkaBroker } from '../../../dev/local/kafka/broker.js';
import type { LocalKafkaBroker } from '../../../dev/local/kafka/broker.js';

/** A bare connection that frames requests the way Kafka clients do (request header v1 or v2). */
const rawClient = async (bootstrap: string) => {
  const [host, port] = bootstrap.split(':');
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect(Number(port), host, () => resolve(s));
    s.once('error', reject);
  });
  let pending = Buffer.alloc(0);
  const waiting: ((frame: Buffer) => void)[] = [];
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
      const frame = pending.subarray(4, 4 + pending.readInt32BE(0));
      pending = pending.subarray(4 + frame.length);
      waiting.shift()?.(frame);
    }
  });
  let correlationId = 0;
  const send = async (apiKey: number, version: number, flexible: boolean, payload: Writer): Promise<Reader> => {
    correlationId++;
    const clientId = Buffer.from('raw-test');
    const header = Buffer.alloc(10);
    header.writeInt16BE(apiKey, 0);
    header.writeInt16BE(version, 2);
    header.writeInt32BE(correlationId, 4);
    header.writeInt16BE(clientId.length, 8);
    const body = Buffer.concat([header, clientId, flexible ? Buffer.from([0]) : Buffer.alloc(0), payload.buffer]);
    const length = Buffer.alloc(4);
    length.writeInt32BE(body.length);
    const frame = new Promise<Buffer>((resolve) => waiting.push(resolve));
    socket.write(Buffer.concat([length, body]));
    const response = await frame;
    expect(response.readInt32BE(0)).toBe(correlationId);
    // Response header v1 (flexible, except ApiVersions) carries an empty tag buffer after the correlation id.
    const skip = flexible && apiKey !== 18 ? 5 : 4;
    return Reader.from(response.subarray(skip));
  };
  return { send, close: () => socket.destroy() };
};

describe('Local Kafka broker (decoded with @platformatic/kafka parsers)', () => {
  let broker: LocalKafkaBroker;
  let client: Awaited<ReturnType<typeof rawClient>>;

  beforeEach(async () => {
    broker = await startKafkaBroker();
    broker.createTopic('orders', 2);
    broker.produce('orders', 0, 40);
    broker.produce('orders', 1, 7);
    broker.commit('workers', 'orders', 0, 25n);
    client = await rawClient(broker.bootstrap);
  });

  afterEach(async () => {
    client.close();
    await broker.close();
  });

  it('answers ApiVersions v3 with the versions it implements', async () => {
    const response = apiVersionsV3.parseResponse(1, 18, 3, await client.send(18, 3, true, apiVersionsV3.createRequest('test', '1')));
    expect(response.apiKeys).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ apiKey: 3, minVersion: 0, maxVersion: 12 }),
        expect.objectContaining({ apiKey: 2, minVersion: 1, maxVersion: 8 }),
        expect.objectContaining({ apiKey: 9, minVersion: 0, maxVersion: 9 }),
      ]),
    );
  });

  it('answers Metadata v12 with the topic\'s partitions led by the one broker', async () => {
    const response = metadataV12.parseResponse(2, 3, 12, await client.send(3, 12, true, metadataV12.createRequest(['orders'], false, false)));
    expect(response.brokers).toEqual([expect.objectContaining({ nodeId: 1, host: '127.0.0.1' })]);
    expect(response.topics.map((t) => [t.name, t.partitions.map((p) => [p.partitionIndex, p.leaderId])])).toEqual([['orders', [[0, 1], [1, 1]]]]);
  });

  it('answers Metadata v12 for an unknown topic with UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const request = await client.send(3, 12, true, metadataV12.createRequest(['nope'], false, false));
    expect(() => metadataV12.parseResponse(2, 3, 12, request)).toThrow();
  });

  it('answers ListOffsets v8 latest with the log end offset', async () => {
    const request = listOffsetsV8.createRequest(-1, 0, [{ name: 'orders', partitions: [0, 1].map((partitionIndex) => ({ partitionIndex, currentLeaderEpoch: -1, timestamp: -1n })) }]);
    const response = listOffsetsV8.parseResponse(3, 2, 8, await client.send(2, 8, true, request));
    expect(response.topics[0]?.partitions.map((p) => [p.partitionIndex, p.offset])).toEqual([[0, 40n], [1, 7n]]);
  });

  it('answers FindCoordinator v4 with itself for every group', async () => {
    const response = findCoordinatorV4.parseResponse(4, 10, 4, await client.send(10, 4, true, findCoordinatorV4.createRequest(0, ['workers'])));
    expect(response.coordinators).toEqual([expect.objectContaining({ key: 'workers', nodeId: 1, errorCode: 0 })]);
  });

  it('answers OffsetFetch v9 with committed offsets, −1 where none is committed', async () => {
    const request = offsetFetchV9.createRequest([{ groupId: 'workers', memberEpoch: -1, topics: [{ name: 'orders', partitionIndexes: [0, 1] }] }], false);
    const response = offsetFetchV9.parseResponse(5, 9, 9, await client.send(9, 9, true, request));
    expect(response.groups[0]?.topics[0]?.partitions.map((p) => [p.partitionIndex, p.committedOffset])).toEqual([[0, 25n], [1, -1n]]);
  });

  it('answers OffsetFetch v9 without topics with every topic the group committed to', async () => {
    const request = offsetFetchV9.createRequest([{ groupId: 'workers', memberEpoch: -1, topics: null }], false);
    const response = offsetFetchV9.parseResponse(6, 9, 9, await client.send(9, 9, true, request));
    expect(response.groups[0]?.topics.map((t) => t.name)).toEqual(['orders']);
  });
});

describe('Local Kafka broker SASL (decoded with @platformatic/kafka parsers)', () => {
  it('accepts SaslHandshake v1 and a correct SaslAuthenticate v2 PLAIN exchange', async () => {
    const broker = await startKafkaBroker({ users: { lpa: 'right' } });
    const client = await rawClient(broker.bootstrap);
    try {
      const handshake = saslHandshakeV1.parseResponse(1, 17, 1, await client.send(17, 1, false, saslHandshakeV1.createRequest('PLAIN')));
      expect(handshake.mechanisms).toContain('PLAIN');
      const auth = await client.send(36, 2, true, saslAuthenticateV2.createRequest(Buffer.from('\u0000lpa\u0000right')));
      expect(saslAuthenticateV2.parseResponse(2, 36, 2, auth).errorCode).toBe(0);
    } finally {
      client.close();
      await broker.close();
    }
  });

  it('refuses a wrong PLAIN password with SASL_AUTHENTICATION_FAILED', async () => {
    const broker = await startKafkaBroker({ users: { lpa: 'right' } });
    const client = await rawClient(broker.bootstrap);
    try {
      await client.send(17, 1, false, saslHandshakeV1.createRequest('PLAIN'));
      const auth = await client.send(36, 2, true, saslAuthenticateV2.createRequest(Buffer.from('\u0000lpa\u0000wrong')));
      expect(() => saslAuthenticateV2.parseResponse(2, 36, 2, auth)).toThrow();
    } finally {
      client.close();
      await broker.close();
    }
  });
});
