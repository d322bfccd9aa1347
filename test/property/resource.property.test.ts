/**
 * Properties of the HPA Resource algorithm (engine/resourceReplicas.ts) over random pod sets: every
 * pod Running with a sample, one pod per current replica (no terminal pods or stale samples, which
 * legitimately shrink the ready count), each pod ready, unready (never became ready) or without a
 * sample, with random requests and usage.
 *
 * 1. more usage never proposes fewer replicas (Utilization and AverageValue);
 * 2. unready pods never cause a scale-down: when the ready pods use at least the target, the
 *    proposal is at least the current count, whatever the unready pods report.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PodSet } from '../../shared/engine/podObjects.js';
import { DEFAULT_CONTROLLER_SETTINGS } from '../../shared/engine/resourceMetrics.js';
import { resourceReplicas, type ResourceMetricSpec, type ResourceProposal } from '../../shared/engine/resourceReplicas.js';
import { pod, podMetrics } from '../helpers/pods.js';

const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const LONG_AGO = NOW - 60 * 60_000;

type Kind = 'ready' | 'unready' | 'missing';
interface PodArb {
  readonly kind: Kind;
  readonly requestMilli: number;
  readonly usageMilli: number;
}

const podArb = (kinds: readonly Kind[]): fc.Arbitrary<PodArb> =>
  fc.record({ kind: fc.constantFrom(...kinds), requestMilli: fc.integer({ min: 10, max: 4000 }), usageMilli: fc.integer({ min: 0, max: 8000 }) });

const podSetOf = (pods: readonly PodArb[]): PodSet => ({
  pods: pods.map((p, i) =>
    pod(`p${i}`, {
      containers: [{ name: 'app', requests: { cpu: `${p.requestMilli}m` } }],
      startTime: LONG_AGO,
      // Unready: Ready False since 5 s after start, i.e. it never became ready.
      ready: p.kind === 'unready' ? 'False' : 'True',
      readySince: LONG_AGO + 5_000,
    }),
  ),
  podMetrics: pods.flatMap((p, i) => (p.kind === 'missing' ? [] : [podMetrics(`p${i}`, [{ name: 'app', usage: { cpu: `${p.usageMilli}m` } }], NOW)])),
});

const propose = (spec: ResourceMetricSpec, pods: readonly PodArb[]): ResourceProposal =>
  resourceReplicas(spec, podSetOf(pods), {
    current: pods.length,
    tolerances: { scaleDown: 0.1, scaleUp: 0.1 },
    settings: DEFAULT_CONTROLLER_SETTINGS,
    now: NOW,
  });

const replicasOf = (proposal: ResourceProposal): number => {
  if ('error' in proposal) throw new Error(proposal.error);
  return proposal.replicas;
};

const specArb: fc.Arbitrary<ResourceMetricSpec> = fc.oneof(
  fc.integer({ min: 1, max: 300 }).map((t): ResourceMetricSpec => ({ name: 'cpu', metricType: 'Utilization', target: BigInt(t) })),
  fc.integer({ min: 1, max: 4000 }).map((t): ResourceMetricSpec => ({ name: 'cpu', metricType: 'AverageValue', target: BigInt(t) })),
);

describe('Property: more usage never proposes fewer replicas', () => {
  it('holds for any mix of ready, unready and missing pods', () => {
    fc.assert(
      fc.property(
        specArb,
        fc.array(podArb(['ready', 'unready', 'missing']), { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 4000 }), { minLength: 12, maxLength: 12 }),
        (spec, pods, extra) => {
          // At least one ready pod with a sample, or there is nothing to compute on.
          fc.pre(pods.some((p) => p.kind === 'ready'));
          const more = pods.map((p, i) => ({ ...p, usageMilli: p.usageMilli + (extra[i] ?? 0) }));
          expect(replicasOf(propose(spec, more))).toBeGreaterThanOrEqual(replicasOf(propose(spec, pods)));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('Property: unready pods never cause a scale-down', () => {
  it('keeps at least the current count when the ready pods use at least the target', () => {
    fc.assert(
      fc.property(
        specArb,
        fc.array(podArb(['ready']), { minLength: 1, maxLength: 8 }),
        fc.array(podArb(['unready']), { minLength: 1, maxLength: 8 }),
        (spec, ready, unready) => {
          const readyOnly = propose(spec, ready);
          // The ready pods' utilization (or average usage) is at or above the target.
          fc.pre(!('error' in readyOnly) && readyOnly.current >= Number(spec.target));
          expect(replicasOf(propose(spec, [...ready, ...unready]))).toBeGreaterThanOrEqual(ready.length + unready.length);
        },
      ),
      { numRuns: 500 },
    );
  });
});
