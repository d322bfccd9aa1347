/**
 * The built-in scenarios through the real parser and the real engine: what `npm start` shows.
 */
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../../shared/cli/io.js';
import { simulateCommand } from '../../../shared/cli/simulate.js';
import { decide } from '../../../shared/engine/decide.js';
import { runSimulation } from '../../../shared/sim/loop.js';
import type { SimulationResult } from '../../../shared/sim/loop.js';
import { loadManifest } from '../../../shared/sim/manifest.js';
import { analyzeOscillation } from '../../../shared/sim/oscillation.js';
import { findScenario, scenarioNames } from '../../../shared/sim/scenarios.js';
import type { Scenario } from '../../../shared/sim/scenarios.js';

const scenario = (name: string): Scenario => {
  const found = findScenario(name);
  if (found === undefined) throw new Error(`no scenario ${name}`);
  return found;
};

const argOf = (name: string) => {
  const s = scenario(name);
  const manifest = loadManifest(s.manifest, `scenario:${name}`);
  if (!manifest.ok) throw new Error(manifest.messages.join('\n'));
  return { scaledObject: manifest.scaledObject, workload: s.workload, durationSeconds: s.durationSeconds, decide };
};

const simulate = (name: string): SimulationResult => runSimulation(argOf(name));

describe('Built-in scenarios', () => {
  it.each(scenarioNames())('%s: its manifest parses cleanly, without warnings', (name) => {
    // Act
    const manifest = loadManifest(scenario(name).manifest, name);

    // Assess
    expect(manifest).toMatchObject({ ok: true, warnings: [] });
  });
});

describe('Scenario: burst (real engine)', () => {
  // The burst runs from 3m to 13m at 40 msg/s; a replica handles 2 msg/s; cooldownPeriod is 180 s.
  const BURST_START = 180;
  const BURST_END = 780;
  const COOLDOWN = 180;
  const POLL = 30;

  it('scales up from zero at the first poll that sees messages', () => {
    // Act
    const first = simulate('burst').changes[0];

    // Assess
    expect(first).toMatchObject({ from: 0, reason: 'KEDAScaleTargetActivated' });
    expect(first?.second).toBeGreaterThan(BURST_START);
    expect(first?.second).toBeLessThanOrEqual(BURST_START + POLL);
    expect(first?.to).toBeGreaterThanOrEqual(1);
  });

  it('reaches at least the 20 replicas the burst needs and processes every message', () => {
    // Act
    const { summary } = simulate('burst');

    // Assess
    expect(summary.peakReady).toBeGreaterThanOrEqual(20);
    expect(summary.messagesDeleted).toBe(24_000);
  });

  it('returns to zero only after the cooldown that follows the last message', () => {
    // Act
    const result = simulate('burst');
    const last = result.changes.at(-1);

    // Assess
    expect(result.summary.finalReplicas).toBe(0);
    expect(last).toMatchObject({ to: 0, reason: 'KEDAScaleTargetDeactivated' });
    expect(last?.second).toBeGreaterThanOrEqual(BURST_END + COOLDOWN);
    expect(last?.second).toBeLessThanOrEqual(BURST_END + COOLDOWN + 2 * POLL);
  });

  it('runs through `lpa simulate` with the real engine and parser', async () => {
    // Prepare
    const out: string[] = [];
    const io: CliIO = {
      stdout: (t) => out.push(t),
      stderr: (t) => out.push(t),
      readFile: async () => '',
      writeFile: async () => undefined,
    };

    // Act
    const code = await simulateCommand(['--scenario', 'burst', '--json'], io);
    const doc = JSON.parse(out.join('')) as { summary: { finalReplicas: number; peakReplicas: number } };

    // Assess
    expect(code).toBe(0);
    expect(doc.summary).toMatchObject({ finalReplicas: 0, peakReplicas: 30 });
  });
});

describe('Scenario: day (real engine)', () => {
  it('sleeps at zero overnight, scales with the day and ends at zero', () => {
    // Act
    const result = simulate('day');
    const at = (hour: number) => result.samples.find((s) => s.second === hour * 3_600);

    // Assess
    expect(at(3)?.desired).toBe(0);
    expect(at(14)?.desired).toBeGreaterThanOrEqual(20);
    expect(result.summary.finalReplicas).toBe(0);
  });

  it('swings as the HPA makes it: each scale-down comes one stabilization window (600 s) after the last scale-up, straight to the bare need', () => {
    // Act
    const { changes } = simulate('day');
    const at = (clock: string) => changes.find((c) => c.second === Number(clock.slice(0, 2)) * 3_600 + Number(clock.slice(3, 5)) * 60 + Number(clock.slice(6)));

    // Assess: 1 msg/s from 06:15 builds a backlog while pods start (45 s); the HPA sizes for it (8),
    // holds 8 for the window after the last high recommendation (06:16:30), then needs 1 (1 msg/s, 1 msg/s per pod).
    expect(at('06:16:30')).toMatchObject({ from: 6, to: 8 });
    expect(at('06:26:30')).toMatchObject({ from: 8, to: 1, reason: 'DesiredWithinRange' });
    // At 06:30 the load steps to 2.5 msg/s with no headroom: a backlog again, 13 pods, then 3 after the window.
    expect(at('06:31:30')).toMatchObject({ from: 10, to: 13 });
    expect(at('06:41:30')).toMatchObject({ from: 13, to: 3 });
  });

  it('is reported as oscillating, and a longer scale-down window seen to damp it in the same run is suggested', () => {
    // Prepare
    const arg = argOf('day');

    // Act
    const o = analyzeOscillation(arg, runSimulation(arg));

    // Assess
    expect(o).toMatchObject({ oscillating: true, loadReversals: 3, stabilizationWindowSeconds: 600 });
    expect(o.replicaReversals).toBeGreaterThanOrEqual(40);
    expect(o.suggestion?.stabilizationWindowSeconds).toBe(3_600);
    expect(o.suggestion?.reversals).toBeLessThan(o.loadReversals + 4);
  });
});
