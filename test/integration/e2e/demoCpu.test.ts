/** `npm start -- --scenario cpu`, at full speed: php-apache scales up with the load and returns to 1 after the window. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCpuDemo } from '../../../dev/demoCpu.js';

describe('Demo: npm start -- --scenario cpu', () => {
  it('scales up with the load, back to 1 after the stabilization window, and writes the chart', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lpa-demo-cpu-'));
    const lines: string[] = [];
    const status = await runCpuDemo({ realMsPerStep: 0, out, log: (line) => lines.push(line) });
    expect(status).toBe(0);
    const rows = lines.filter((line) => /^\s+\d+:\d\d /.test(line)).map((line) => line.trim().split(/\s+/));
    const desired = rows.map((row) => Number(row[3]));
    expect(Math.max(...desired)).toBeGreaterThan(5);
    expect(desired.at(-1)).toBe(1);
    expect(rows.some((row) => row[5] === 'ScaleDownStabilized')).toBe(true);
    expect(readFileSync(join(out, 'demo-cpu.svg'), 'utf8')).toContain('cpu utilization (%)');
  }, 60_000);
});
