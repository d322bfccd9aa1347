import {
  ConditionalCheckFailedException,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import type { BatchGetItemCommandInput, BatchGetItemCommandOutput, PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamo } from '../../../dev/local/dynamo.js';
import type { LocalDynamo } from '../../../dev/local/dynamo.js';
import { DynamoDbStateStore } from '../../../shared/state/dynamoDbStateStore.js';
import { StateConflictError, StateStoreError } from '../../../shared/state/errors.js';
import type { Item } from '../../../shared/state/items.js';
import { DECISION_SORT_KEY_PREFIX } from '../../../shared/state/tableDefinition.js';
import type { EngineState } from '../../../shared/engine/types.js';
import { describeStateStoreContract, okState } from '../../unit/state/stateStoreContract.js';

const DECISION_TTL_SECONDS = 3_600;
const STATE: EngineState = { recommendations: [{ replicas: 2, time: 1_000 }], scaleUpEvents: [], scaleDownEvents: [], failures: {} };

let dynamo: LocalDynamo;

/** Checked by tsc, never run: a client and a client config together do not compile. */
const clientAndConfigTogether = (client: DynamoDBClient): DynamoDbStateStore =>
  // @ts-expect-error: `client` and `clientConfig` exclude each other
  new DynamoDbStateStore({ tableName: 'lpa-state', client, clientConfig: {} });
void clientAndConfigTogether;

beforeAll(async () => {
  dynamo = await startDynamo({ tableName: 'lpa-state-test' });
});

afterAll(async () => {
  await dynamo?.close();
});

describeStateStoreContract('DynamoDB on dynalite', () => {
  const clock = { now: 0 };
  const store = new DynamoDbStateStore({
    tableName: dynamo.tableName,
    client: dynamo.client,
    clock: () => clock.now,
    decisionTtlSeconds: DECISION_TTL_SECONDS,
  });
  return {
    store,
    clock,
    decisionTtlSeconds: DECISION_TTL_SECONDS,
    putRawItem: async (item) => {
      await dynamo.client.send(new PutItemCommand({ TableName: dynamo.tableName, Item: item }));
    },
    rawDecisionItems: async (id) => {
      const output = await dynamo.client.send(
        new QueryCommand({
          TableName: dynamo.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': { S: id }, ':prefix': { S: DECISION_SORT_KEY_PREFIX } },
        }),
      );
      return output.Items ?? [];
    },
  };
});

/** A client of the same dynalite whose responses a test can rewrite, as a throttled or newer service would answer. */
const clientWith = (rewrite: (commandName: string, input: unknown, send: () => Promise<unknown>) => Promise<unknown>): DynamoDBClient => {
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' } });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      let result: Awaited<ReturnType<typeof next>> | undefined;
      const output = await rewrite(context.commandName ?? '', args.input, async () => {
        result = await next(args);
        return result.output;
      });
      return { response: result?.response, output } as Awaited<ReturnType<typeof next>>;
    },
    { step: 'initialize', name: 'testRewrite' },
  );
  return client;
};

const recordingSleep = () => {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
};

