import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../../shared/sim/loop.js';
import type { SimulationResult } from '../../../shared/sim/loop.js';
import { escapeXml, renderSvg } from '../../../shared/sim/svg.js';
import { niceStep, timeTicks, valueAxis } from '../../../shared/sim/ticks.js';
import { burst } from '../../../shared/sim/workload.js';
import { proportionalDecide, scaledObject } from './fixtures.js';

const simulate = (durationSeconds: number): SimulationResult =>
  runSimulation({
    scaledObject: scaledObject({ maxReplicaCount: 20 }),
    workload: {
      arrivals: burst({ atSecond: 60, durationSeconds: 300, ratePerSecond: 40 }),
      processRatePerReplica: 2,
      processingSeconds: 5,
      startupSeconds: 30,
    },
    durationSeconds,
    decide: proportionalDecide(10, 20).decide,
  });

/**
 * A tiny well-formedness check: every tag is closed in order, attributes are quoted, and no
 * stray `<` or `&` sits in text. Not a validating parser, but enough to catch broken markup.
 */
const checkWellFormed = (svg: string): string[] => {
  const problems: string[] = [];
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(svg); m !== null; m = tag.exec(svg)) {
    const text = svg.slice(last, m.index);
    if (/[<>]|&(?!(amp|lt|gt|quot|apos);)/.test(text)) problems.push(`bad text before offset ${m.index}: ${text.slice(0, 40)}`);
    last = tag.lastIndex;
    const [, closing, name, , selfClosing] = m;
    if (name === undefined) continue;
    if (closing === '/') {
      if (stack.pop() !== name) problems.push(`unbalanced </${name}>`);
    } else if (selfClosing !== '/') {
      stack.push(name);
    }
  }
  if (svg.slice(last).trim() !== '') problems.push('trailing content');
  if (stack.length > 0) problems.push(`unclosed ${stack.join(', ')}`);
  return problems;
};

