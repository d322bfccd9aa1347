import { describe, expect, it } from 'vitest';
import { parseScaledObject } from '../../../shared/spec/index.js';
import { expectOneIssue, manifest, valid } from './fixtures.js';
import type { Json } from './fixtures.js';

const withBehavior = (behavior: Json) => manifest((m) => (m.spec.advanced = { horizontalPodAutoscalerConfig: { behavior } }));
const PATH = 'spec.advanced.horizontalPodAutoscalerConfig.behavior';

describe('Function: parseScaledObject (HPA behavior)', () => {
  it('keeps the behavior as written, with tolerance as a number, and adds no defaults', () => {
    // Act
    const so = valid(parseScaledObject(withBehavior({ scaleDown: { stabilizationWindowSeconds: 600, tolerance: '50m' }, scaleUp: { tolerance: 0.2 } })));

    // Assess
    expect(so.spec.advanced.horizontalPodAutoscalerConfig?.behavior).toEqual({
      scaleDown: { stabilizationWindowSeconds: 600, tolerance: 0.05 },
      scaleUp: { tolerance: 0.2 },
    });
  });

  it.each([
    { comment: 'window over 3600', behavior: { scaleDown: { stabilizationWindowSeconds: 3601 } }, path: 'scaleDown.stabilizationWindowSeconds', fragment: 'must be ≤ 3600' },
    { comment: 'negative window', behavior: { scaleUp: { stabilizationWindowSeconds: -1 } }, path: 'scaleUp.stabilizationWindowSeconds', fragment: 'must be ≥ 0' },
    { comment: 'an empty policy list', behavior: { scaleUp: { policies: [] } }, path: 'scaleUp.policies', fragment: 'must have at least 1 item' },
    { comment: 'policy type', behavior: { scaleUp: { policies: [{ type: 'Replicas', value: 1, periodSeconds: 15 }] } }, path: 'scaleUp.policies[0].type', fragment: 'must be one of "Pods", "Percent"' },
    { comment: 'policy value 0', behavior: { scaleUp: { policies: [{ type: 'Pods', value: 0, periodSeconds: 15 }] } }, path: 'scaleUp.policies[0].value', fragment: 'must be ≥ 1' },
    { comment: 'periodSeconds 0', behavior: { scaleDown: { policies: [{ type: 'Pods', value: 1, periodSeconds: 0 }] } }, path: 'scaleDown.policies[0].periodSeconds', fragment: 'must be ≥ 1' },
    { comment: 'periodSeconds over 1800', behavior: { scaleDown: { policies: [{ type: 'Pods', value: 1, periodSeconds: 1801 }] } }, path: 'scaleDown.policies[0].periodSeconds', fragment: 'must be ≤ 1800' },
    { comment: 'selectPolicy', behavior: { scaleDown: { selectPolicy: 'Maximum' } }, path: 'scaleDown.selectPolicy', fragment: 'must be one of "Max", "Min", "Disabled"' },
    { comment: 'negative tolerance', behavior: { scaleDown: { tolerance: '-10m' } }, path: 'scaleDown.tolerance', fragment: 'must be ≥ 0' },
    { comment: 'tolerance not a quantity', behavior: { scaleDown: { tolerance: '5%' } }, path: 'scaleDown.tolerance', fragment: 'Kubernetes quantity' },
    { comment: 'typo in a rule', behavior: { scaleDown: { stabilizationWindow: 60 } }, path: 'scaleDown.stabilizationWindow', fragment: 'did you mean "stabilizationWindowSeconds"' },
  ])('rejects: $comment', ({ behavior, path, fragment }) => {
    expectOneIssue(parseScaledObject(withBehavior(behavior)), `${PATH}.${path}`, fragment);
  });
});
