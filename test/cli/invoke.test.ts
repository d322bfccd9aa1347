/**
 * `npm run invoke`: every sample event of events/, through the real handler, against local services.
 * The invocations run in this process (the command's own function), one after the other: five child
 * processes at once would race a busy CPU. One run goes through the command itself.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { invokeLocally, type FunctionName } from '../../dev/local/invocation.js';

const sample = (file: string): unknown => JSON.parse(readFileSync(new URL(`../../events/${file}`, import.meta.url), 'utf8'));

const run = async (fn: FunctionName, event: unknown): Promise<{ result: unknown; notes: string[] }> => {
  const notes: string[] = [];
  const result = await invokeLocally({ fn, event, configuredGroup: sample('scheduled-tick.json'), messages: 25, note: (line) => notes.push(line) });
  return { result, notes };
};

const command = (args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'dev/invoke.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });

describe('npm run invoke', () => {
  beforeEach(() => {
    // Each invocation is a cold start: the handler builds its clients at import, from the environment.
    vi.resetModules();
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => vi.restoreAllMocks());

  it.each([
    { fn: 'scaler' as const, event: 'scheduled-tick.json', expected: { evaluated: 2, scaled: 1, failed: 0 } },
    { fn: 'scaler' as const, event: 'scheduled-event-envelope.json', expected: { evaluated: 2, scaled: 1, failed: 0 } },
    { fn: 'alarm' as const, event: 'alarm-state-change.json', expected: { state: 'ALARM', evaluated: 1, scaled: 1 } },
    { fn: 'alarm' as const, event: 'alarm-state-change-bare.json', expected: { state: 'ALARM', evaluated: 1, scaled: 1 } },
    { fn: 'alarm' as const, event: 'alarm-action.json', expected: { state: 'ALARM', evaluated: 1, scaled: 1 } },
  ])('runs the $fn handler on events/$event', async ({ fn, event, expected }) => {
    const { result } = await run(fn, sample(event));
    expect(result).toMatchObject(expected);
  });

  it('prints the result last and exits 0, as a command', async () => {
    const child = await command(['scaler', 'events/scheduled-tick.json']);
    expect(child.status, child.stderr).toBe(0);
    const { result } = JSON.parse(child.stdout.slice(child.stdout.lastIndexOf('{\n  "result"'))) as { result: unknown };
    expect(result).toMatchObject({ evaluated: 2, scaled: 1, failed: 0 });
  });

  it('explains its usage and exits 2 on a wrong function name', async () => {
    const child = await command(['scale', 'events/scheduled-tick.json']);
    expect(child.status).toBe(2);
    expect(child.stderr).toContain('usage: npm run invoke -- <scaler|alarm> <event.json> [--messages N]');
  });
});
