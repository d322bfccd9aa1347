/**
 * DESIGN.md §3 invariant: under a constant metric, LPA's replicas at time t equal what an HPA
 * with the same behavior would have reached at t. The reference HPA is the engine evaluated every
 * 15 s (one sync each); LPA evaluates every pollingInterval and replays the syncs in between.
 * Pods follow spec.replicas at once in both runs (status = spec), AverageValue targets.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HpaBehavior, HpaScalingPolicy, HpaScalingRules } from '../../shared/spec/types.js';
import { NOW, SECOND, replay, value } from '../helpers/evaluation.js';
import { makeScaledObject } from '../helpers/scaledObject.js';

const policy: fc.Arbitrary<HpaScalingPolicy> = fc.record({
  type: fc.constantFrom('Pods' as const, 'Percent' as const),
  value: fc.integer({ min: 1, max: 200 }),
  periodSeconds: fc.constantFrom(15, 30, 60, 120),
});

const scalingRules = (maxWindow: number): fc.Arbitrary<HpaScalingRules> =>
  fc.record(
    {
      stabilizationWindowSeconds: fc.integer({ min: 0, max: maxWindow / 15 }).map((n) => n * 15),
      selectPolicy: fc.constantFrom('Max' as const, 'Min' as const),
      policies: fc.array(policy, { minLength: 1, maxLength: 3 }),
    },
    { requiredKeys: [] },
  );

const behavior: fc.Arbitrary<HpaBehavior | undefined> = fc.option(
  fc.record({ scaleUp: scalingRules(120), scaleDown: scalingRules(600) }, { requiredKeys: [] }),
  { nil: undefined },
);

const scenario = fc
  .record({
    behavior,
    min: fc.integer({ min: 1, max: 5 }),
    extra: fc.integer({ min: 0, max: 60 }),
    target: fc.integer({ min: 1, max: 20 }),
    metric: fc.integer({ min: 1, max: 3000 }),
    start: fc.integer({ min: 0, max: 60 }),
    pollingInterval: fc.constantFrom(15, 30, 60),
  })
  .map((s) => ({ ...s, max: s.min + s.extra, initial: s.min + (s.start % (s.extra + 1)) }));

describe('Property: replayed syncs', () => {
  it('LPA at each evaluation equals an HPA syncing every 15 s, under a constant metric', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        // Prepare
        const so = makeScaledObject({ target: s.target, minReplicaCount: s.min, maxReplicaCount: s.max, behavior: s.behavior });
        const metrics = { '0': value(s.metric) };
        const minutes = 10;
        const hpaSteps = Array.from({ length: (minutes * 60) / 15 + 1 }, (_, k) => ({ at: NOW + k * 15 * SECOND, metrics }));
        const lpaSteps = hpaSteps.filter((_, k) => (k * 15) % s.pollingInterval === 0);
        // Act
        const hpa = replay(so, hpaSteps, { initialSpec: s.initial });
        const lpa = replay(so, lpaSteps, { initialSpec: s.initial });
        // Assess: compare at every LPA evaluation time.
        const hpaAt = new Map(hpa.map((d, k) => [hpaSteps[k]?.at, d.replicas]));
        lpa.forEach((d, k) => expect(d.replicas, `at +${k * s.pollingInterval}s`).toBe(hpaAt.get(lpaSteps[k]?.at)));
      }),
      { numRuns: 300 },
    );
  });
});
