/**
 * A local single-node Kafka broker for tests and demos: no Kafka broker installs from npm or
 * Debian here (Debian bookworm packages none; npm has clients and framework transports only), so
 * this one speaks the Kafka protocol itself over TCP, or TLS with its own CA, on 127.0.0.1 and a
 * random port. It answers the requests an admin client sends to compute consumer lag (apis.ts) and
 * authenticates with SASL PLAIN, SCRAM-SHA-256/512 or MSK IAM (sasl.ts); with SASL configured,
 * every other request before authentication closes the connection, as Kafka does.
 *
 * The cluster model is plain data the test changes: produce to a partition (its log end offset
 * grows), commit a group's offset.
 *
 * @example
 * const broker = await startKafkaBroker({ users: { lpa: 's3cret' } });
 * broker.createTopic('orders', 3);
 * broker.produce('orders', 0, 40);
 * broker.commit('workers', 'orders', 0, 10n);
 * // … a trigger with bootstrapServers: broker.bootstrap
 * await broker.close();
 */
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { TLSSocket, createServer as createTlsServer } from 'node:tls';
import { ADVERTISED, ApiKey, ErrorCode, FLEXIBLE_FROM, apiVersions, findCoordinator, listOffsets, metadata, offsetFetch } from './apis.js';
import type { KafkaClusterModel } from './apis.js';
import { KafkaReader, KafkaWriter } from './codec.js';
import { saslExchange } from './sasl.js';
import type { Mechanism, SaslExchange, SaslUsers } from './sasl.js';
import { localCertificates } from '../http.js';

interface LocalKafkaOptions extends SaslUsers {
  /** Serve TLS with a fresh local CA (its PEM is `caPem`). */
  readonly tls?: boolean;
}

interface LocalKafkaBroker {
  /** `127.0.0.1:<port>`, for `bootstrapServers`. */
  readonly bootstrap: string;
  /** The CA that signed the broker's certificate (TLS only). */
  readonly caPem?: string;
  /** Requests received, by API key name, in order (tests count them). */
  readonly requests: string[];
  createTopic(name: string, partitions: number): void;
  produce(topic: string, partition: number, messages: number): void;
  commit(group: string, topic: string, partition: number, offset: bigint): void;
  /** Resets every open connection, as a broker does to idle ones (connections.max.idle.ms). */
  dropConnections(): void;
  close(): Promise<void>;
}

const API_NAMES = new Map<number, string>(Object.entries(ApiKey).map(([name, key]) => [key, name]));

interface Session {
  authenticated: boolean;
  exchange?: SaslExchange;
}

