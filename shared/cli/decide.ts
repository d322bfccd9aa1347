/**
 * `lpa decide`: one evaluation document in, one decision out (JSON), or JSON Lines in and out so a
 * recorded history replays in one process. The document format is the public contract in README.
 */
import { decideJson, type StateJson } from '../engine/contract.js';
import { errorMessage, ValidationError } from '../errors.js';
import { echo } from '../spec/echo.js';
import { textSizeProblem } from '../spec/inputLimits.js';
import { noPositionals, parseCommandArgs, TRUST_FLAG, TRUST_HELP, trustOf } from './args.js';
import type { Command } from './io.js';

const HELP = `usage: lpa decide [--input FILE] [--jsonl [--carry-state]] [--compact] [--trust-aws-endpoint HOST]...

Reads one evaluation as JSON from FILE (or standard input) and prints the decision as JSON.
  --input FILE    read from FILE instead of standard input
  --jsonl         JSON Lines: one evaluation per input line, one decision per output line
  --carry-state   with --jsonl: a line without "state" gets the previous line's output state
  --compact       print single-line JSON (always on with --jsonl)
${TRUST_HELP}
Exit status: 0 when every evaluation succeeded, 1 when any input was invalid, 2 on usage errors.`;

const parseJson = (text: string, where: string): unknown => {
  const tooLarge = textSizeProblem(text);
  if (tooLarge !== undefined) throw new ValidationError([{ source: where, documentIndex: 0, path: '', message: tooLarge }]);
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8's message quotes the input around the error: bound it like any other echo.
    throw new ValidationError([{ source: where, documentIndex: 0, path: '', message: `not valid JSON: ${echo(errorMessage(error), 200)}` }]);
  }
};


const decideCommand: Command = async (args, io) => {
  const parsed = parseCommandArgs('decide', HELP, args, io, {
    input: { type: 'string' },
    jsonl: { type: 'boolean', default: false },
    'carry-state': { type: 'boolean', default: false },
    compact: { type: 'boolean', default: false },
    ...TRUST_FLAG,
  });
  if ('exit' in parsed) return parsed.exit;
  const trusted = trustOf('decide', HELP, parsed.values['trust-aws-endpoint'], io);
  if ('exit' in trusted) return trusted.exit;
  const { trust } = trusted;
  const unexpected = noPositionals('decide', HELP, parsed.positionals, io);
  if (unexpected !== undefined) return unexpected;
  const options = parsed.values;
  if (options['carry-state'] && !options.jsonl) {
    io.stderr(`lpa decide: --carry-state needs --jsonl\n${HELP}`);
    return 2;
  }
  const source = options.input ?? '<stdin>';
  // JSON Lines replay a recorded history of any length: there the limit is per line.
  let text: string;
  try {
    text = await io.readFile(options.input ?? '-', { limited: !options.jsonl });
  } catch (error) {
    // Named as lpa validate names it: a refused --input file is otherwise a message without its file.
    io.stderr(`lpa decide: cannot read ${source}: ${errorMessage(error)}`);
    return 1;
  }

  if (!options.jsonl) {
    try {
      const decision = decideJson(parseJson(text, source), source, trust);
      io.stdout(options.compact ? JSON.stringify(decision) : JSON.stringify(decision, null, 2));
      return 0;
    } catch (error) {
      io.stderr(errorMessage(error));
      return 1;
    }
  }

  let failed = 0;
  let previousState: StateJson | undefined;
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const where = `${source}:${i + 1}`;
    try {
      const document = parseJson(line, where);
      const withState =
        options['carry-state'] && previousState !== undefined && typeof document === 'object' && document !== null && !('state' in document)
          ? { ...document, state: previousState }
          : document;
      const decision = decideJson(withState, where, trust);
      previousState = decision.state;
      io.stdout(JSON.stringify(decision));
    } catch (error) {
      failed++;
      // Keep one output line per input line, so outputs can be zipped with inputs.
      io.stdout(JSON.stringify({ error: errorMessage(error), line: i + 1 }));
      io.stderr(errorMessage(error));
    }
  }
  return failed === 0 ? 0 : 1;
};

export { decideCommand };
