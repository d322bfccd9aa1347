/**
 * `npm run invoke`: every sample event of events/, through the real handler, against local services.
 * The invocations run in this process (the command's own function), one after the other: five child
 * processes at once would race a busy CPU. One run goes through the command itself.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { invokeLocally, readEventFile, type FunctionName } from '../../dev/local/invocation.js';

const sample = (file: string): unknown => JSON.parse(readFileSync(new URL(`../../events/${file}`, import.meta.url), 'utf8'));

interface Manifest {
  spec: { triggers: Array<{ metadata: Record<string, unknown> }> };
}

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

  it('says what it changed in the event: the cluster, the queue URLs, and what it created', async () => {
    const { notes } = await run('scaler', sample('scheduled-tick.json'));
    expect(notes[0]).toBe('cluster: demo (eu-west-1) replaced by the local cluster lpa-local (eu-west-1)');
    expect(notes).toContain('deployment shop/orders-worker created with 0 replicas');
    expect(notes).toContainEqual(expect.stringMatching(/^queueURL https:\/\/sqs\.eu-west-1\.amazonaws\.com\/123456789012\/orders replaced by http:\/\/127\.0\.0\.1:\d+\/.*orders$/));
  });

  it.each([
    { comment: 'a null entry', change: (objects: unknown[]) => void objects.push(null), id: 'lpa-local/scaledObjects[2]', reason: /^InvalidScaledObject$/ },
    // The spec reads 42 as the queue name "42" (or refuses it): no reading either way, so no scale.
    { comment: 'a numeric queueURL', change: (objects: unknown[]) => void ((objects[0] as Manifest).spec.triggers[0]!.metadata.queueURL = 42), id: 'lpa-local/shop/orders-worker', reason: /^(TriggerError|InvalidScaledObject)$/ },
    { comment: 'a duplicate object', change: (objects: unknown[]) => void objects.push(structuredClone(objects[0])), id: 'lpa-local/shop/orders-worker', reason: /^InvalidScaledObject$/ },
  ])('lets the handler report $comment instead of failing in its own setup', async ({ change, id, reason }) => {
    // Prepare
    const event = sample('scheduled-tick.json') as { scaledObjects: unknown[] };
    change(event.scaledObjects);

    // Act
    const { result } = await run('scaler', event);

    // Assess: reported as the handler reports it in Lambda, and not scaled.
    const reported = (result as { objects: Array<{ id: string; outcome: string }> }).objects.filter((o) => o.id === id && o.outcome !== 'scaled');
    expect(reported).toEqual([expect.objectContaining({ reason: expect.stringMatching(reason) })]);
  });

  it('says where an event file is not JSON', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lpa-invoke-')), 'broken.json');
    writeFileSync(file, '{ "cluster": ');
    expect(() => readEventFile(file)).toThrow(new RegExp(`^${file.replaceAll('/', '\\/')} is not JSON: `));
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
