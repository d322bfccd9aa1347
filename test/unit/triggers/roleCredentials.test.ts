import { describe, expect, it } from 'vitest';
import { toRoleSessionName } from '../../../shared/triggers/roleCredentials.js';

describe('Function: toRoleSessionName', () => {
  it.each([
    { comment: 'keeps a valid name', name: 'lpa-triggers', expected: 'lpa-triggers' },
    { comment: 'replaces characters STS rejects', name: 'lpa shop/orders:1', expected: 'lpa-shop-orders-1' },
    { comment: 'keeps the characters STS allows', name: 'a_b+c=d,e.f@g-h', expected: 'a_b+c=d,e.f@g-h' },
    { comment: 'truncates to 64 characters', name: `lpa-${'x'.repeat(100)}`, expected: `lpa-${'x'.repeat(60)}` },
    { comment: 'falls back to "lpa" below the 2-character minimum', name: 'a', expected: 'lpa' },
  ])('$comment', ({ name, expected }) => {
    expect(toRoleSessionName(name)).toBe(expected);
  });
});
