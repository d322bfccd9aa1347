/**
 * How a Deployment's `spec.selector` becomes the `status.selector` its `/scale` answers
 * (`metav1.LabelSelectorAsSelector(…).String()`), and which targets a pass reads with one list.
 */
import { describe, expect, it } from 'vitest';
import { plannedLists } from '../../../shared/kube/listedScales.js';
import { formatLabelSelector, type LabelSelector } from '../../../shared/kube/workloads.js';

describe('formatLabelSelector', () => {
  const cases: Array<[string, LabelSelector | undefined, string | undefined]> = [
    ['matchLabels sorted by key', { matchLabels: { tier: 'web', app: 'api' } }, 'app=api,tier=web'],
    ['In with values sorted on output', { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }] }, 'env in (dev,prod)'],
    ['NotIn', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['qa'] }] }, 'env notin (qa)'],
    ['Exists', { matchExpressions: [{ key: 'canary', operator: 'Exists' }] }, 'canary'],
    ['DoesNotExist', { matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] }, '!canary'],
    ['labels and expressions sorted together by key', { matchLabels: { zone: 'a' }, matchExpressions: [{ key: 'app', operator: 'In', values: ['x'] }] }, 'app in (x),zone=a'],
    ['an empty selector selects everything: ""', {}, ''],
    ['no selector: none', undefined, undefined],
  ];
  it.each(cases)('%s', (_, selector, expected) => {
    expect(formatLabelSelector(selector)).toBe(expected);
  });
});

describe('plannedLists', () => {
  const deployment = (name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', name });

  it('lists a namespace’s Deployments once two targets or more are there', () => {
    expect([...plannedLists([{ namespace: 'a', target: deployment('x') }, { namespace: 'a', target: deployment('y') }])]).toEqual(['a\napps/v1\nDeployment']);
  });

  it('keeps a lone target on its GET', () => {
    expect(plannedLists([{ namespace: 'a', target: deployment('x') }, { namespace: 'b', target: deployment('y') }]).size).toBe(0);
  });

  it('never lists custom resources: only their CRD knows where replicas live', () => {
    const rollout = (name: string) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name });
    expect(plannedLists([{ namespace: 'a', target: rollout('x') }, { namespace: 'a', target: rollout('y') }]).size).toBe(0);
  });
});
