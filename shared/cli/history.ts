/**
 * `lpa history`: why did a target scale? Lists the decision records LPA keeps (with a TTL) in its
 * state table, newest first.
 */
import { DynamoDbStateStore } from '../state/dynamoDbStateStore.js';
import { noPositionals, parseCommandArgs } from './args.js';
import type { Command } from './io.js';

const HELP = `usage: lpa history --id <cluster>/<namespace>/<name> [--table NAME] [--region REGION] [--limit N] [--json]

Lists the decision records of one ScaledObject, newest first: when it scaled, from and to which
count, the reason, and the values its triggers read. The table defaults to $LPA_TABLE_NAME; the
region to $AWS_REGION, then $AWS_DEFAULT_REGION, then your AWS profile's; credentials and endpoint
come from the usual AWS environment.`;

const historyCommand: Command = async (args, io) => {
  const parsed = parseCommandArgs('history', HELP, args, io, {
    id: { type: 'string' },
    table: { type: 'string' },
    region: { type: 'string' },
    limit: { type: 'string', default: '20' },
    json: { type: 'boolean', default: false },
  });
  if ('exit' in parsed) return parsed.exit;
  const unexpected = noPositionals('history', HELP, parsed.positionals, io);
  if (unexpected !== undefined) return unexpected;
  const { values } = parsed;
  const table = values.table ?? process.env.LPA_TABLE_NAME;
  const limit = Number(values.limit);
  const problem =
    values.id === undefined || values.id.split('/').length !== 3
      ? '--id must be <cluster>/<namespace>/<name>'
      : table === undefined || table === ''
        ? '--table is required (or set LPA_TABLE_NAME)'
        : !Number.isInteger(limit) || limit < 1
          ? '--limit must be a positive integer'
          : undefined;
  if (problem !== undefined) {
    io.stderr(`lpa history: ${problem}\n${HELP}`);
    return 2;
  }
  // The SDK reads AWS_REGION and the profile itself, but not AWS_DEFAULT_REGION (the AWS CLI's name).
  const region = [values.region, process.env.AWS_REGION, process.env.AWS_DEFAULT_REGION].find((r) => r !== undefined && r !== '');
  const store = new DynamoDbStateStore({ tableName: table as string, clientConfig: region === undefined ? {} : { region } });
  const records = await store.listDecisions(values.id as string, limit);
  if (values.json) {
    io.stdout(JSON.stringify(records.map((r) => ({ ...r, time: new Date(r.time).toISOString() })), null, 2));
    return 0;
  }
  if (records.length === 0) {
    io.stdout(`no decision records for ${values.id} (records are kept for the table's TTL, 7 days by default)`);
    return 0;
  }
  for (const r of records) {
    const inputs = Object.entries(r.inputs)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    io.stdout(`${new Date(r.time).toISOString()}  ${r.fromReplicas} → ${r.toReplicas}  ${r.reason}  [${inputs}]\n    ${r.message}`);
  }
  return 0;
};

export { historyCommand };
