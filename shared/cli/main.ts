/** `lpa <command> [args]`: a thin dispatcher; each command lives in its own file. */
import { readFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { text } from 'node:stream/consumers';
import { quote } from '../spec/echo.js';
import { sizeProblem } from '../spec/inputLimits.js';
import type { CliIO, Command } from './io.js';

/** Commands load on demand: `lpa validate` should not pay for the simulator's imports. */
const COMMANDS: Readonly<Record<string, { readonly load: () => Promise<Command>; readonly summary: string }>> = {
  decide: {
    load: async () => (await import('./decide.js')).decideCommand,
    summary: 'evaluate one ScaledObject from a JSON document (or JSON Lines) and print the decision',
  },
  doctor: {
    load: async () => (await import('./doctor.js')).doctorCommand,
    summary: 'check, without changing anything, that LPA can read and scale a Deployment (token, cluster, RBAC)',
  },
  history: {
    load: async () => (await import('./history.js')).historyCommand,
    summary: 'list why a ScaledObject scaled: the decision records in the state table, newest first',
  },
  metrics: {
    load: async () => (await import('./metrics.js')).metricsCommand,
    summary: 'read every trigger of ScaledObject manifests once, as LPA would, and show values, targets and proposals',
  },
  rbac: {
    load: async () => (await import('./rbac.js')).rbacCommand,
    summary: 'print the Kubernetes Role and RoleBinding LPA needs in each namespace of the ScaledObjects',
  },
  simulate: {
    load: async () => (await import('./simulate.js')).simulateCommand,
    summary: 'simulate a ScaledObject against a workload in virtual time; prints a table, writes an SVG chart',
  },
  token: {
    load: async () => (await import('./token.js')).tokenCommand,
    summary: "print an EKS ExecCredential token, like 'aws eks get-token'",
  },
  validate: {
    load: async () => (await import('./validate.js')).validateCommand,
    summary: 'validate ScaledObject manifests (YAML or JSON); exits 1 on any error',
  },
};

const usage = (): string =>
  [
    'usage: lpa <command> [options]',
    '',
    'commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`),
    '',
    "run 'lpa <command> --help' for a command's options",
  ].join('\n');

/**
 * `lpa decide --jsonl … | head -1`: the reader closing its end is how a pipeline says "enough".
 * End quietly, as Unix tools do, instead of dying on an unhandled EPIPE with a stack trace.
 */
const guarded = new WeakSet<NodeJS.WriteStream>();
const endQuietlyWhenOutputCloses = (stream: NodeJS.WriteStream): NodeJS.WriteStream => {
  if (!guarded.has(stream)) {
    guarded.add(stream);
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(0);
    });
  }
  return stream;
};

const line = (s: string): string => (s.endsWith('\n') ? s : `${s}\n`);

const processIO: CliIO = {
  stdout: (s) => endQuietlyWhenOutputCloses(process.stdout).write(line(s)),
  stderr: (s) => endQuietlyWhenOutputCloses(process.stderr).write(line(s)),
  readFile: async (path, options) => {
    if (path === '-') return text(process.stdin);
    // A file over the input limit is not even read (a 50 MB file would cost time and memory for nothing).
    const problem = options?.limited === true ? sizeProblem((await stat(path)).size) : undefined;
    if (problem !== undefined) throw new Error(problem);
    return readFile(path, 'utf8');
  },
  writeFile: async (path, content) => {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  },
};

const main = async (argv: readonly string[], io: CliIO = processIO): Promise<number> => {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr(`lpa: unknown command ${quote(name)}\n${usage()}`);
    return 2;
  }
  try {
    return await (await command.load())(args, io);
  } catch (error) {
    // Commands report expected failures themselves; this is the last line of defence.
    io.stderr(`lpa ${name}: ${(error as Error).message}`);
    return 1;
  }
};

export { main };
