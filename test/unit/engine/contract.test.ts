/**
 * `lpa decide`'s input contract (engine/contract.ts), in process: messages that name the real
 * problem, trigger names before indexes, and the shared input bounds.
 */
import { describe, expect, it } from 'vitest';
import { decideJson } from '../../../shared/engine/contract.js';
import { namedTriggersScaledObject } from '../../helpers/manifests.js';

const scaledObject = namedTriggersScaledObject;
const evaluation = (metrics: unknown, extra: Record<string, unknown> = {}) => ({
  now: '2026-11-23T10:00:00Z',
  scaledObject: scaledObject(['orders']),
  target: { specReplicas: 2 },
  metrics,
  ...extra,
});
const messageOf = (act: () => unknown): string => {
  try {
    act();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
};

describe('Function: decideJson', () => {
  it.each([
    { comment: 'a value given as a JSON string', metrics: { orders: { value: '240' } }, message: '<input>: metrics.orders.value: must be a JSON number, got the string "240": write 240 without quotes' },
    { comment: 'a value that is no number at all', metrics: { orders: { value: 'many' } }, message: '<input>: metrics.orders.value: must be a number, got "many"' },
    { comment: 'both value and error', metrics: { orders: { value: 1, error: 'x' } }, message: '<input>: metrics.orders: must have exactly one of "value" (the number read) or "error" (why it could not be read)' },
    { comment: 'neither value nor error', metrics: { orders: {} }, message: '<input>: metrics.orders: must have exactly one of "value" (the number read) or "error" (why it could not be read)' },
    { comment: 'an unknown key in a reading', metrics: { orders: { valeu: 1 } }, message: '<input>: metrics.orders.valeu: unknown key; did you mean "value"?' },
    { comment: 'metrics that are a list', metrics: [], message: '<input>: metrics: must be a mapping, got a list' },
  ])('names the real problem: $comment', ({ metrics, message }) => {
    expect(messageOf(() => decideJson(evaluation(metrics)))).toContain(message);
  });

  it('reads a metric key as a trigger name before reading it as an index', () => {
    const input = { ...evaluation({ '0': { value: 30 }, '1': { value: 40 } }), scaledObject: scaledObject(['1', '0']) };
    expect(decideJson(input).message).toContain('[1=40/10 0=30/10]');
  });

  it('reports a document nested thousands of levels deep as too deep, without overflowing the stack', () => {
    let deep: unknown = {};
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const message = messageOf(() => decideJson(evaluation({ orders: { value: 1 } }, { scaledObject: { ...scaledObject(['orders']), status: deep } })));
    expect(message).toBe('<input>: scaledObject.status.a: is nested more than 64 levels deep (README "Input limits")');
  });
});
