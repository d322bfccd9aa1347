/** Runs the real `lpa` binary (bin/lpa.js) on the Node that runs the tests. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CHILD_HANG_MS } from './timeouts.js';

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

export { BIN, runLpa };
export type { CliResult };
