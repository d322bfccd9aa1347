/**
 * Errors of the Kubernetes adapter. Every failure of a Kubernetes API call is a `KubeApiError`, so
 * callers decide on `retryable` and `status` without knowing the subclasses; the subclasses add the
 * facts a person needs to fix the cause (which RBAC rule is missing, which target does not exist).
 * Messages never contain the bearer token or the presigned URL inside it.
 */
import { LpaError } from '../errors.js';

interface KubeApiErrorDetails {
  /** HTTP status; `undefined` when no response arrived (connection refused, timeout, TLS). */
  readonly status: number | undefined;
  /** Kubernetes `Status.reason` (`Forbidden`, `NotFound`, …) or our own word when there is none. */
  readonly reason: string;
  readonly retryable: boolean;
  /** From `Retry-After`, when the server asked us to wait. */
  readonly retryAfterMs?: number;
}

/** A Kubernetes API call failed. */
class KubeApiError extends LpaError {
  readonly status: number | undefined;
  readonly reason: string;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  constructor(message: string, details: KubeApiErrorDetails, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KubeApiError';
    this.status = details.status;
    this.reason = details.reason;
    this.retryable = details.retryable;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** 401 even with a freshly minted token: the IAM principal is not mapped into the cluster. */
class KubeUnauthorizedError extends KubeApiError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, { status: 401, reason: 'Unauthorized', retryable: false }, options);
    this.name = 'KubeUnauthorizedError';
  }
}

/** The RBAC rule a request needed; `apiGroup` is `""` for the core group (pods). */
interface RbacRule {
  readonly verb: string;
  readonly resource: string;
  readonly apiGroup: string;
  readonly namespace: string;
  /** Where RBAC allows naming the objects (`services/proxy`: the `<scheme>:<service>:<port>` the path uses). */
  readonly resourceNames?: readonly string[];
}

/** 403: RBAC refused `rule`. The message names the verb, resource and namespace. */
class KubeForbiddenError extends KubeApiError {
  readonly rule: RbacRule;
  constructor(message: string, rule: RbacRule, options?: ErrorOptions) {
    super(message, { status: 403, reason: 'Forbidden', retryable: false }, options);
    this.name = 'KubeForbiddenError';
    this.rule = rule;
  }
}

/** 404: the target (or its namespace) does not exist. */
class KubeNotFoundError extends KubeApiError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, { status: 404, reason: 'NotFound', retryable: false }, options);
    this.name = 'KubeNotFoundError';
  }
}

/** The server answered 2xx but the body is not what the API defines; names the field. */
class KubeResponseError extends KubeApiError {
  constructor(message: string, status: number, options?: ErrorOptions) {
    super(message, { status, reason: 'InvalidResponse', retryable: false }, options);
    this.name = 'KubeResponseError';
  }
}

/**
 * No response: refused, reset, timed out (retryable), the server's certificate did not verify
 * against the cluster CA (not retryable: a wrong CA does not fix itself), or the caller's signal
 * ended the call (not retryable).
 */
class KubeConnectionError extends KubeApiError {
  constructor(message: string, reason: 'ConnectionError' | 'Timeout' | 'TLSVerificationFailed' | 'Aborted', options?: ErrorOptions) {
    // Aborted: the caller's budget ran out, and a retry would only spend more of it.
    super(message, { status: undefined, reason, retryable: reason === 'ConnectionError' || reason === 'Timeout' }, options);
    this.name = 'KubeConnectionError';
  }
}

/** The cluster's endpoint or CA could not be found (DescribeCluster failed, cluster not ACTIVE, bad caData). */
class ClusterLookupError extends LpaError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ClusterLookupError';
  }
}

/** An EKS token could not be minted (no AWS credentials, invalid cluster name or region). */
class EksTokenError extends LpaError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EksTokenError';
  }
}

/** The Role rule that grants `rule`, as YAML lines to paste under `rules:`. */
const rbacRuleYaml = (rule: RbacRule): string => {
  const names = rule.resourceNames === undefined ? '' : `\n  resourceNames: [${rule.resourceNames.map((name) => `"${name}"`).join(', ')}]`;
  return `- apiGroups: ["${rule.apiGroup}"]\n  resources: ["${rule.resource}"]${names}\n  verbs: ["${rule.verb}"]`;
};

export {
  ClusterLookupError,
  EksTokenError,
  KubeApiError,
  KubeConnectionError,
  KubeForbiddenError,
  KubeNotFoundError,
  KubeResponseError,
  KubeUnauthorizedError,
  rbacRuleYaml,
};
export type { KubeApiErrorDetails, RbacRule };
