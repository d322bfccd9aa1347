import { describe, expect, it } from 'vitest';

describe('Runtime', () => {
  it('runs the tests on the Node major Lambda runs (22 or newer), installed by npm ci', () => {
    const major = Number(process.versions.node.split('.')[0]);
    expect(major).toBeGreaterThanOrEqual(22);
  });
});
