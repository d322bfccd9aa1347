import { describe, expect, it } from 'vitest';
import { EXAMPLE_MANIFESTS } from '../../infra/exampleApp.js';
import { synthesize } from './fixtures.js';

/** Asset keys hash the bundling options, which hold absolute paths: they differ per checkout, so they are replaced. */
const stable = (value: unknown): unknown => {
  if (typeof value === 'string') return /^[0-9a-f]{64}\.zip$/.test(value) ? '<asset>.zip' : value;
  if (Array.isArray(value)) return value.map(stable);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, stable(item)]));
  return value;
};

describe('Construct: PodAutoscaler — snapshot', () => {
  it('synthesizes the example deployment as recorded', () => {
    const { template } = synthesize({ manifests: EXAMPLE_MANIFESTS, wakeUps: {} });
    expect(stable(template.toJSON())).toMatchSnapshot();
  });
});
