import { GetItemCommand, TransactWriteItemsCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamo, type LocalDynamo } from '../../../dev/local/dynamo.js';

let dynamo: LocalDynamo;

beforeAll(async () => {
  dynamo = await startDynamo();
});

afterAll(async () => {
  await dynamo.close();
});

const key = (pk: string, sk = 'state') => ({ pk: { S: pk }, sk: { S: sk } });
const put = (pk: string, sk = 'state', condition?: string): TransactWriteItem => ({
  Put: { TableName: dynamo.tableName, Item: { ...key(pk, sk), v: { N: '1' } }, ...(condition === undefined ? {} : { ConditionExpression: condition }) },
});
const transact = (items: TransactWriteItem[]) => dynamo.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
const exists = async (pk: string, sk = 'state') => (await dynamo.client.send(new GetItemCommand({ TableName: dynamo.tableName, Key: key(pk, sk), ConsistentRead: true }))).Item !== undefined;
const rejection = async (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('Function: addTransactWriteItems (the local DynamoDB stand-in)', () => {
  it('writes every item when the conditional one passes', async () => {
    // Act
    await transact([put('a', 'state', 'attribute_not_exists(pk)'), put('a', 'decision#1')]);

    // Assess
    expect([await exists('a'), await exists('a', 'decision#1')]).toEqual([true, true]);
  });

  it('writes nothing, and gives one reason per item as DynamoDB does, when the condition fails', async () => {
    // Prepare
    await transact([put('b')]);

    // Act
    const error = await rejection(transact([put('b', 'decision#1'), put('b', 'state', 'attribute_not_exists(pk)')]));

    // Assess
    expect(error).toMatchObject({ name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }] });
    expect(await exists('b', 'decision#1')).toBe(false);
  });

  it.each([
    { comment: 'two conditional items (it could not undo the first)', pk: 'c', items: () => [put('c', 'state', 'attribute_not_exists(pk)'), put('c', 'other', 'attribute_not_exists(pk)')] },
    { comment: 'a ConditionCheck item', pk: 'd', items: () => [put('d'), { ConditionCheck: { TableName: dynamo.tableName, Key: key('d', 'other'), ConditionExpression: 'attribute_exists(pk)' } }] },
    { comment: 'two items on one key', pk: 'e', items: () => [put('e'), put('e')] },
  ])('refuses $comment with a ValidationException, writing nothing', async ({ pk, items }) => {
    // Act
    const error = await rejection(transact(items()));

    // Assess
    expect(error).toMatchObject({ name: 'ValidationException' });
    expect(await exists(pk)).toBe(false);
  });
});
