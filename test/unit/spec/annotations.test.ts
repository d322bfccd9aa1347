import { describe, expect, it } from 'vitest';
import { parseScaledObject } from '../../../shared/spec/index.js';
import { expectOneIssue, manifest, valid } from './fixtures.js';

const annotated = (annotations: Record<string, unknown>) => manifest((m) => (m.metadata.annotations = annotations));
const pauseOf = (annotations: Record<string, unknown>) => valid(parseScaledObject(annotated(annotations))).pause;

describe('Function: parseScaledObject (pause annotations)', () => {
  it.each([
    { comment: '"true" pauses', value: 'true', paused: true },
    { comment: 'any non-boolean value pauses (KEDA getBoolAnnotation)', value: 'please', paused: true },
    { comment: 'an empty value pauses', value: '', paused: true },
    { comment: '"false" does not pause', value: 'false', paused: false },
    { comment: '"0" does not pause', value: '0', paused: false },
    { comment: '"F" does not pause', value: 'F', paused: false },
  ])('reads autoscaling.keda.sh/paused: $comment', ({ value, paused }) => {
    expect(pauseOf({ 'autoscaling.keda.sh/paused': value }).paused).toBe(paused);
  });

  it('reads paused-replicas as a count that also pauses, even when paused is "false"', () => {
    const pause = pauseOf({ 'autoscaling.keda.sh/paused-replicas': '3', 'autoscaling.keda.sh/paused': 'false' });
    expect(pause).toEqual({ paused: true, pausedReplicas: 3, pausedScaleIn: false, pausedScaleOut: false, forceActivation: false });
  });

  it('accepts paused-replicas "0" (scale to zero and hold)', () => {
    expect(pauseOf({ 'autoscaling.keda.sh/paused-replicas': '0' })).toMatchObject({ paused: true, pausedReplicas: 0 });
  });

  it.each([
    { comment: 'a word', value: 'two' },
    { comment: 'a negative count', value: '-1' },
    { comment: 'a fraction', value: '1.5' },
  ])('rejects paused-replicas that is $comment', ({ value }) => {
    expectOneIssue(
      parseScaledObject(annotated({ 'autoscaling.keda.sh/paused-replicas': value })),
      'metadata.annotations["autoscaling.keda.sh/paused-replicas"]',
      'must be a non-negative integer replica count',
    );
  });

  it('reads paused-scale-in, paused-scale-out and force-activation with the same boolean rule', () => {
    // Act
    const pause = pauseOf({
      'autoscaling.keda.sh/paused-scale-in': 'true',
      'autoscaling.keda.sh/paused-scale-out': 'False',
      'autoscaling.keda.sh/force-activation': 'yes',
    });

    // Assess
    expect(pause).toEqual({ paused: false, pausedScaleIn: true, pausedScaleOut: false, forceActivation: true });
  });

  it('rejects an unquoted boolean annotation value, as kubectl does', () => {
    expectOneIssue(parseScaledObject(annotated({ 'autoscaling.keda.sh/paused': true })), 'metadata.annotations["autoscaling.keda.sh/paused"]', 'values must be strings; quote it: "true"');
  });

  it('warns about an autoscaling.keda.sh annotation it does not know, suggesting the closest', () => {
    // Act
    const result = parseScaledObject(annotated({ 'autoscaling.keda.sh/pause': 'true' }));

    // Assess
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => [w.path, w.message])).toEqual([
      ['metadata.annotations["autoscaling.keda.sh/pause"]', expect.stringContaining('did you mean "autoscaling.keda.sh/paused"?')],
    ]);
  });
});
