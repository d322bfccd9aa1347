/** `npm run invoke`: every sample event of events/, through the real handler, against local services. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const invoke = (fn: string, event: string): Promise<{ status: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'dev/invoke.ts', fn, `events/${event}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });

const resultOf = (stdout: string): Record<string, unknown> => (JSON.parse(stdout.slice(stdout.lastIndexOf('{\n  "result"'))) as { result: Record<string, unknown> }).result;

describe('npm run invoke', () => {
  it.concurrent.each([
    { fn: 'scaler', event: 'scheduled-tick.json', expected: { evaluated: 2, scaled: 1, failed: 0 } },
    { fn: 'scaler', event: 'scheduled-event-envelope.json', expected: { evaluated: 2, scaled: 1, failed: 0 } },
    { fn: 'alarm', event: 'alarm-state-change.json', expected: { state: 'ALARM', evaluated: 1, scaled: 1 } },
    { fn: 'alarm', event: 'alarm-state-change-bare.json', expected: { state: 'ALARM', evaluated: 1, scaled: 1 } },
    { fn: 'alarm', event: 'alarm-action.json', expected: { state: 'ALARM', evaluated: 1, scaled: 1 } },
  ])('runs the $fn handler on events/$event', async ({ fn, event, expected }) => {
    const run = await invoke(fn, event);
    expect(run.status, run.stderr).toBe(0);
    expect(resultOf(run.stdout)).toMatchObject(expected);
  });

  it('explains its usage and exits 2 on a wrong function name', async () => {
    const run = await invoke('scale', 'scheduled-tick.json');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('usage: npm run invoke -- <scaler|alarm> <event.json>');
  });
});
