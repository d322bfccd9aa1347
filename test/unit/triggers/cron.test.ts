import { describe, expect, it } from 'vitest';
import { createCronReader, cronValue, cronWindow, normalizeSpec } from '../../../shared/triggers/cron.js';
import { cronTrigger, requestsFor } from './requests.js';

const at = (iso: string): number => Date.parse(iso);

describe('Function: cronWindow', () => {
  it.each([
    { comment: 'inactive a second before start', start: '0 8 * * *', end: '0 18 * * *', tz: 'UTC', now: '2024-05-01T07:59:59Z', active: false },
    { comment: 'active exactly at start (the next start is tomorrow)', start: '0 8 * * *', end: '0 18 * * *', tz: 'UTC', now: '2024-05-01T08:00:00Z', active: true },
    { comment: 'active inside the window', start: '0 8 * * *', end: '0 18 * * *', tz: 'UTC', now: '2024-05-01T12:00:00Z', active: true },
    { comment: 'active a second before end', start: '0 8 * * *', end: '0 18 * * *', tz: 'UTC', now: '2024-05-01T17:59:59Z', active: true },
    { comment: 'inactive exactly at end', start: '0 8 * * *', end: '0 18 * * *', tz: 'UTC', now: '2024-05-01T18:00:00Z', active: false },
    // 22:00–06:00 Berlin local time (UTC+2 in May): the window crosses midnight.
    { comment: 'inactive before a window that crosses midnight', start: '0 22 * * *', end: '0 6 * * *', tz: 'Europe/Berlin', now: '2024-05-01T19:30:00Z', active: false },
    { comment: 'active before midnight', start: '0 22 * * *', end: '0 6 * * *', tz: 'Europe/Berlin', now: '2024-05-01T21:30:00Z', active: true },
    { comment: 'active after midnight', start: '0 22 * * *', end: '0 6 * * *', tz: 'Europe/Berlin', now: '2024-05-01T23:30:00Z', active: true },
    { comment: 'inactive after the end the next morning', start: '0 22 * * *', end: '0 6 * * *', tz: 'Europe/Berlin', now: '2024-05-02T04:30:00Z', active: false },
    { comment: 'the time zone decides, not UTC (10:00 UTC is 19:00 in Seoul)', start: '0 9 * * *', end: '0 18 * * *', tz: 'Asia/Seoul', now: '2024-05-01T10:00:00Z', active: false },
  ])('is $comment', ({ start, end, tz, now, active }) => {
    expect(cronWindow({ start, end, timezone: tz }, at(now)).active).toBe(active);
  });

  it('reports the next start and end strictly after now', () => {
    const window = cronWindow({ start: '0 8 * * *', end: '0 18 * * *', timezone: 'UTC' }, at('2024-05-01T08:00:00Z'));

    expect(window).toEqual({ active: true, nextStart: at('2024-05-02T08:00:00Z'), nextEnd: at('2024-05-01T18:00:00Z') });
  });

  it('counts a firing within the next second, as robfig starts from the next whole second', () => {
    const window = cronWindow({ start: '0 8 * * *', end: '0 18 * * *', timezone: 'UTC' }, at('2024-05-01T07:59:59.500Z'));

    expect(window.nextStart).toBe(at('2024-05-01T08:00:00Z'));
  });
});

describe('Function: cronWindow around DST changes in Europe/Berlin', () => {
  // 2024-03-31 02:00 CET → 03:00 CEST (spring forward); 2024-10-27 03:00 CEST → 02:00 CET (fall back).
  it.each([
    { comment: 'a 01:00–04:00 window is active at 03:30 CEST, two real hours after its start', start: '0 1 * * *', end: '0 4 * * *', now: '2024-03-31T01:30:00Z', active: true },
    { comment: 'a 01:00–04:00 window ends at 04:00 CEST', start: '0 1 * * *', end: '0 4 * * *', now: '2024-03-31T02:00:00Z', active: false },
    { comment: 'a start at 02:30, skipped by spring-forward, fires at 03:00 CEST (croner): inactive before', start: '30 2 * * *', end: '0 4 * * *', now: '2024-03-31T00:45:00Z', active: false },
    { comment: 'a start at 02:30, skipped by spring-forward, fires at 03:00 CEST (croner): active after', start: '30 2 * * *', end: '0 4 * * *', now: '2024-03-31T01:15:00Z', active: true },
    { comment: 'a 01:00–04:00 window stays active through the repeated hour', start: '0 1 * * *', end: '0 4 * * *', now: '2024-10-27T01:30:00Z', active: true },
    { comment: 'a 01:00–04:00 window ends at 04:00 CET, four real hours after its start', start: '0 1 * * *', end: '0 4 * * *', now: '2024-10-27T03:00:00Z', active: false },
    { comment: 'a 02:00–02:30 window is active in the first 02:15 (CEST)', start: '0 2 * * *', end: '30 2 * * *', now: '2024-10-27T00:15:00Z', active: true },
    { comment: 'a fixed-time 02:00–02:30 window fires once: inactive in the second 02:15 (CET)', start: '0 2 * * *', end: '30 2 * * *', now: '2024-10-27T01:15:00Z', active: false },
    { comment: 'interval specs (steps, lists) fire in both 02:00 hours: active in the second 02:15 (CET)', start: '*/30 2 * * *', end: '20,50 2 * * *', now: '2024-10-27T01:15:00Z', active: true },
  ])('$comment', ({ start, end, now, active }) => {
    expect(cronWindow({ start, end, timezone: 'Europe/Berlin' }, at(now)).active).toBe(active);
  });
});

