/**
 * The `ShardInvoker` adapter (shared/app/fanOut.ts): Lambda `Invoke` with `InvocationType: Event` on
 * this same function, through the lazily loaded SDK (shared/aws/sdk.ts). Where it calls is endpoint
 * configuration only (`AWS_ENDPOINT_URL_LAMBDA` in tests, else AWS), as for every other client. Lambda
 * answers 202 once the event is queued; its size refusal (RequestTooLargeException, over 1 MB for an
 * asynchronous invoke) becomes `ShardTooLargeError`, so the lister halves the shard.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { ShardTooLargeError, type ShardInvoker } from '../app/fanOut.js';
import { LpaError } from '../errors.js';
import { loadLambda } from './sdk.js';

/** A queued invoke is quick; a hung connection must not hold the lister. */
const REQUEST_TIMEOUT_MS = 5_000;

interface LambdaInvokerOptions {
  /** The function to invoke: this one (`AWS_LAMBDA_FUNCTION_NAME`), unqualified, as its IAM grant names it. */
  readonly functionName: string;
  /** Default: the SDK's (`AWS_REGION` in Lambda). */
  readonly region?: string;
  /** Default: the SDK's provider chain, in Lambda the function's role. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

interface ClosableShardInvoker extends ShardInvoker {
  close(): void;
}

const createLambdaInvoker = (options: LambdaInvokerOptions): ClosableShardInvoker => {
  let client: Promise<LambdaClient> | undefined;
  const clientOf = (): Promise<LambdaClient> =>
    (client ??= loadLambda().then(
      (sdk) =>
        new sdk.LambdaClient({
          ...(options.region === undefined ? {} : { region: options.region }),
          ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
          requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS },
        }),
    ));
  return {
    invoke: async (event, callOptions) => {
      const [sdk, lambda] = await Promise.all([loadLambda(), clientOf()]);
      try {
        const answer = await lambda.send(new sdk.InvokeCommand({ FunctionName: options.functionName, InvocationType: 'Event', Payload: Buffer.from(event) }), { abortSignal: callOptions?.signal });
        if (answer.StatusCode !== 202) throw new LpaError(`Lambda Invoke of ${options.functionName} answered ${answer.StatusCode ?? 'no status'}, not 202 (queued)`);
      } catch (error) {
        if ((error as { name?: unknown }).name === 'RequestTooLargeException') {
          throw new ShardTooLargeError(`Lambda refused a ${Buffer.byteLength(event)}-byte event for ${options.functionName}: ${(error as Error).message}`, { cause: error });
        }
        throw error;
      }
    },
    close: () => {
      void client?.then((c) => c.destroy());
    },
  };
};

export { createLambdaInvoker };
export type { ClosableShardInvoker, LambdaInvokerOptions };
