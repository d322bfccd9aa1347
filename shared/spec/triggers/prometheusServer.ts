/**
 * Where a `prometheus` trigger's `serverAddress` is reached from a Lambda, decided once from the
 * address alone (pure: the reader, `lpa rbac` and the CDK construct all ask this one function):
 *
 * - `amp`: Amazon Managed Service for Prometheus, `https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>`
 *   (or any address with `awsRegion` set whose path is `/workspaces/<id>`, e.g. an AMP VPC endpoint):
 *   fetched directly, signed with SigV4 for the service `aps`.
 * - `service`: a Kubernetes Service (`<svc>.<ns>.svc.cluster.local`, `<svc>.<ns>.svc`, `<svc>.<ns>`):
 *   a Lambda cannot resolve cluster DNS, so the request goes through the API server's service proxy,
 *   `/api/v1/namespaces/<ns>/services/<scheme>:<svc>:<port>/proxy/<path>`, and a KEDA user's address
 *   works unchanged.
 * - `direct`: anything else (an internal load balancer, an IP, a public host): fetched as written.
 */

/** `aps-workspaces.<region>.amazonaws.com` (`.com.cn` in China). */
const AMP_HOST = /^aps-workspaces\.([a-z]{2,}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?$/;
/** AMP workspace ids: `ws-` and a UUID-like suffix. */
const WORKSPACE_PATH = /^\/workspaces\/(ws-[A-Za-z0-9-]+)(\/.*)?$/;
/** A DNS-1123 label: what Service and namespace names are. */
const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

interface AmpServer {
  readonly kind: 'amp';
  /** The address without a trailing `/`; `/api/v1/query` is appended to it. */
  readonly base: string;
  readonly region: string;
  readonly workspaceId: string;
}

interface ServiceServer {
  readonly kind: 'service';
  readonly namespace: string;
  readonly service: string;
  readonly scheme: 'http' | 'https';
  readonly port: number;
  /** The Service's name as the proxy path and RBAC `resourceNames` spell it: `<scheme>:<svc>:<port>`. */
  readonly proxyName: string;
  /** Path under the Service (a Prometheus `--web.route-prefix`), without a trailing `/`; often empty. */
  readonly basePath: string;
}

interface DirectServer {
  readonly kind: 'direct';
  readonly base: string;
}

type PrometheusServer = AmpServer | ServiceServer | DirectServer;

type ServerResult = { readonly ok: true; readonly server: PrometheusServer } | { readonly ok: false; readonly message: string };

const withoutTrailingSlash = (text: string): string => text.replace(/\/+$/, '');

/** `<svc>.<ns>`, `<svc>.<ns>.svc`, `<svc>.<ns>.svc.<cluster domain>`; undefined for any other host. */
const serviceOf = (host: string): { readonly service: string; readonly namespace: string } | undefined => {
  if (IPV4.test(host)) return undefined;
  const [service = '', namespace = '', svc, ...domain] = host.split('.');
  const shaped = svc === undefined ? domain.length === 0 : svc === 'svc';
  if (!shaped || !DNS_LABEL.test(service) || !DNS_LABEL.test(namespace)) return undefined;
  return { service, namespace };
};

const ampOf = (url: URL, awsRegion: string | undefined): ServerResult | undefined => {
  const hostRegion = AMP_HOST.exec(url.hostname)?.[1];
  if (hostRegion === undefined && awsRegion === undefined) return undefined;
  const workspaceId = WORKSPACE_PATH.exec(url.pathname)?.[1];
  if (workspaceId === undefined) {
    return {
      ok: false,
      message:
        hostRegion === undefined
          ? 'with awsRegion set, requests are signed for Amazon Managed Service for Prometheus, so the path must be /workspaces/<workspace id> (remove awsRegion for any other server)'
          : 'must be https://aps-workspaces.<region>.amazonaws.com/workspaces/<workspace id>',
    };
  }
  if (url.protocol !== 'https:') return { ok: false, message: 'must use https: requests signed with AWS credentials are never sent in clear text' };
  if (hostRegion !== undefined && awsRegion !== undefined && hostRegion !== awsRegion) {
    return { ok: false, message: `names region ${hostRegion} but awsRegion is ${awsRegion}; the signature must be scoped to the workspace's region` };
  }
  const region = awsRegion ?? (hostRegion as string);
  return { ok: true, server: { kind: 'amp', base: withoutTrailingSlash(url.href), region, workspaceId } };
};

/**
 * @example
 * prometheusServerOf('http://prometheus-server.monitoring.svc.cluster.local:9090');
 * // { ok: true, server: { kind: 'service', namespace: 'monitoring', service: 'prometheus-server',
 * //   scheme: 'http', port: 9090, proxyName: 'http:prometheus-server:9090', basePath: '' } }
 */
const prometheusServerOf = (serverAddress: string, awsRegion?: string): ServerResult => {
  let url: URL;
  try {
    url = new URL(serverAddress);
  } catch {
    return { ok: false, message: `must be an http(s) URL such as http://prometheus-server.monitoring.svc.cluster.local:9090, got "${serverAddress}"` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, message: `must be an http(s) URL, got scheme "${url.protocol}"` };
  if (url.username !== '' || url.password !== '') return { ok: false, message: 'must not carry credentials in the URL (user:password@); they would be logged with the address' };
  if (url.search !== '' || url.hash !== '') return { ok: false, message: 'must not have a query or fragment: /api/v1/query?… is appended to it' };
  const amp = ampOf(url, awsRegion);
  if (amp !== undefined) return amp;
  const service = serviceOf(url.hostname);
  if (service !== undefined) {
    const scheme = url.protocol === 'https:' ? 'https' : 'http';
    // An address without a port reaches the Service's port 80 (443), as cluster DNS would.
    const port = url.port === '' ? (scheme === 'https' ? 443 : 80) : Number(url.port);
    const basePath = withoutTrailingSlash(url.pathname);
    return { ok: true, server: { kind: 'service', ...service, scheme, port, proxyName: `${scheme}:${service.service}:${port}`, basePath } };
  }
  return { ok: true, server: { kind: 'direct', base: withoutTrailingSlash(url.href) } };
};

export { prometheusServerOf };
export type { AmpServer, DirectServer, PrometheusServer, ServiceServer };
