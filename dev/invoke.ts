/**
 * `npm run invoke -- <scaler|alarm> <event.json> [--messages N]`: the offline twin of
 * `sam local invoke` (no Docker). It starts the local stand-ins of `npm start`, aims the event at
 * them and invokes the real handler in-process with a Lambda-like context (dev/local/invocation.ts).
 * What it changed in the event goes to standard error; the handler's logs and EMF metrics print
 * as in Lambda; the result last.
 */
import { parseArgs } from 'node:util';

const USAGE = 'usage: npm run invoke -- <scaler|alarm> <event.json> [--messages N]';
/** A bare alarm event carries no group: the function then reads LPA_SCALE_GROUP, here the sample tick's. */
const SAMPLE_GROUP = 'events/scheduled-tick.json';

const main = async (): Promise<number> => {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { messages: { type: 'string', default: '25' } } });
  const [fn, file] = positionals;
  const messages = Number(values.messages);
  if ((fn !== 'scaler' && fn !== 'alarm') || file === undefined || !Number.isInteger(messages) || messages < 0) {
    console.error(USAGE);
    return 2;
  }
  // Loaded after the usage check: the stand-ins and SDK clients take a while to import.
  const { invokeLocally, readEventFile } = await import('./local/invocation.js');
  let event: unknown;
  try {
    event = readEventFile(file);
  } catch (error) {
    console.error(`invoke: ${(error as Error).message}`);
    return 1;
  }
  const configuredGroup = readEventFile(SAMPLE_GROUP);
  const result = await invokeLocally({ fn, event, configuredGroup, messages, note: (line) => console.error(`invoke: ${line}`) });
  console.log(JSON.stringify({ result }, null, 2));
  return 0;
};

process.exitCode = await main();
// The handler's clients keep idle keep-alive sockets to the closed stand-ins: end now.
process.exit();
