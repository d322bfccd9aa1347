import { describe, expect, it } from 'vitest';
import { queueLengthFromAttributes } from '../../../shared/triggers/awsSqsQueue.js';
import { TriggerReadError } from '../../../shared/triggers/errors.js';

const attributes = {
  ApproximateNumberOfMessages: '5',
  ApproximateNumberOfMessagesNotVisible: '2',
  ApproximateNumberOfMessagesDelayed: '3',
};

describe('Function: queueLengthFromAttributes', () => {
  it.each([
    { comment: 'visible + in-flight by default', flags: { scaleOnInFlight: true, scaleOnDelayed: false }, expected: 7 },
    { comment: 'visible only without scaleOnInFlight', flags: { scaleOnInFlight: false, scaleOnDelayed: false }, expected: 5 },
    { comment: 'visible + in-flight + delayed', flags: { scaleOnInFlight: true, scaleOnDelayed: true }, expected: 10 },
    { comment: 'visible + delayed', flags: { scaleOnInFlight: false, scaleOnDelayed: true }, expected: 8 },
  ])('sums $comment', ({ flags, expected }) => {
    expect(queueLengthFromAttributes({ Attributes: attributes }, flags)).toBe(expected);
  });

  it('ignores attributes the flags do not ask for', () => {
    const output = { Attributes: { ApproximateNumberOfMessages: '4', ApproximateNumberOfMessagesDelayed: 'not read' } };

    expect(queueLengthFromAttributes(output, { scaleOnInFlight: false, scaleOnDelayed: false })).toBe(4);
  });

  it.each([
    { comment: 'an attribute is missing', output: { Attributes: { ApproximateNumberOfMessages: '4' } }, message: 'ApproximateNumberOfMessagesNotVisible is missing from the GetQueueAttributes response' },
    { comment: 'Attributes is missing', output: {}, message: 'ApproximateNumberOfMessages is missing from the GetQueueAttributes response' },
    { comment: 'a count is not a whole number', output: { Attributes: { ApproximateNumberOfMessages: '4', ApproximateNumberOfMessagesNotVisible: '-1' } }, message: 'ApproximateNumberOfMessagesNotVisible is not a whole number: "-1"' },
  ])('throws a TriggerReadError when $comment', ({ output, message }) => {
    const read = () => queueLengthFromAttributes(output, { scaleOnInFlight: true, scaleOnDelayed: false });

    expect(read).toThrow(TriggerReadError);
    expect(read).toThrow(message);
  });
});
