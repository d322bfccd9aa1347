/**
 * A trigger's name is only a key: `__proto__`, `constructor`, `toString`, `valueOf`,
 * `hasOwnProperty` or any other text work like `orders`. Checked through `lpa decide`'s contract
 * (JSON in, JSON out, state carried), which crosses every map keyed by trigger name: the metrics,
 * the failure counts, the formula's bindings.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideJson } from '../../shared/engine/contract.js';
import { namedTriggersScaledObject } from '../helpers/manifests.js';

const SPECIAL = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', '__defineGetter__', 'isPrototypeOf'];

const nameArb = fc.oneof(fc.constantFrom(...SPECIAL), fc.string({ minLength: 1, maxLength: 12 }));
const namesArb = fc.uniqueArray(nameArb, { minLength: 1, maxLength: 5 });
/** Per trigger: a value read, or a failed read. */
const readingsArb = (count: number) => fc.array(fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }), { minLength: count, maxLength: count });

const scaledObject = namedTriggersScaledObject;

/** Built with JSON.parse, as the CLI reads it: `__proto__` becomes an own key, not the prototype. */
const jsonMap = (entries: readonly (readonly [string, unknown])[]): Record<string, unknown> =>
  JSON.parse(`{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',')}}`) as Record<string, unknown>;

describe('Property: trigger names are plain keys', () => {
  it('every trigger gets its own reading, and exactly the failed ones are counted, over two evaluations', () => {
    fc.assert(
      fc.property(namesArb.chain((names) => fc.tuple(fc.constant(names), readingsArb(names.length))), ([names, values]) => {
        const metrics = jsonMap(names.map((name, i) => [name, values[i] === undefined ? { error: 'unreachable' } : { value: values[i] }]));
        const input = { now: '2026-11-23T10:00:00Z', scaledObject: scaledObject(names), target: { specReplicas: 2 }, metrics };
        const first = decideJson(input);
        // The state round-trips through JSON, as `--carry-state` and DynamoDB do.
        const second = decideJson(JSON.parse(JSON.stringify({ ...input, now: '2026-11-23T10:00:30Z', state: first.state })));

        const failed = names.filter((_, i) => values[i] === undefined);
        for (const [i, name] of names.entries()) {
          const shown = values[i] === undefined ? 'error' : String(values[i]);
          expect(first.message).toContain(`${name}=${shown}/10`);
        }
        expect(Object.entries(second.state.failures ?? {}).sort()).toEqual(failed.map((name) => [name, 2]).sort());
      }),
      { numRuns: 200 },
    );
  });

  it('a formula reads triggers named after Object.prototype members', () => {
    const names = ['constructor', 'valueOf'];
    const so = scaledObject(names);
    const withFormula = { ...so, spec: { ...so.spec, advanced: { scalingModifiers: { formula: 'constructor + valueOf', target: '10' } } } };
    const decision = decideJson({ now: '2026-11-23T10:00:00Z', scaledObject: withFormula, target: { specReplicas: 1 }, metrics: { constructor: { value: 30 }, valueOf: { value: 20 } } });
    expect(decision.message).toContain('composite-metric=50/10');
  });
});
