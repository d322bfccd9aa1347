/**
 * The API server's service proxy, `/api/v1/namespaces/{ns}/services/{[scheme:]name[:port]}/proxy/{path}`,
 * in front of local HTTP servers standing in for in-cluster Services (e.g. the local Prometheus).
 * As kube-apiserver does: the request is authorized as verb `get` (GET) on `services/proxy` with the
 * name segment exactly as written (so `resourceNames` must list `http:prometheus-server:9090`); an
 * unknown Service is a 404 Status; a port the Service does not have, or a Service without ready
 * endpoints, is a 503 "no endpoints available"; otherwise the Service's own status and body come back
 * unchanged. As kube-apiserver's `WithAuthentication` filter does after authenticating a request, the
 * caller's `Authorization` header and the front-proxy identity headers (`X-Remote-User`,
 * `X-Remote-Group`, `X-Remote-Extra-*`) are deleted, so none of them reaches the Service.
 */
import type { ApiResponse } from './routes.js';
import { noEndpoints, notFound } from './status.js';
import type { ResourceAttributes } from './status.js';

interface LocalService {
  readonly namespace: string;
  readonly name: string;
  /** The Service's ports, by number and optional name. */
  readonly ports: readonly { readonly port: number; readonly name?: string }[];
  /** Where its endpoints answer, e.g. the local Prometheus' `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** false: the Service exists but no pod behind it is ready. Default true. */
  readonly ready?: boolean;
}

/** What the proxy sends back: the Service's bytes and content type, or a Status. */
type ProxyResponse = ApiResponse | { readonly status: number; readonly raw: string; readonly contentType: string };

interface ProxyRequest {
  readonly attributes: ResourceAttributes;
  /** Path under the Service (`/api/v1/query`) and the query string (`?query=…`). */
  readonly rest: string;
}

/** Headers a proxy must not pass on: hop-by-hop ones, and the caller's credentials and identity for the API server. */
const DROPPED_HEADERS = new Set(['authorization', 'x-remote-user', 'x-remote-group', 'connection', 'host', 'keep-alive', 'transfer-encoding', 'upgrade', 'content-length']);
const dropped = (name: string): boolean => DROPPED_HEADERS.has(name) || name.startsWith('x-remote-extra-');

const VERB_OF: Readonly<Record<string, string>> = { GET: 'get', HEAD: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** The proxy request in `pathname`, or undefined when it is not one. */
const proxyRequestOf = (method: string, pathname: string, search: string): ProxyRequest | undefined => {
  const match = /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/]+)\/proxy(\/.*)?$/.exec(pathname);
  const verb = VERB_OF[method];
  if (match === null || verb === undefined) return undefined;
  const [, namespace = '', name = '', rest = '/'] = match;
  return {
    attributes: { verb, namespace: decodeURIComponent(namespace), apiGroup: '', resource: 'services', subresource: 'proxy', name: decodeURIComponent(name) },
    rest: `${rest}${search}`,
  };
};

/** `[scheme:]name[:port]`, as `ResourceLocation` splits it. */
const splitName = (segment: string): { readonly name: string; readonly port: string } => {
  const parts = segment.split(':');
  if (parts.length === 3) return { name: parts[1] ?? '', port: parts[2] ?? '' };
  return { name: parts[0] ?? '', port: parts[1] ?? '' };
};

class LocalServices {
  readonly #services = new Map<string, LocalService>();

  add(service: LocalService): void {
    this.#services.set(`${service.namespace}/${service.name}`, service);
  }

  remove(namespace: string, name: string): void {
    this.#services.delete(`${namespace}/${name}`);
  }

  /** Forwards an authorized proxy request. */
  async forward(request: ProxyRequest, method: string, headers: Readonly<Record<string, string | string[] | undefined>>, body: string): Promise<ProxyResponse> {
    const { namespace, name: segment = '' } = request.attributes;
    const { name, port } = splitName(segment);
    const service = this.#services.get(`${namespace}/${name}`);
    if (service === undefined) return { status: 404, body: notFound('', 'services', name) };
    const hasPort = port === '' ? service.ports.length === 1 : service.ports.some((p) => String(p.port) === port || p.name === port);
    if (!hasPort || service.ready === false) return { status: 503, body: noEndpoints(name) };
    const forwarded = Object.fromEntries(
      Object.entries(headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && !dropped(entry[0])),
    );
    const response = await fetch(`${service.url}${request.rest}`, { method, headers: forwarded, ...(method === 'GET' || method === 'HEAD' ? {} : { body }) });
    return { status: response.status, raw: await response.text(), contentType: response.headers.get('content-type') ?? 'application/octet-stream' };
  }
}

export { LocalServices, proxyRequestOf };
export type { LocalService, ProxyResponse };
