/** Runs the real `lpa` binary (bin/lpa.js) on the Node that runs the tests. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CHILD_HANG_MS } from './timeouts.js';
import type { CliIO } from '../../shared/cli/io.js';

const BIN = fileURLToPath(new URL('../../bin/lpa.js', import.meta.url));

interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const runLpa = (args: readonly string[], stdin?: string, env?: Readonly<Record<string, string>>): CliResult => {
  const result = spawnSync(process.execPath, [BIN, ...args], { input: stdin ?? '', encoding: 'utf8', timeout: CHILD_HANG_MS, env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

/** A CliIO over in-memory files that records what a command prints (for calling commands in-process). */
const memoryIO = (files: Readonly<Record<string, string>>) => {
  const out: string[] = [];
  const err: string[] = [];
  const written: Record<string, string> = {};
  const io: CliIO = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    readFile: async (path) => {
      const content = files[path];
      if (content === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return content;
    },
    writeFile: async (path, content) => {
      written[path] = content;
    },
  };
  return { io, out, err, written };
};

export { BIN, memoryIO, runLpa };
export type { CliResult };