const polylines = (svg: string): Map<string, string> =>
  new Map([...svg.matchAll(/<polyline[^>]*data-series="([^"]+)"[^>]*points="([^"]*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']));

describe('Function: renderSvg', () => {
  it("draws a compared run's desired replicas beside LPA's, each named in the legend", () => {
    // Prepare: the compared run always wants 7 replicas, so its line is told apart from LPA's.
    const lpa = simulate(1_200);
    const compare = { ...lpa, samples: lpa.samples.map((s) => ({ ...s, desired: 7 })) };

    // Act
    const svg = renderSvg(lpa, { compare });
    const lines = polylines(svg);

    // Assess
    expect([...lines.keys()]).toEqual(expect.arrayContaining(['LPA desired', 'LPA ready', 'KEDA + HPA desired']));
    const ys = new Set((lines.get('KEDA + HPA desired') ?? '').split(' ').map((p) => p.split(',')[1]));
    expect(ys.size).toBe(1);
    expect(svg).toContain('>KEDA + HPA desired</text>');
    expect(checkWellFormed(svg)).toEqual([]);
  });

  it('produces a well-formed SVG document', () => {
    // Act
    const svg = renderSvg(simulate(1_200), { scenario: 'burst' });

    // Assess
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(checkWellFormed(svg)).toEqual([]);
  });

  it('draws arrivals, queue depth and desired/ready replicas as polylines of finite points', () => {
    // Act
    const lines = polylines(renderSvg(simulate(1_200)));

    // Assess
    expect([...lines.keys()]).toEqual(['arrivals/s', 'visible + in-flight', 'in-flight', 'desired', 'ready']);
    for (const points of lines.values()) {
      const numbers = points.split(/[ ,]/).map(Number);
      expect(numbers.length).toBeGreaterThanOrEqual(4);
      expect(numbers.every(Number.isFinite)).toBe(true);
    }
  });

  it('keeps every coordinate inside the canvas', () => {
    // Act
    const svg = renderSvg(simulate(86_400));
    const numbers = [...polylines(svg).values()].flatMap((p) => p.split(/[ ,]/).map(Number));

    // Assess
    expect(Math.min(...numbers)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...numbers)).toBeLessThanOrEqual(960);
  });

  it('titles the chart with the ScaledObject and scenario, and labels both axes and the legend', () => {
    // Act
    const svg = renderSvg(simulate(600), { scenario: 'burst' });

    // Assess
    expect(svg).toContain('ScaledObject shop/orders-worker — scenario &quot;burst&quot;');
    for (const label of ['arrivals (msg/s)', 'queue (messages)', 'replicas', 'simulated time (mm:ss)', 'maxReplicaCount 20']) {
      expect(svg).toContain(label);
    }
    expect(svg).toContain('<g class="legend">');
  });

  it('charts a run with more samples than a call can take arguments (200,000)', () => {
    // Prepare
    const run = simulate(600);
    const many = Array.from({ length: 200_000 }, (_, second) => ({ ...run.samples[0]!, second, visible: second % 97 }));

    // Act
    const svg = renderSvg({ ...run, durationSeconds: 200_000, samples: many });

    // Assess
    expect(checkWellFormed(svg)).toEqual([]);
  });

  it('puts the queue on a log axis when one spike would flatten the rest into the baseline, as the day scenario lunch does', () => {
    // Prepare: a queue of ~200 all day and one 11,600 spike.
    const run = simulate(3_600);
    const samples = run.samples.map((s, i) => ({ ...s, visible: i === 30 ? 11_600 : 200, inFlight: 0 }));

    // Act
    const svg = renderSvg({ ...run, samples });

    // Assess: 200 sits well above the baseline (over half the panel height), and the axis says log.
    const queue = polylines(svg).get('visible + in-flight') ?? '';
    const ys = queue.split(' ').map((p) => Number(p.split(',')[1]));
    const [top, bottom] = [222, 382];
    const lowest = Math.max(...ys);
    expect((bottom - lowest) / (bottom - top)).toBeGreaterThan(0.5);
    expect(svg).toContain('queue (messages, log scale)');
  });

  it('keeps a linear queue axis when the queue has no lone spike', () => {
    expect(renderSvg(simulate(1_200))).toContain('>queue (messages)<');
  });

  it('draws desired as a wide pale band and ready as a thin line, so they stay apart where they agree', () => {
    // Act
    const svg = renderSvg(simulate(600));
    const style = (label: string) => new RegExp(`data-series="${label}"[^>]*stroke-width="([\\d.]+)"`).exec(svg)?.[1];

    // Assess
    expect(Number(style('desired'))).toBeGreaterThanOrEqual(3 * Number(style('ready')));
    expect(svg).toMatch(/data-series="desired"[^>]*stroke-opacity="0\.35"/);
  });

  it('names the manifest pollingInterval, and the evaluation cadence when npm start evaluates more often', () => {
    // Prepare
    const run = simulate(600);

    // Act
    const svg = renderSvg({ ...run, pollingIntervalSeconds: 5 });

    // Assess
    expect(renderSvg(run)).toContain('pollingInterval 30s ·');
    expect(svg).toContain('pollingInterval 30s, evaluated every 5s ·');
  });

  it('sets a long subtitle smaller, so it ends inside the chart', () => {
    // Prepare
    const run = simulate(600);
    const long = { ...run, workload: { ...run.workload, processRatePerReplica: 2.25, processingSeconds: 5_430, startupSeconds: 5_430 }, pollingIntervalSeconds: 5 };

    // Act / Assess
    expect(renderSvg(long)).toMatch(/<text x="76" y="50" fill="#555" font-size="10.5">pollingInterval/);
    expect(renderSvg(run)).toMatch(/<text x="76" y="50" fill="#555">pollingInterval/);
  });

  it('escapes markup in names', () => {
    expect(escapeXml(`a<b & "c" 'd'>`)).toBe('a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;');
  });
});

describe('Function: valueAxis / timeTicks', () => {
  it('rounds the axis up to a nice step', () => {
    expect(valueAxis(18, 4)).toEqual({ max: 20, ticks: [0, 5, 10, 15, 20] });
    expect(niceStep(0)).toBe(1);
  });

  it('uses whole-replica steps for integer axes', () => {
    expect(valueAxis(2, 4, true).ticks).toEqual([0, 1, 2]);
  });

  it('places time ticks on whole clock steps', () => {
    expect(timeTicks(1_800, 10)).toEqual([0, 300, 600, 900, 1_200, 1_500, 1_800]);
  });
});