describe('Class: DynamoDbStateStore (DynamoDB specifics)', () => {
  it('reads 250 objects in BatchGetItem chunks of at most 100 strongly consistent keys', async () => {
    // Prepare
    const ids = Array.from({ length: 250 }, (_, i) => `c/chunks-${Date.now()}/app-${i}`);
    const requests: { keys: number; consistent: boolean | undefined }[] = [];
    const client = clientWith(async (name, input, send) => {
      if (name === 'BatchGetItemCommand') {
        const request = (input as BatchGetItemCommandInput).RequestItems?.[dynamo.tableName];
        requests.push({ keys: request?.Keys?.length ?? 0, consistent: request?.ConsistentRead });
      }
      return send();
    });
    const store = new DynamoDbStateStore({ tableName: dynamo.tableName, client });

    // Act
    await store.load(ids);

    // Assess
    expect(requests.map((r) => r.keys).sort()).toEqual([100, 100, 50]);
    expect(requests.every((r) => r.consistent === true)).toBe(true);
    client.destroy();
  });

  it('retries UnprocessedKeys with growing waits until every object is read', async () => {
    // Prepare: the first two answers of each chunk leave all but one key unprocessed
    const ids = Array.from({ length: 5 }, (_, i) => `c/unprocessed-${Date.now()}/app-${i}`);
    const seeder = new DynamoDbStateStore({ tableName: dynamo.tableName, client: dynamo.client });
    await Promise.all(ids.map((id) => seeder.save(id, STATE, undefined, { now: 0 })));
    let throttled = 0;
    const client = clientWith(async (name, _input, send) => {
      const output = (await send()) as BatchGetItemCommandOutput;
      const items = output.Responses?.[dynamo.tableName] ?? [];
      if (name !== 'BatchGetItemCommand' || throttled === 2 || items.length < 2) return output;
      throttled += 1;
      const [kept, ...unprocessed] = items;
      return {
        ...output,
        Responses: { [dynamo.tableName]: [kept] },
        UnprocessedKeys: { [dynamo.tableName]: { Keys: unprocessed.map((item) => ({ pk: item.pk, sk: item.sk })) } },
      };
    });
    const { waits, sleep } = recordingSleep();
    const store = new DynamoDbStateStore({ tableName: dynamo.tableName, client, sleep });

    // Act
    const loaded = await store.load(ids);

    // Assess
    expect([...loaded.keys()].sort()).toEqual([...ids].sort());
    expect(waits).toEqual([50, 100]);
    client.destroy();
  });

  it('gives up on keys that stay unprocessed with a StateStoreError naming table and operation', async () => {
    // Prepare
    const id = `c/always-throttled-${Date.now()}/app`;
    const client = clientWith(async (name, input, send) => {
      if (name !== 'BatchGetItemCommand') return send();
      return { Responses: {}, UnprocessedKeys: (input as { RequestItems: unknown }).RequestItems };
    });
    const { waits, sleep } = recordingSleep();
    const store = new DynamoDbStateStore({ tableName: dynamo.tableName, client, sleep });

    // Act
    const error = await store.load([id]).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(StateStoreError);
    expect(error).toMatchObject({ operation: 'BatchGetItem', tableName: dynamo.tableName });
    expect(waits).toEqual([50, 100, 200, 400, 800]);
    client.destroy();
  });

  it('explains a refusal from the ALL_OLD item when the service returns it, without reading again', async () => {
    // Prepare: a service that refuses the put and returns the old item (version 7), as DynamoDB does
    const commands: string[] = [];
    let putInput: PutItemCommandInput | undefined;
    const client = clientWith(async (name, input, send) => {
      commands.push(name);
      if (name !== 'PutItemCommand') return send();
      putInput = input as PutItemCommandInput;
      const oldItem: Item = { pk: { S: 'c/ns/app' }, sk: { S: 'state' }, version: { N: '7' } };
      throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, Item: oldItem });
    });
    const store = new DynamoDbStateStore({ tableName: dynamo.tableName, client });

    // Act
    const error = await store.save('c/ns/app', STATE, 6, { now: 0 }).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(StateConflictError);
    expect(error).toMatchObject({ expectedVersion: 6, actualVersion: 7, cause: { name: 'ConditionalCheckFailedException' } });
    expect(putInput?.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
    expect(commands).toEqual(['PutItemCommand']);
    client.destroy();
  });

  it.each([
    { operation: 'BatchGetItem', call: (s: DynamoDbStateStore) => s.load(['c/ns/app']) },
    { operation: 'PutItem', call: (s: DynamoDbStateStore) => s.save('c/ns/app', STATE, undefined, { now: 0 }) },
    { operation: 'UpdateItem', call: (s: DynamoDbStateStore) => s.acquireLease('c/ns/app', 1, 'eval-a', 0, 1_000) },
    { operation: 'Query', call: (s: DynamoDbStateStore) => s.listDecisions('c/ns/app') },
  ])('wraps a service failure of $operation with table, operation and cause', async ({ operation, call }) => {
    // Prepare
    const store = new DynamoDbStateStore({ tableName: 'no-such-table', client: dynamo.client });

    // Act
    const error = await call(store).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(StateStoreError);
    expect(error).toMatchObject({ operation, tableName: 'no-such-table', cause: { name: 'ResourceNotFoundException' } });
    expect((error as Error).message).toContain('no-such-table');
  });

  it('builds its own client from clientConfig', async () => {
    // Prepare
    const clientConfig = { endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' } };
    const store = new DynamoDbStateStore({ tableName: dynamo.tableName, clientConfig });
    const id = `c/config-${Date.now()}/app`;

    // Act
    await store.save(id, STATE, undefined, { now: 0 });

    // Assess
    expect(okState(await store.load([id]), id)?.version).toBe(1);
  });

  it('keeps a state item small: a 20-entry history encodes in well under 1 KB', async () => {
    // Prepare
    const id = `c/size-${Date.now()}/app`;
    const store = new DynamoDbStateStore({ tableName: dynamo.tableName, client: dynamo.client });
    const now = Date.UTC(2026, 0, 15);
    const recommendations = Array.from({ length: 20 }, (_, i) => ({ replicas: 10 + i, time: now - i * 15_000 }));

    // Act
    await store.save(id, { recommendations, scaleUpEvents: [], scaleDownEvents: [], failures: { queue: 0 } }, undefined, { now });

    // Assess
    const raw = await dynamo.client.send(new GetItemCommand({ TableName: dynamo.tableName, Key: { pk: { S: id }, sk: { S: 'state' } } }));
    expect(JSON.stringify(raw.Item).length).toBeLessThan(700);
  });

  it('reports TTL as unsupported by dynalite (DISABLED), which is why startDynamo does not enable it', async () => {
    const output = await dynamo.client.send(new DescribeTimeToLiveCommand({ TableName: dynamo.tableName }));
    expect(output.TimeToLiveDescription?.TimeToLiveStatus).toBe('DISABLED');
  });
});
