/**
 * A handler's ScaleGroup is read within the shared input bounds: one object nested thousands of
 * levels deep, or with a megabyte name, is reported on its own and the other objects still
 * evaluate (before, the whole invocation died of a stack overflow).
 */
import { describe, expect, it } from 'vitest';
import { parseScaleGroup } from '../../../shared/app/scaleGroup.js';
import { CLUSTER, sqsScaledObject } from '../../helpers/manifests.js';

/** JSON text nested `levels` deep: JSON.stringify itself would overflow the stack on such a value. */
const nestedJson = (levels: number): string => `${'{"a":'.repeat(levels)}"x"${'}'.repeat(levels)}`;

describe('Function: parseScaleGroup (bounded input)', () => {
  it('reports an object nested 10,000 levels deep and keeps the others', () => {
    // Prepare: JSON text parsed with JSON.parse, as the Lambda runtime delivers the event.
    const deep = JSON.stringify({ ...sqsScaledObject('deep'), status: '@' }).replace('"@"', nestedJson(10_000));
    const objects = [JSON.stringify(sqsScaledObject('a')), deep, JSON.stringify(sqsScaledObject('c'))];
    const event: unknown = JSON.parse(`{"cluster":${JSON.stringify(CLUSTER)},"scaledObjects":[${objects.join(',')}]}`);
    // Act
    const parsed = parseScaleGroup(event);
    // Assess
    if (!parsed.ok) return expect.fail('the envelope is valid');
    expect(parsed.group.objects.map((so) => so.metadata.name)).toEqual(['a', 'c']);
    expect(parsed.group.invalid).toEqual([
      {
        index: 1,
        label: 'shop/deep',
        issues: [expect.objectContaining({ path: 'scaledObjects[1].status.a.a', message: 'is nested more than 64 levels deep (README "Input limits")' })],
      },
    ]);
  });

  it('bounds what a report echoes of an object it could not read', () => {
    const huge = sqsScaledObject(`${'n'.repeat(1_000_000)}\nforged log line`);
    const parsed = parseScaleGroup({ cluster: CLUSTER, scaledObjects: [huge] });
    if (!parsed.ok) return expect.fail('the envelope is valid');
    const [invalid] = parsed.group.invalid;
    expect(invalid?.label).toMatch(/^shop\/n{80}… \(1000016 characters\)$/);
    expect(invalid?.issues.every((issue) => issue.message.length < 400 && !issue.message.includes('\n'))).toBe(true);
  });
});
