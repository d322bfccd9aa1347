/**
 * A bearer token that cannot leak by accident. An EKS token is a presigned STS URL: anyone holding
 * it can act as our IAM role in the cluster for up to 15 minutes. So the value lives in a private
 * field, and every way an object is usually printed (template strings, `JSON.stringify`,
 * `console.log`/`util.inspect`, Powertools' logger) shows a redacted form.
 */
import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/** What may be said about a token without revealing it. */
interface BearerTokenFacts {
  /** Where it came from, e.g. `EKS cluster "demo" (eu-west-1)` or `--token`. */
  readonly origin: string;
  /** When the issuer says it stops working; `undefined` when unknown (a token given by hand). */
  readonly expiresAt: Date | undefined;
}

class BearerToken {
  readonly #value: string;
  readonly origin: string;
  readonly expiresAt: Date | undefined;

  constructor(value: string, facts: BearerTokenFacts) {
    this.#value = value;
    this.origin = facts.origin;
    this.expiresAt = facts.expiresAt;
  }

  /** The secret itself: only for an `Authorization` header or `lpa token`'s standard output. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    const expiry = this.expiresAt === undefined ? '' : `, expires ${this.expiresAt.toISOString()}`;
    return `BearerToken(${this.origin}${expiry}, value ${REDACTED})`;
  }

  toJSON(): Record<string, string | undefined> {
    return { origin: this.origin, expiresAt: this.expiresAt?.toISOString(), token: REDACTED };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** Hands out the current token; the scale client asks for one per request. */
interface BearerTokenSource {
  getToken(): Promise<BearerToken>;
  /**
   * Forgets the current token after the API server answered 401. Returns false when no other
   * token can be had (a fixed token), so the caller does not retry with the same one.
   */
  invalidate(): boolean;
}

/** A token given by hand (`lpa doctor --token`): never refreshed. */
const staticTokenSource = (value: string, origin = 'a fixed token'): BearerTokenSource => {
  const token = new BearerToken(value, { origin, expiresAt: undefined });
  return {
    getToken: async () => token,
    invalidate: () => false,
  };
};

export { BearerToken, staticTokenSource };
export type { BearerTokenFacts, BearerTokenSource };
