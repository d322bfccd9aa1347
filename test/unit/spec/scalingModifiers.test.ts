import { describe, expect, it } from 'vitest';
import { parseScaledObject } from '../../../shared/spec/index.js';
import { cloudwatchTriggerJson, expectOneIssue, manifest, sqsTriggerJson, valid } from './fixtures.js';
import type { Json } from './fixtures.js';

const PATH = 'spec.advanced.scalingModifiers';

/** Two triggers, `queue` (named) and an unnamed CloudWatch one, plus the given modifiers. */
const withModifiers = (scalingModifiers: Json, edit: (m: Json) => void = () => {}) =>
  manifest((m) => {
    m.spec.triggers = [{ ...sqsTriggerJson(), name: 'queue' }, { ...cloudwatchTriggerJson(), name: 'latency' }];
    m.spec.advanced = { scalingModifiers };
    edit(m);
  });

describe('Function: parseScaledObject (scalingModifiers)', () => {
  it('accepts a formula over named triggers', () => {
    const so = valid(parseScaledObject(withModifiers({ formula: 'max(queue, latency * 2)', target: '5', activationTarget: 1, metricType: 'Value' })));
    expect(so.spec.advanced.scalingModifiers).toEqual({ formula: 'max(queue, latency * 2)', target: 5, activationTarget: 1, metricType: 'Value' });
  });

  it('rejects a formula that names an unnamed trigger, listing the names it can use', () => {
    // Prepare: the CloudWatch trigger loses its name, so "latency" is no longer bound
    const input = withModifiers({ formula: 'queue + latency', target: '5' }, (m) => delete m.spec.triggers[1].name);

    // Act
    const issue = expectOneIssue(parseScaledObject(input), `${PATH}.formula`, 'unknown name "latency"');

    // Assess
    expect(issue.message).toContain('only named triggers can be used, and spec.triggers[1] has no name');
  });

  it('rejects a formula when no trigger has a name', () => {
    const input = withModifiers({ formula: 'queue * 2', target: '5' }, (m) => m.spec.triggers.forEach((t: Json) => delete t.name));
    expectOneIssue(parseScaledObject(input), `${PATH}.formula`, 'no trigger has a name');
  });

  it('rejects a formula that does not parse', () => {
    expectOneIssue(parseScaledObject(withModifiers({ formula: 'queue +', target: '5' })), `${PATH}.formula`, 'unexpected end of formula');
  });

  it.each([
    { comment: 'formula missing', modifiers: { target: '5' }, path: 'formula', fragment: 'is required' },
    { comment: 'formula empty', modifiers: { formula: ' ', target: '5' }, path: 'formula', fragment: 'must not be empty' },
    { comment: 'target missing', modifiers: { formula: 'queue' }, path: 'target', fragment: 'is required' },
    { comment: 'target 0', modifiers: { formula: 'queue', target: '0' }, path: 'target', fragment: 'must be > 0' },
    { comment: 'target negative', modifiers: { formula: 'queue', target: -2 }, path: 'target', fragment: 'must be > 0' },
    { comment: 'target not a number', modifiers: { formula: 'queue', target: 'ten' }, path: 'target', fragment: 'strconv.ParseFloat' },
    { comment: 'activationTarget not a number', modifiers: { formula: 'queue', target: '1', activationTarget: 'x' }, path: 'activationTarget', fragment: 'strconv.ParseFloat' },
    { comment: 'metricType Utilization', modifiers: { formula: 'queue', target: '1', metricType: 'Utilization' }, path: 'metricType', fragment: 'Utilization is only for cpu and memory triggers' },
  ])('rejects: $comment', ({ modifiers, path, fragment }) => {
    expectOneIssue(parseScaledObject(withModifiers(modifiers)), `${PATH}.${path}`, fragment);
  });

  it.each([
    { comment: 'a fractional target', target: '2.5' },
    { comment: 'a target ParseInt rejects although it is whole', target: '2.0' },
  ])('rejects fallback with $comment (KEDA would silently skip fallback)', ({ target }) => {
    const input = withModifiers({ formula: 'queue', target }, (m) => (m.spec.fallback = { failureThreshold: 3, replicas: 2 }));
    expectOneIssue(parseScaledObject(input), `${PATH}.target`, 'must be an integer > 0 when fallback is set');
  });

  it('accepts fallback with an integer target and behavior scalingModifiers', () => {
    // Prepare
    const input = withModifiers({ formula: 'queue ?? 0', target: '4' }, (m) => (m.spec.fallback = { failureThreshold: 3, replicas: 2, behavior: 'scalingModifiers' }));

    // Act
    const so = valid(parseScaledObject(input));

    // Assess
    expect(so.spec.fallback).toEqual({ failureThreshold: 3, replicas: 2, behavior: 'scalingModifiers' });
  });
});
