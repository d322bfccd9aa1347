/**
 * Runs the real `lpa` binary without blocking the test process: the loopback servers it talks to
 * live in this process, so a synchronous spawn would deadlock them.
 */
import { spawn } from 'node:child_process';
import { BIN, type CliResult } from '../../helpers/cli.js';

/** AWS settings of the developer's shell must not leak into a test. */
const withoutAws = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('AWS_')));

const runLpaAsync = (args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...withoutAws(process.env), AWS_EC2_METADATA_DISABLED: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });

export { runLpaAsync };
