/**
 * The API server's service proxy (`/api/v1/namespaces/{ns}/services/{scheme}:{name}:{port}/proxy/…`):
 * how a Lambda outside the cluster network reaches an in-cluster Service such as Prometheus, over
 * the same TLS, token and error mapping as every other Kubernetes call.
 *
 * The proxy hands back the Service's own response, status and body, unchanged. The API server's
 * own refusals (RBAC, no such Service, no ready endpoints) come as a `Status` object: those become
 * `KubeApiError`s, so a 403 names the `services/proxy` rule with its `resourceNames`.
 */
import { errorForStatus, readStatus, type RequestContext } from './responses.js';
import type { ProxiedResponse, ServiceProxyRequest } from './types.js';

/** The parts of a kube client call that the proxy defines. */
interface ProxyCall extends RequestContext {
  readonly path: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly timeoutMs: number;
}

/**
 * `:` stays literal in the name segment, as kubectl writes it; the rest is percent-encoded.
 *
 * @example
 * proxyCall({ namespace: 'monitoring', proxyName: 'http:prometheus-server:9090', path: '/api/v1/query?query=up', headers: [], timeoutMs: 3000 }).path;
 * // '/api/v1/namespaces/monitoring/services/http:prometheus-server:9090/proxy/api/v1/query?query=up'
 */
const proxyCall = ({ namespace, proxyName, path, headers, timeoutMs }: ServiceProxyRequest): ProxyCall => ({
  path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(proxyName).replace(/%3A/gi, ':')}/proxy${path}`,
  headers,
  timeoutMs,
  target: `service ${namespace}/${proxyName}`,
  rule: { verb: 'get', resource: 'services/proxy', apiGroup: '', namespace, resourceNames: [proxyName] },
});

/** The Service's answer, or the API server's refusal as an error. */
const proxiedResponse = (
  response: { readonly status: number; readonly text: string; readonly retryAfter: string | undefined },
  context: RequestContext,
  now: number,
): ProxiedResponse => {
  const fromApiServer = response.status >= 300 && readStatus(response.text) !== undefined;
  if (fromApiServer) throw errorForStatus(response.status, response.text, response.retryAfter, context, now);
  return { status: response.status, body: response.text };
};

export { proxiedResponse, proxyCall };
