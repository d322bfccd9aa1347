import { describe, expect, it } from 'vitest';
import type { Sample, SimulationResult } from '../../../shared/sim/loop.js';
import type { Oscillation } from '../../../shared/sim/oscillation.js';
import { formatComparison, formatRate, formatSummary, formatTable } from '../../../shared/sim/table.js';
import { scaledObject } from './fixtures.js';

const row = (second: number, overrides: Partial<Sample> = {}): Sample => ({
  second,
  arrivalsPerSecond: 0,
  visible: 0,
  inFlight: 0,
  desired: 0,
  ready: 0,
  reason: 'ScalerNotActive',
  ...overrides,
});

const result = (rows: readonly Sample[], durationSeconds = 120, rowEverySeconds = 60): SimulationResult => ({
  scaledObject: scaledObject(),
  workload: { arrivals: [{ fromSecond: 0, ratePerSecond: 0 }], processRatePerReplica: 2, processingSeconds: 5, startupSeconds: 30 },
  durationSeconds,
  pollingIntervalSeconds: 30,
  rowEverySeconds,
  rows,
  samples: rows,
  changes: [],
  summary: {
    peakQueue: 1_234,
    peakQueueSecond: 60,
    peakReplicas: 12,
    peakReady: 10,
    drainSeconds: 45,
    finalReplicas: 0,
    finalReady: 0,
    scaleChanges: 3,
    evaluations: 5,
    messagesArrived: 2_000,
    messagesDeleted: 1_990,
    podHours: 0.25,
    timeToFirstReplicaSeconds: 40,
    backlogSeconds: 5_400,
  },
});

describe('Function: formatTable', () => {
  it('prints a header and one aligned line per row', () => {
    // Prepare
    const rows = [
      row(0),
      row(60, { arrivalsPerSecond: 40, visible: 1_234, inFlight: 20, desired: 12, ready: 10, reason: 'ScaleUpLimit' }),
      row(120, { arrivalsPerSecond: 0.5, visible: 7, reason: undefined }),
    ];

    // Act
    const text = formatTable(result(rows));

    // Assess
    expect(text).toBe(
      [
        'time (mm:ss)  arrivals/s  visible  in-flight  desired  ready  reason',
        '00:00                  0        0          0        0      0  ScalerNotActive',
        '01:00                 40     1234         20       12     10  ScaleUpLimit',
        '02:00                0.5        7          0        0      0  -',
        '',
      ].join('\n'),
    );
  });

  it("puts a compared run's desired count beside LPA's, row by row", () => {
    // Prepare
    const lpa = result([row(0), row(60, { desired: 12 })]);
    const keda = result([row(0), row(60, { desired: 8 })]);

    // Act
    const lines = formatTable(lpa, keda).split('\n');

    // Assess
    expect(lines.slice(0, 3)).toEqual([
      'time (mm:ss)  arrivals/s  visible  in-flight  desired  keda desired  ready  reason',
      '00:00                  0        0          0        0             0      0  ScalerNotActive',
      '01:00                  0        0          0       12             8      0  ScalerNotActive',
    ]);
  });

  it('compares time to first replica, backlog, pod-hours and peak replicas of two runs', () => {
    // Prepare
    const lpa = result([row(0)]);
    const keda = { ...lpa, summary: { ...lpa.summary, timeToFirstReplicaSeconds: 55, backlogSeconds: 9_000, podHours: 0.3, peakReplicas: 14 } };

    // Act
    const lines = formatComparison(lpa, keda, 7).split('\n');

    // Assess
    expect(lines.slice(1, 6)).toEqual([
      '                         LPA                          KEDA + HPA',
      '  time to first replica  40s                          55s',
      '  backlog                5400 msg·s (mean wait 2.7s)  9000 msg·s (mean wait 4.5s)',
      '  pod-hours              0.3                          0.3',
      '  peak replicas          12                           14',
    ]);
  });

  it('switches the clock to hh:mm for runs of an hour or more, and says so in the header', () => {
    // Act
    const lines = formatTable(result([row(0), row(5_400)], 7_200)).split('\n');

    // Assess
    expect(lines[0]?.startsWith('time (hh:mm) ')).toBe(true);
    expect(lines[2]?.startsWith('01:30 ')).toBe(true);
  });

  it('shows seconds (hh:mm:ss) when a long run is listed in steps finer than a minute', () => {
    // Act
    const lines = formatTable(result([row(5_430), row(5_431)], 7_200, 1)).split('\n');

    // Assess
    expect(lines.map((l) => l.split('  ')[0])).toEqual(['time (hh:mm:ss)', '01:30:30', '01:30:31', '']);
  });

  it('prints whole rates bare and others with one decimal', () => {
    expect([formatRate(40), formatRate(2.34), formatRate(0)]).toEqual(['40', '2.3', '0']);
  });
});

