import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamo, type LocalDynamo } from '../../dev/local/dynamo.js';
import { DynamoDbStateStore } from '../../shared/state/dynamoDbStateStore.js';
import { runLpa } from '../helpers/cli.js';

const ID = 'prod/shop/orders-worker';
let dynamo: LocalDynamo;
let env: Record<string, string>;

beforeAll(async () => {
  // Its own process: the CLI runs synchronously here and would block an in-process server.
  dynamo = await startDynamo({ childProcess: true });
  const store = new DynamoDbStateStore({ tableName: dynamo.tableName, client: dynamo.client });
  await store.recordDecision(ID, { time: Date.parse('2026-11-23T10:00:00Z'), fromReplicas: 0, toReplicas: 4, reason: 'KEDAScaleTargetActivated', message: 'activated: 0 → 1', inputs: { orders: 95 } });
  await store.recordDecision(ID, { time: Date.parse('2026-11-23T10:01:00Z'), fromReplicas: 4, toReplicas: 10, reason: 'ScaleUpLimit', message: 'desired 10', inputs: { orders: 95 } });
  env = { AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'AKIDLOCAL', AWS_SECRET_ACCESS_KEY: 'local', LPA_TABLE_NAME: dynamo.tableName };
});
afterAll(async () => dynamo.close());

describe('CLI: lpa history', () => {
  it('lists why a target scaled, newest first', () => {
    const result = runLpa(['history', '--id', ID], '', env);
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n').filter((l) => /^\d{4}-/.test(l));
    expect(lines).toEqual(['2026-11-23T10:01:00.000Z  4 → 10  ScaleUpLimit  [orders=95]', '2026-11-23T10:00:00.000Z  0 → 4  KEDAScaleTargetActivated  [orders=95]']);
  });

  it('says so when an object has no records', () => {
    const result = runLpa(['history', '--id', 'prod/shop/other'], '', env);
    expect(result.stdout).toContain('no decision records for prod/shop/other');
  });

  it('reads the table in the region --region names', () => {
    // AWS_REGION empty: the SDK would otherwise find no region and fail with "Region is missing".
    const result = runLpa(['history', '--id', ID, '--region', 'us-east-1'], '', { ...env, AWS_REGION: '', AWS_DEFAULT_REGION: '' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('4 → 10  ScaleUpLimit');
  });

  it('takes the region from AWS_DEFAULT_REGION too, as the AWS CLI does', () => {
    const result = runLpa(['history', '--id', ID], '', { ...env, AWS_REGION: '', AWS_DEFAULT_REGION: 'us-east-1' });
    expect(result.stdout).toContain('4 → 10  ScaleUpLimit');
  });

  it('exits 2 naming the rule when --id is not <cluster>/<namespace>/<name>', () => {
    const result = runLpa(['history', '--id', 'orders-worker'], '', env);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--id must be <cluster>/<namespace>/<name>');
  });
});
