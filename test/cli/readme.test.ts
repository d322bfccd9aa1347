/**
 * Every `node bin/lpa.js …` command the READMEs show, run against the repository as a new user
 * would copy it, so an example path or flag cannot rot:
 * - every file it names exists (globs expanded as a shell would);
 * - commands that run offline (validate, decide, simulate, rbac) are run; a `$ ` command followed
 *   by output must print that output (an abbreviated JSON output: its top-level values);
 * - commands that need an AWS account or a cluster (doctor, token, history), and templates with
 *   `<placeholders>`, are not run: each flag they use must be one their `--help` lists.
 */
import { existsSync, globSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runLpa } from '../helpers/cli.js';

interface Example {
  readonly where: string;
  readonly args: readonly string[];
  readonly stdin?: string;
  /** The lines shown after a `$ ` command, when there are any. */
  readonly output?: readonly string[];
}

const LPA = 'node bin/lpa.js ';
const OFFLINE = new Set(['validate', 'decide', 'simulate', 'rbac']);

/** Splits a command line into words, keeping "double-quoted" words whole. */
const words = (line: string): string[] => [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');

/** The lpa part of a shell line: no trailing comment, nothing after a pipe. */
const lpaPart = (line: string): string => line.split(/\s+#\s|\s\|\s/)[0]?.trim() ?? '';

const HEREDOC = /\s<<'(\w+)'$/;

const examplesIn = (file: string): Example[] => {
  const lines = readFileSync(file, 'utf8').split('\n');
  const found: Example[] = [];
  let fenced = false;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (line.startsWith('```')) {
      fenced = !fenced;
      continue;
    }
    if (!fenced) {
      for (const m of line.matchAll(/`(node bin\/lpa\.js [^`]+)`/g)) found.push({ where: `${file}:${i + 1}`, args: words(lpaPart(m[1] ?? '').slice(LPA.length)) });
      continue;
    }
    const prompt = line.startsWith('$ ');
    const command = prompt ? line.slice(2) : line;
    if (!command.startsWith(LPA)) continue;
    let text = lpaPart(command);
    let stdin: string | undefined;
    const heredoc = HEREDOC.exec(text);
    if (heredoc !== null) {
      const end = lines.indexOf(heredoc[1] ?? '', i + 1);
      stdin = lines.slice(i + 1, end).join('\n');
      text = text.slice(0, heredoc.index);
      i = end;
    }
    let output: string[] | undefined;
    if (prompt) {
      output = [];
      while (!(lines[i + 1] ?? '```').startsWith('```') && !(lines[i + 1] ?? '').startsWith('$ ')) output.push(lines[(i += 1)] ?? '');
    }
    found.push({ where: `${file}:${i + 1}`, args: words(text.slice(LPA.length)), ...(stdin === undefined ? {} : { stdin }), ...(output === undefined ? {} : { output }) });
  }
  return found;
};

const EXAMPLES = ['README.md', 'examples/README.md'].flatMap(examplesIn);
const isPlaceholder = (word: string): boolean => /[<…]/.test(word);
const label = (e: Example): string => `${e.where}: lpa ${e.args.join(' ')}`;
/** Once per distinct command line (with its input and output): the READMEs repeat some. */
const distinct = (examples: readonly Example[]): Example[] =>
  [...new Map(examples.map((e) => [JSON.stringify([e.args, e.stdin, e.output]), e])).values()];
const runnable = distinct(EXAMPLES.filter((e) => OFFLINE.has(e.args[0] ?? '') && !e.args.some(isPlaceholder)));
// `lpa <command>` names no command to check.
const templates = distinct(EXAMPLES.filter((e) => !OFFLINE.has(e.args[0] ?? '') && !isPlaceholder(e.args[0] ?? '<')));
// Each case starts the CLI (a second or two alone); generous, so a busy machine does not fail it.
const SPAWN_TIMEOUT_MS = 60_000;

/** Words that name an input file: not flags, not the value of --out, --id or a URL flag. */
const inputPaths = (args: readonly string[]): string[] =>
  args.filter((w, i) => !w.startsWith('-') && !['--out', '--id', '--server', '--token'].includes(args[i - 1] ?? '') && /\.(ya?ml|json|jsonl|pem)$/.test(w));

/** Top-level `"key": value` lines of an abbreviated JSON output whose value is complete. */
const shownValues = (output: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(
    output.flatMap((line) => {
      const m = /^ {2}"(\w+)": (.+?),?$/.exec(line);
      if (m === null) return [];
      try {
        return [[m[1], JSON.parse(m[2] ?? '')]];
      } catch {
        return [];
      }
    }),
  );

describe('README examples', () => {
  it('finds the examples (the parser still understands the READMEs)', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(10);
    expect(EXAMPLES.some((e) => e.output !== undefined && e.args[0] === 'validate')).toBe(true);
    expect(EXAMPLES.some((e) => e.stdin !== undefined && e.args[0] === 'decide')).toBe(true);
  });

  it.each(EXAMPLES.map((e) => [label(e), e] as const))('names only files that exist: %s', (_label, example) => {
    const paths = inputPaths(example.args).filter((w) => !isPlaceholder(w));
    for (const path of paths) expect(path.includes('*') ? globSync(path) : [path].filter(existsSync), path).not.toEqual([]);
  });

  it.each(runnable.map((e) => [label(e), e] as const))('runs: %s', (_label, example) => {
    // Act: globs expand as the shell would.
    const args = example.args.flatMap((w) => (w.includes('*') ? globSync(w).sort() : [w]));
    const result = runLpa(args, example.stdin);

    // Assess
    const printed = `${result.stdout}${result.stderr}`;
    expect(printed).not.toMatch(/cannot read|ENOENT|no such file/i);
    if (example.output === undefined) {
      // Exit 1 from validate means it found an invalid manifest, which is what some examples are for.
      expect(result.status, printed).toBe(example.args[0] === 'validate' && result.status === 1 ? 1 : 0);
    } else if (example.output.some((l) => l.includes('…'))) {
      expect(JSON.parse(result.stdout)).toMatchObject(shownValues(example.output));
    } else {
      expect(printed.trimEnd().split('\n')).toEqual(example.output);
    }
  }, SPAWN_TIMEOUT_MS);

  it.each(templates.map((e) => [label(e), e] as const))('uses only flags the command has: %s', (_label, example) => {
    // Act
    const help = runLpa([example.args[0] ?? '', '--help']);

    // Assess
    expect(help.status).toBe(0);
    for (const flag of example.args.filter((w) => w.startsWith('--'))) expect(help.stdout, flag).toContain(flag);
  }, SPAWN_TIMEOUT_MS);

  it('shows the same evaluation inline that examples/evaluation.json holds', () => {
    const inline = EXAMPLES.find((e) => e.stdin !== undefined && e.args[0] === 'decide');
    expect(JSON.parse(inline?.stdin ?? '')).toEqual(JSON.parse(readFileSync('examples/evaluation.json', 'utf8')));
  });
});
