/**
 * A TriggerAuthentication that could not be resolved: missing, invalid, or one of its sources
 * unreadable. The message names the object, the source and the rule; it never carries a secret
 * value (callers build it from names, keys and the remote service's error code and message only).
 */
import { LpaError } from '../errors.js';

class AuthResolutionError extends LpaError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AuthResolutionError';
  }
}

export { AuthResolutionError };