describe('Function: formatSummary', () => {
  it('reports peaks, drain time, final replicas, scale changes and messages', () => {
    // Act
    const lines = formatSummary(result([row(0)])).split('\n');

    // Assess
    expect(lines).toEqual([
      'Summary: shop/orders-worker, 2m simulated, 5 evaluations every 30s; times are mm:ss from the start',
      '  peak queue      1234 messages at 01:00',
      '  peak replicas   12 desired, 10 ready',
      '  time to drain   45s after the peak (nothing waiting at 01:45)',
      '  final replicas  0 (0 ready)',
      '  scale changes   3',
      '  pod-hours       0.3 (replicas asked for, over time)',
      '  messages        2000 arrived, 1990 deleted, 10 still queued',
      '',
    ]);
  });

  it('says so when the queue never drained', () => {
    // Prepare
    const r = result([row(0)]);
    const stuck = { ...r, summary: { ...r.summary, drainSeconds: undefined } };

    // Act / Assess
    expect(formatSummary(stuck)).toContain('time to drain   never');
  });

  it('gives the reversals, and for an oscillating run the window that damped it with its cost', () => {
    // Prepare
    const trial = (stabilizationWindowSeconds: number, reversals: number, podHours: number) => ({ stabilizationWindowSeconds, reversals, podHours, peakReplicas: 50 });
    const o: Oscillation = {
      replicaReversals: 43,
      loadReversals: 3,
      oscillating: true,
      stabilizationWindowSeconds: 600,
      podHours: 317.2,
      trials: [trial(900, 19, 316.1), trial(3_600, 5, 348.9)],
      suggestion: trial(3_600, 5, 348.9),
    };

    // Act
    const lines = formatSummary(result([row(0)]), o).split('\n');

    // Assess
    expect(lines.filter((l) => /reversals|damp|tried/.test(l))).toEqual([
      '  reversals       replicas changed direction 43 times, the arrival rate 3 times: the replicas oscillate',
      '  damp it with    behavior.scaleDown.stabilizationWindowSeconds: 3600 (now 600): 5 reversals in this run, 349 pod-hours instead of 317 (+10%)',
      '  also tried      900: 19 reversals, 316 pod-hours',
    ]);
  });

  it('says so when no window damped the oscillation, and only counts reversals when there is none', () => {
    // Prepare
    const base = { replicaReversals: 1, loadReversals: 1, oscillating: false, stabilizationWindowSeconds: 300, podHours: 2 };

    // Act
    const calm = formatSummary(result([row(0)]), base);
    const stuck = formatSummary(result([row(0)]), { ...base, replicaReversals: 30, oscillating: true, trials: [] });

    // Assess
    expect(calm).toContain('  reversals       replicas changed direction 1 time, the arrival rate 1 time\n');
    expect(stuck).toContain('no behavior.scaleDown.stabilizationWindowSeconds up to 3600 reduced the reversals in this run');
  });
});
