/**
 * Kafka admin clients (@platformatic/kafka), one per distinct connection (brokers, TLS material,
 * SASL identity), kept for the life of the Lambda container so that a warm tick reuses its sockets
 * and SASL sessions. A client that failed or timed out is closed and forgotten: the next
 * evaluation connects afresh instead of reusing a socket in an unknown state.
 *
 * Why @platformatic/kafka: maintained (monthly releases), pure JavaScript, negotiates every API
 * version from v0 with ApiVersions (MSK 2.x to Kafka 4), async SASL token providers (MSK IAM) and
 * does not ask brokers for authorized operations (each would be an MSK IAM authorization). KafkaJS
 * has had no release since 2.2.4 (2023). The package is imported on first use only, so ticks without
 * Kafka triggers never load it.
 */
import { createHash } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import type { Admin, AdminOptions } from '@platformatic/kafka';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { once } from '../../aws/sdk.js';
import type { AwsClients } from '../awsClients.js';
import type { AwsCredentialSource, KafkaConnection } from './connection.js';

/** Per-connection and per-request bounds: a slow broker must fail inside the tick, not stall it. */
const CONNECT_TIMEOUT_MS = 3_000; // 3 seconds
const REQUEST_TIMEOUT_MS = 5_000; // 5 seconds
const CLIENT_ID = 'lambda-pod-autoscaler';

const loadKafka = once(() => import('@platformatic/kafka'));
const loadSigner = once(() => import('aws-msk-iam-sasl-signer-js'));

interface KafkaClientsOptions {
  /** Credentials to sign MSK IAM tokens with: an assumed role's (the triggers' shared AssumeRole cache), or the function's own. */
  readonly awsCredentials: AwsClients['credentials'];
  readonly connectTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
}

interface KafkaClients {
  /** The admin client of a connection, built on first use. */
  admin(connection: KafkaConnection): Promise<Admin>;
  /** Closes and forgets a connection's client (after an error or a timeout). */
  discard(connection: KafkaConnection): Promise<void>;
  /** Closes every client (tests, CLI). */
  close(): Promise<void>;
}

/** A digest, so that passwords and keys never serve as readable map keys. */
const connectionKey = (connection: KafkaConnection): string => createHash('sha256').update(JSON.stringify(connection)).digest('hex');

const createKafkaClients = (options: KafkaClientsOptions): KafkaClients => {
  const admins = new Map<string, Promise<Admin>>();

  const credentialsOf = (source: AwsCredentialSource, region: string): AwsCredentialIdentityProvider => {
    switch (source.kind) {
      case 'role':
        return options.awsCredentials({ region, roleArn: source.roleArn });
      case 'function':
        return options.awsCredentials({ region });
      case 'keys': {
        const { accessKeyId, secretAccessKey, sessionToken } = source;
        return () => Promise.resolve({ accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }) });
      }
    }
  };

  const saslOptions = (sasl: NonNullable<KafkaConnection['sasl']>): AdminOptions['sasl'] => {
    if (sasl.mechanism !== 'AWS_MSK_IAM') return { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password };
    // MSK IAM over OAUTHBEARER: a fresh SigV4-presigned token from AWS's own signer at each authentication.
    return {
      mechanism: 'OAUTHBEARER',
      token: async () => {
        const { generateAuthTokenFromCredentialsProvider } = await loadSigner();
        const awsCredentialsProvider = credentialsOf(sasl.credentials, sasl.region);
        return (await generateAuthTokenFromCredentialsProvider({ region: sasl.region, awsCredentialsProvider })).token;
      },
    };
  };

  const build = async (connection: KafkaConnection): Promise<Admin> => {
    const { Admin } = await loadKafka();
    const admin = new Admin({
      clientId: CLIENT_ID,
      bootstrapBrokers: [...connection.brokers],
      connectTimeout: options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
      requestTimeout: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
      // The next tick is the retry; retrying inside one would only stretch it.
      retries: 0,
      // A scaler must never create the topic it asks about (brokers with auto.create.topics.enable would).
      autocreateTopics: false,
      // Certificates are always verified (Node's default `rejectUnauthorized: true` is never turned off).
      ...(connection.tls && { tls: { ...connection.tls }, tlsServerName: true }),
      ...(connection.sasl && { sasl: saslOptions(connection.sasl) }),
    });
    // A broker may reset a connection, idle between ticks (connections.max.idle.ms) or after a failed
    // SASL or TLS handshake. The client drops it and reconnects on the next request, but its socket can
    // report more than one error, and an 'error' event nobody listens to would end the Lambda process.
    // A connection whose handshake failed can report its reset after that, too.
    const ignoreLaterErrors = ({ connection: socket }: { connection: EventEmitter }) => void socket.on('error', () => undefined);
    admin.on('client:broker:connect', ignoreLaterErrors);
    admin.on('client:broker:failed', ignoreLaterErrors);
    return admin;
  };

  const discard = async (connection: KafkaConnection): Promise<void> => {
    const key = connectionKey(connection);
    const admin = admins.get(key);
    admins.delete(key);
    await admin?.then((client) => client.close()).catch(() => undefined);
  };

  return {
    admin: (connection) => {
      const key = connectionKey(connection);
      let admin = admins.get(key);
      if (admin === undefined) {
        admin = build(connection);
        admins.set(key, admin);
        admin.catch(() => admins.delete(key));
      }
      return admin;
    },
    discard,
    close: async () => {
      const all = [...admins.values()];
      admins.clear();
      await Promise.all(all.map((admin) => admin.then((client) => client.close()).catch(() => undefined)));
    },
  };
};

export { createKafkaClients };
export type { KafkaClients };
