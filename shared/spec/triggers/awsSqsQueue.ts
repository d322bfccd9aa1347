/**
 * `aws-sqs-queue` metadata (KEDA `aws_sqs_queue_scaler.go`, docs `scalers/aws-sqs.md`).
 * The metric is Visible (+ NotVisible if scaleOnInFlight, + Delayed if scaleOnDelayed);
 * the HPA target is `queueLength` per replica.
 */
import * as z from 'zod';
import { dropEmptyValues, kedaBool, kedaInt, kedaString } from '../metadataValues.js';
import type { SqsQueueTrigger } from '../types.js';
import { AWS_AUTH_PARAMETERS, awsConnectionShape, awsEndpointIssues, identityOwnerWarnings } from './aws.js';
import { defineTrigger } from './definition.js';

const DEFAULT_QUEUE_LENGTH = 5;

/** SQS's own rule for names: up to 80 of [A-Za-z0-9_-], plus `.fifo` for FIFO queues. */
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}(?:\.fifo)?$/;

/** Anything `url.ParseRequestURI` accepts: an absolute URL or an absolute path. */
const looksLikeUrl = (text: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(text) || text.startsWith('/');

/**
 * KEDA takes the queue name from a URL's path, which must be exactly `/<account>/<name>`;
 * a value that is not a URL is used as the queue name itself.
 */
const queueUrlProblem = (queueURL: string): string | undefined => {
  if (!looksLikeUrl(queueURL)) {
    return QUEUE_NAME.test(queueURL)
      ? undefined
      : 'is neither a queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>) nor a valid queue name';
  }
  let path: string;
  try {
    path = new URL(queueURL, 'https://placeholder.invalid').pathname;
  } catch {
    return 'is not a valid URL';
  }
  const parts = path.split('/');
  return parts.length === 3 && QUEUE_NAME.test(parts[2] ?? '')
    ? undefined
    : `must have the path /<account>/<queue name> (e.g. https://sqs.us-east-1.amazonaws.com/123456789012/orders), got "${path}"`;
};

const sqsQueueMetadata = () =>
  z.preprocess(
    dropEmptyValues,
    z
      .strictObject({
        /** Full queue URL or a bare queue name. */
        queueURL: kedaString().superRefine((queueURL, ctx) => {
          const problem = queueUrlProblem(queueURL);
          if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
        }),
        /**
         * KEDA reads the URL from the target container's environment. LPA runs outside the cluster and
         * never sees it, and the construct could not grant a queue it cannot name: refused everywhere.
         */
        queueURLFromEnv: z.unknown().superRefine((_, ctx) => {
          ctx.addIssue({
            code: 'custom',
            message: "is not supported: LPA runs outside the cluster and cannot read the target container's environment, nor grant access to a queue it cannot name; set queueURL",
          });
        }).optional(),
        // A zero target would make the HPA divide by zero; Kubernetes rejects a non-positive averageValue.
        queueLength: kedaInt({ min: 1 }).default(DEFAULT_QUEUE_LENGTH),
        activationQueueLength: kedaInt().default(0),
        scaleOnInFlight: kedaBool().default(true),
        scaleOnDelayed: kedaBool().default(false),
        ...awsConnectionShape(),
      })
      // `queueURLFromEnv` only ever fails; the parsed metadata has no such key.
      .transform(({ queueURLFromEnv: _refused, ...metadata }) => metadata),
  );

const awsSqsQueue = defineTrigger<SqsQueueTrigger>({
  type: 'aws-sqs-queue',
  metadata: sqsQueueMetadata,
  targets: (metadata) => ({ target: metadata.queueLength, activationTarget: metadata.activationQueueLength }),
  warnings: identityOwnerWarnings,
  trusted: awsEndpointIssues,
  authParameters: AWS_AUTH_PARAMETERS,
});

export { awsSqsQueue };
