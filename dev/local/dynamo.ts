/**
 * A local DynamoDB for tests and demos: dynalite on 127.0.0.1 (a random port), with the state table
 * created from the same definition the CDK construct uses.
 *
 * TTL: dynalite has no UpdateTimeToLive (DescribeTimeToLive always answers DISABLED) and never
 * expires items, so the table here has no TTL setting; `expiresAt` is still written and can be
 * asserted on. Streams are missing too (see local-services.md), and so is TransactWriteItems, which
 * the state store's save with decision records uses: dynamoTransactions.ts adds it.
 *
 * @example
 * const dynamo = await startDynamo();
 * const store = new DynamoDbStateStore({ tableName: dynamo.tableName, client: dynamo.client });
 * // …
 * await dynamo.close();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createStateTableInput } from '../../shared/state/tableDefinition.js';
import { addTransactWriteItems } from './dynamoTransactions.js';

/** dynalite ships no types; this is the one call used. */
type Dynalite = (options: { readonly createTableMs?: number }) => Server;
const dynalite = createRequire(import.meta.url)('dynalite') as Dynalite;

const DEFAULT_TABLE_NAME = 'lpa-state';
/** dynalite does not check signatures, but the SDK must sign with something: fixed, obviously fake. */
const LOCAL_CREDENTIALS = { accessKeyId: 'AKIDLOCALDYNAMO', secretAccessKey: 'local-dynamo-secret' } as const;
const LOCAL_REGION = 'us-east-1';
/** With createTableMs 0 the table turns ACTIVE on the next timer tick; this bounds the wait anyway. */
const TABLE_ACTIVE_POLLS = 50;
const TABLE_ACTIVE_POLL_MS = 10;

interface LocalDynamo {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly tableName: string;
  /** Points at `endpoint` with fixed local credentials and region. */
  readonly client: DynamoDBClient;
  /** Destroys the client and stops the server. */
  close(): Promise<void>;
}

const listen = (server: Server): Promise<AddressInfo> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address() as AddressInfo));
  });

const waitUntilActive = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  for (let poll = 0; poll < TABLE_ACTIVE_POLLS; poll += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await delay(TABLE_ACTIVE_POLL_MS);
  }
  throw new Error(`local table ${tableName} did not become ACTIVE`);
};

interface StartDynamoOptions {
  readonly tableName?: string;
  /**
   * Run dynalite in a child process, so its CPU does not share the caller's event loop (benchmarks:
   * a remote call's cost must be the injected latency, not the emulator's work).
   */
  readonly childProcess?: boolean;
}

const startChild = async (): Promise<{ port: number; stop: () => Promise<void> }> => {
  const script = fileURLToPath(new URL('./dynaliteChild.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), script], { stdio: ['ignore', 'pipe', 'inherit'] });
  // The child prints its port once it listens.
  const [line] = (await once(child.stdout ?? child, 'data')) as [Buffer];
  const port = Number(line.toString('utf8').trim());
  return {
    port,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill();
        await once(child, 'exit');
      }
    },
  };
};

const startDynamo = async (options: StartDynamoOptions = {}): Promise<LocalDynamo> => {
  const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
  let port: number;
  let stop: () => Promise<void>;
  if (options.childProcess === true) {
    ({ port, stop } = await startChild());
  } else {
    const server = dynalite({ createTableMs: 0 });
    addTransactWriteItems(server);
    ({ port } = await listen(server));
    stop = async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    };
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const close = async (): Promise<void> => {
    client.destroy();
    await stop();
  };
  try {
    await client.send(new CreateTableCommand(createStateTableInput(tableName)));
    await waitUntilActive(client, tableName);
  } catch (error) {
    await close();
    throw error;
  }
  return { endpoint, tableName, client, close };
};

export { startDynamo };
export type { LocalDynamo, StartDynamoOptions };