describe('Function: cronWindow with the seed 15-minute windows in Asia/Seoul', () => {
  const seed = { start: '00,15,30,45 * * * *', end: '05,20,35,50 * * * *', timezone: 'Asia/Seoul' };

  it.each([
    { comment: 'active 2 minutes into a window (10:02 KST)', now: '2024-05-01T01:02:00Z', active: true },
    { comment: 'active at the window start (10:15:00 KST)', now: '2024-05-01T01:15:00Z', active: true },
    { comment: 'inactive at the window end (10:05:00 KST)', now: '2024-05-01T01:05:00Z', active: false },
    { comment: 'inactive between windows (10:07 KST)', now: '2024-05-01T01:07:00Z', active: false },
    { comment: 'inactive just before the next start (10:14:59 KST)', now: '2024-05-01T01:14:59Z', active: false },
    { comment: 'active across the hour (23:47 KST, window 23:45–23:50)', now: '2024-05-01T14:47:00Z', active: true },
    { comment: 'inactive in the last quarter-hour gap of the day (23:55 KST)', now: '2024-05-01T14:55:00Z', active: false },
  ])('is $comment', ({ now, active }) => {
    expect(cronWindow(seed, at(now)).active).toBe(active);
  });
});

describe('Function: cronWindow day-of-month / day-of-week rule (robfig)', () => {
  // 2024-05-01 is a Wednesday, 2024-05-02 a Thursday, 2024-05-06 a Monday. Start and end share
  // their day fields, so the window is 09:00–17:00 on the days the fields select.
  it.each([
    { comment: 'both restricted: OR, the 1st (a Wednesday) matches', days: '1 * MON', now: '2024-05-01T12:00:00Z', active: true },
    { comment: 'both restricted: OR, a Monday matches', days: '1 * MON', now: '2024-05-06T12:00:00Z', active: true },
    { comment: 'both restricted: OR, neither matches on Thursday the 2nd', days: '1 * MON', now: '2024-05-02T12:00:00Z', active: false },
    { comment: 'day-of-week `*`: AND, a Monday that is not the 1st does not match', days: '1 * *', now: '2024-05-06T12:00:00Z', active: false },
    { comment: 'day-of-week `?` counts as `*`', days: '1 * ?', now: '2024-05-06T12:00:00Z', active: false },
    { comment: 'day-of-week `*/1` counts as `*`', days: '1 * */1', now: '2024-05-06T12:00:00Z', active: false },
    { comment: 'day-of-month `*/2` is a restriction: OR, Monday the 6th matches', days: '*/2 * MON', now: '2024-05-06T12:00:00Z', active: true },
    { comment: 'weekday names and ranges: not on a Saturday', days: '* * mon-fri', now: '2024-05-04T12:00:00Z', active: false },
  ])('$comment', ({ days, now, active }) => {
    expect(cronWindow({ start: `0 9 ${days}`, end: `0 17 ${days}`, timezone: 'UTC' }, at(now)).active).toBe(active);
  });

  it("follows KEDA's rule literally: an end before the next start is active, even on a day without a start", () => {
    // Start on Mondays only, end every day: on Thursday the next end (17:00) comes before Monday's start.
    const window = cronWindow({ start: '0 9 * * MON', end: '0 17 * * *', timezone: 'UTC' }, at('2024-05-02T12:00:00Z'));

    expect(window.active).toBe(true);
  });
});

describe('Function: normalizeSpec', () => {
  it.each([
    { spec: '0 9 1 * ?', expected: '0 9 1 * *' },
    { spec: '0 9 ?/1 * MON', expected: '0 9 * * MON' },
    { spec: '0 9 1 * */1,MON', expected: '0 9 1 * *' },
    { spec: ' 0  9 */2 * MON ', expected: '0 9 */2 * MON' },
    { spec: '?/5 * * * *', expected: '*/5 * * * *' },
  ])('rewrites "$spec" to "$expected"', ({ spec, expected }) => {
    expect(normalizeSpec(spec)).toBe(expected);
  });
});

describe('Function: cronValue', () => {
  const metadata = { start: '0 8 * * *', end: '0 18 * * *', timezone: 'UTC', desiredReplicas: 4 };

  it.each([
    { comment: 'desiredReplicas inside the window', now: '2024-05-01T12:00:00Z', expected: 4 },
    { comment: '0 outside the window', now: '2024-05-01T20:00:00Z', expected: 0 },
  ])('is $comment', ({ now, expected }) => {
    expect(cronValue(metadata, at(now))).toBe(expected);
  });
});

describe('Function: createCronReader', () => {
  it('reads one value per request, in order', async () => {
    // Prepare
    const requests = requestsFor('nightly', [
      cronTrigger({ start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: 3 }, 0),
      cronTrigger({ start: '0 20 * * *', end: '0 22 * * *', desiredReplicas: 5 }, 1),
    ]);

    // Act
    const readings = await createCronReader().read(requests, at('2024-05-01T12:00:00Z'));

    // Assess
    expect(readings).toEqual([{ value: 3 }, { value: 0 }]);
  });

  it('turns a spec that never fires into an error for that trigger only', async () => {
    const requests = requestsFor('leap', [cronTrigger({ start: '0 0 31 2 *' }, 0, 'never'), cronTrigger({}, 1)]);

    const readings = await createCronReader().read(requests, at('2024-05-01T12:00:00Z'));

    expect(readings[0]).toEqual({ error: expect.stringMatching(/^shop\/leap spec\.triggers\[0\] "never": cron schedule: .+/) });
    expect(readings[1]).toEqual({ value: 3 });
  });
});
