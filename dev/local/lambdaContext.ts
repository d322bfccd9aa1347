/** A Lambda context as the runtime passes it, for invoking handlers in-process (demo, invoke, tests). */
import type { Context } from 'aws-lambda';

interface FakeContextOptions {
  readonly requestId: string;
  readonly functionName: string;
  /** What getRemainingTimeInMillis answers: keep it short to skip sub-minute passes. */
  readonly remainingMs: number;
  readonly region?: string;
}

const fakeLambdaContext = ({ requestId, functionName, remainingMs, region = 'eu-west-1' }: FakeContextOptions): Context =>
  ({
    awsRequestId: requestId,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }) as Context;

export { fakeLambdaContext };
