/** `lpa <command> [args]`: a thin dispatcher; each command lives in its own file. */
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { text } from 'node:stream/consumers';
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

const processIO: CliIO = {
  stdout: (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
  stderr: (s) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`),
  readFile: async (path) => (path === '-' ? text(process.stdin) : readFile(path, 'utf8')),
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
    io.stderr(`lpa: unknown command "${name}"\n${usage()}`);
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