const startKafkaBroker = async (options: LocalKafkaOptions = {}): Promise<LocalKafkaBroker> => {
  const cluster: KafkaClusterModel = { topics: new Map(), groups: new Map() };
  const requests: string[] = [];
  const saslRequired = options.users !== undefined || options.iam !== undefined;
  const certificates = options.tls === true ? await localCertificates('lpa-local-kafka-ca', 'kafka-broker') : undefined;
  let address = { host: '127.0.0.1', port: 0 };

  /** One request: its response body, or `undefined` to close the connection. */
  const answer = async (session: Session, key: number, version: number, r: KafkaReader): Promise<Buffer | undefined> => {
    const w = new KafkaWriter();
    const name = API_NAMES.get(key) ?? `api ${key}`;
    requests.push(name);
    if (key === ApiKey.ApiVersions) {
      if (version !== 3) return w.int16(ErrorCode.UNSUPPORTED_VERSION).array([...ADVERTISED], (w, [k, [min, max]]) => w.int16(k).int16(min).int16(max)).toBuffer();
      apiVersions(w);
      return w.toBuffer();
    }
    if (version !== ADVERTISED.get(key)?.[1]) return undefined;
    if (key === ApiKey.SaslHandshake) {
      const mechanism = r.string() as Mechanism;
      const supported = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', ...(options.iam ? ['OAUTHBEARER'] : [])];
      if (!supported.includes(mechanism)) return w.int16(ErrorCode.UNSUPPORTED_SASL_MECHANISM).array(supported, (w, m) => w.string(m)).toBuffer();
      session.exchange = saslExchange(mechanism, options);
      return w.int16(ErrorCode.NONE).array(supported, (w, m) => w.string(m)).toBuffer();
    }
    if (key === ApiKey.SaslAuthenticate) {
      const bytes = r.compactBytes();
      const step = session.exchange === undefined ? { error: 'SaslAuthenticate before SaslHandshake' } : await session.exchange.step(bytes);
      if ('error' in step) return w.int16(ErrorCode.SASL_AUTHENTICATION_FAILED).compactString(step.error).compactBytes(Buffer.alloc(0)).int64(0n).tags().toBuffer();
      session.authenticated = step.done;
      return w.int16(ErrorCode.NONE).compactString(null).compactBytes(step.reply).int64(0n).tags().toBuffer();
    }
    if (saslRequired && !session.authenticated) return undefined;
    switch (key) {
      case ApiKey.Metadata:
        metadata(r, w, cluster, address);
        break;
      case ApiKey.ListOffsets:
        listOffsets(r, w, cluster);
        break;
      case ApiKey.FindCoordinator:
        findCoordinator(r, w, address);
        break;
      case ApiKey.OffsetFetch:
        offsetFetch(r, w, cluster);
        break;
      default:
        return undefined;
    }
    return w.toBuffer();
  };

  const sockets = new Set<Socket>();
  const serve = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const session: Session = { authenticated: false };
    let pending = Buffer.alloc(0);
    let queue = Promise.resolve();
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const frame = pending.subarray(4, 4 + pending.readInt32BE(0));
        pending = pending.subarray(4 + frame.length);
        // Answers go out in request order, as Kafka guarantees per connection.
        queue = queue.then(() => handle(session, socket, frame)).catch(() => void socket.destroy());
      }
    });
  };

  const handle = async (session: Session, socket: Socket, frame: Buffer): Promise<void> => {
    const r = new KafkaReader(frame);
    const key = r.int16();
    const version = r.int16();
    const correlationId = r.int32();
    r.string();
    const flexible = version >= (FLEXIBLE_FROM.get(key) ?? Number.POSITIVE_INFINITY);
    if (flexible) r.tags();
    const body = await answer(session, key, version, r);
    if (body === undefined) return void socket.destroy();
    // ApiVersions always answers with header v0, so that any client can read it.
    const header = new KafkaWriter().int32(correlationId);
    if (flexible && key !== ApiKey.ApiVersions) header.tags();
    const payload = Buffer.concat([header.toBuffer(), body]);
    socket.write(Buffer.concat([new KafkaWriter().int32(payload.length).toBuffer(), payload]));
  };

  const server: Server = certificates === undefined ? createTcpServer(serve) : createTlsServer({ key: certificates.key, cert: certificates.cert }, serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  address = { host: '127.0.0.1', port: (server.address() as AddressInfo).port };

  return {
    bootstrap: `${address.host}:${address.port}`,
    ...(certificates && { caPem: certificates.caPem }),
    requests,
    createTopic: (name, partitions) => void cluster.topics.set(name, Array.from({ length: partitions }, () => 0n)),
    produce: (topic, partition, messages) => {
      const ends = cluster.topics.get(topic);
      if (ends === undefined || ends[partition] === undefined) throw new Error(`no partition ${topic}/${partition}`);
      ends[partition] += BigInt(messages);
    },
    commit: (group, topic, partition, offset) => {
      const offsets = cluster.groups.get(group) ?? new Map<string, Map<number, bigint>>();
      const topicOffsets = offsets.get(topic) ?? new Map<number, bigint>();
      topicOffsets.set(partition, offset);
      offsets.set(topic, topicOffsets);
      cluster.groups.set(group, offsets);
    },
    dropConnections: () => {
      // A TLS socket cannot send a TCP reset itself: its close is what the client sees then.
      for (const socket of sockets) (socket instanceof TLSSocket ? socket.destroy() : socket.resetAndDestroy());
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
};

export { startKafkaBroker };
export type { LocalKafkaBroker, LocalKafkaOptions };
