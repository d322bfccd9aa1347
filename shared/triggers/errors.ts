/**
 * Errors of the trigger readers. A reading that failed carries one line that names the
 * ScaledObject, the trigger and the call that failed, so an operator can act on the log line
 * alone: `shop/orders spec.triggers[0] "queue": GetQueueAttributes on https://…/orders: AccessDenied: …`.
 * Messages come from the AWS error code and message only: never from request headers, so no
 * credentials can leak into them.
 */
import { LpaError, describeError } from '../errors.js';
import type { MetricReading } from '../engine/types.js';
import type { TriggerRequest } from './types.js';

/** A response that cannot be turned into a metric (e.g. an attribute missing from GetQueueAttributes). */
class TriggerReadError extends LpaError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TriggerReadError';
  }
}

/** `<namespace>/<name> spec.triggers[<i>]`, plus the trigger's name when it has one. */
const triggerLabel = ({ scaledObject, trigger }: TriggerRequest): string => {
  const object = `${scaledObject.metadata.namespace}/${scaledObject.metadata.name}`;
  const name = trigger.name === undefined ? '' : ` "${trigger.name}"`;
  return `${object} spec.triggers[${trigger.index}]${name}`;
};

/** The failed reading of one request: `<label>: <what failed>`. */
const failedReading = (request: TriggerRequest, what: string): MetricReading => ({ error: `${triggerLabel(request)}: ${what}` });

export { TriggerReadError, describeError, failedReading, triggerLabel };
