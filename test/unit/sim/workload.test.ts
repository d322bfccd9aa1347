import { describe, expect, it } from 'vitest';
import { clockFormat, formatClock, formatDuration, parseDuration } from '../../../shared/sim/duration.js';
import { burst, normalizeSegments, parseArrivals, rateAt } from '../../../shared/sim/workload.js';

describe('Function: parseDuration', () => {
  it.each([
    ['90', 90],
    ['90s', 90],
    ['5m', 300],
    ['2h', 7_200],
    ['1h30m', 5_400],
    ['1d', 86_400],
    ['0', 0],
  ])('reads %s as %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', 'm', '1.5h', '30m1h', '-5s', '5 minutes'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('Function: formatClock', () => {
  it('shows mm:ss for runs shorter than an hour and hh:mm beyond', () => {
    expect(formatClock(125, clockFormat(1_800))).toBe('02:05');
    expect(formatClock(5_430, clockFormat(86_400))).toBe('01:30');
  });

  it('keeps the seconds (hh:mm:ss) for a long run listed in sub-minute steps', () => {
    expect([clockFormat(86_400, 60), clockFormat(86_400, 600), clockFormat(172_800, 1)]).toEqual(['hh:mm', 'hh:mm', 'hh:mm:ss']);
    expect(formatClock(172_799, 'hh:mm:ss')).toBe('47:59:59');
  });

  it('formats compact durations', () => {
    expect([formatDuration(0), formatDuration(150), formatDuration(3_900)]).toEqual(['0s', '2m30s', '1h5m']);
  });
});

describe('Function: parseArrivals', () => {
  it('reads TIME:RATE pairs into segments', () => {
    expect(parseArrivals('0:0,5m:50,15m:0')).toEqual({
      ok: true,
      segments: [
        { fromSecond: 0, ratePerSecond: 0 },
        { fromSecond: 300, ratePerSecond: 50 },
        { fromSecond: 900, ratePerSecond: 0 },
      ],
    });
  });

  it('fills the time before the first pair with rate 0', () => {
    const parsed = parseArrivals('1m:2.5');
    expect(parsed.ok && parsed.segments).toEqual([
      { fromSecond: 0, ratePerSecond: 0 },
      { fromSecond: 60, ratePerSecond: 2.5 },
    ]);
  });

  it.each([
    ['a missing rate', '5m'],
    ['a bad time', 'soon:5'],
    ['a negative rate', '0:-1'],
    ['times that do not increase', '5m:1,2m:3'],
    ['an extra colon', '0:1:2'],
  ])('rejects %s', (_name, text) => {
    expect(parseArrivals(text).ok).toBe(false);
  });
});

describe('Function: rateAt and burst', () => {
  it('finds the segment in force at a second', () => {
    // Prepare
    const segments = burst({ atSecond: 60, durationSeconds: 30, ratePerSecond: 9, baseRatePerSecond: 1 });

    // Act / Assess
    expect([0, 59, 60, 89, 90, 10_000].map((s) => rateAt(segments, s))).toEqual([1, 1, 9, 9, 1, 1]);
  });

  it('lets a later segment with the same start win', () => {
    expect(normalizeSegments([{ fromSecond: 0, ratePerSecond: 1 }, { fromSecond: 0, ratePerSecond: 2 }])).toEqual([
      { fromSecond: 0, ratePerSecond: 2 },
    ]);
  });
});
