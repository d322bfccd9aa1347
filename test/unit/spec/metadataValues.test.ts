import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { kedaBool, kedaFloat, kedaInt, parseGoBool } from '../../../shared/spec/metadataValues.js';

const parse = <T>(schema: z.ZodType<T>, input: unknown) => schema.safeParse(input);

describe('Function: parseGoBool', () => {
  it.each([
    { comment: 'every true spelling of strconv.ParseBool', inputs: ['1', 't', 'T', 'TRUE', 'true', 'True'], expected: true },
    { comment: 'every false spelling of strconv.ParseBool', inputs: ['0', 'f', 'F', 'FALSE', 'false', 'False'], expected: false },
    { comment: 'spellings Go rejects', inputs: ['yes', 'no', 'on', 'tRUE', '', ' true'], expected: undefined },
  ])('reads $comment', ({ inputs, expected }) => {
    expect(inputs.map(parseGoBool)).toEqual(inputs.map(() => expected));
  });
});

describe('Function: kedaInt', () => {
  it.each([
    { comment: 'a string', input: '42', expected: 42 },
    { comment: 'a signed string', input: '-3', expected: -3 },
    { comment: 'a YAML number', input: 7, expected: 7 },
  ])('accepts $comment', ({ input, expected }) => {
    expect(parse(kedaInt(), input)).toMatchObject({ success: true, data: expected });
  });

  it.each([
    { comment: 'a decimal string', input: '5.5' },
    { comment: 'a decimal number', input: 5.5 },
    { comment: 'an exponent', input: '1e3' },
    { comment: 'a word', input: 'five' },
    { comment: 'a boolean', input: true },
  ])('rejects $comment, naming the Go parser', ({ input }) => {
    const result = parse(kedaInt(), input);
    expect(result.error?.issues[0]?.message).toContain('must be an integer (KEDA parses it with strconv.ParseInt)');
  });
});

describe('Function: kedaFloat', () => {
  it.each([
    { comment: 'a decimal string', input: '0.25', expected: 0.25 },
    { comment: 'an exponent', input: '1e3', expected: 1000 },
    { comment: 'a YAML number', input: 12.5, expected: 12.5 },
  ])('accepts $comment', ({ input, expected }) => {
    expect(parse(kedaFloat(), input)).toMatchObject({ success: true, data: expected });
  });

  it.each([
    { comment: 'NaN', input: 'NaN' },
    { comment: 'infinity', input: 'Inf' },
    { comment: 'a unit suffix', input: '10k' },
  ])('rejects $comment', ({ input }) => {
    expect(parse(kedaFloat(), input).error?.issues[0]?.message).toContain('strconv.ParseFloat');
  });
});

describe('Function: kedaBool', () => {
  it('accepts YAML booleans and Go spellings', () => {
    expect([true, 'True', '0'].map((input) => parse(kedaBool(), input).data)).toEqual([true, true, false]);
  });

  it('rejects "yes" with the list of accepted spellings', () => {
    expect(parse(kedaBool(), 'yes').error?.issues[0]?.message).toContain('1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False');
  });
});
