import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimulatedCluster } from './cluster.js';
import type { FailureInjection } from './cluster.js';
import { discoveryDocument, isDiscoveryPath } from './discovery.js';
import { isAllowed } from './rbac.js';
import type { RbacBinding } from './rbac.js';
import { handleResource, resourceAttributesOf } from './routes.js';
import type { ApiResponse } from './routes.js';
import { LocalServices, proxyRequestOf } from './serviceProxy.js';
import type { LocalService, ProxyResponse } from './serviceProxy.js';
import {
  conflict,
  forbidden,
  forbiddenPath,
  internalError,
  noSuchResource,
  serviceUnavailable,
  tooManyRequests,
  unauthorized,
} from './status.js';
import { createTokenVerifier } from './tokenVerifier.js';
import type { AwsIdentity, KubeUser } from './tokenVerifier.js';
import { localCertificates } from '../http.js';

/**
 * A loopback HTTPS Kubernetes API: TLS from a fresh CA (clients must verify with `ca`), bearer tokens
 * checked like EKS (aws-iam-authenticator rules + SigV4), RBAC, then the simulated cluster. The request
 * pipeline follows kube-apiserver's filter order: authentication → (priority & fairness, where injected
 * failures strike) → authorization → handler.
 */

interface KubeApiOptions {
  /** Signed into tokens as `x-k8s-aws-id`: a token for another cluster fails. */
  readonly clusterName: string;
  /** The regional STS host `sts.<region>.amazonaws.com` is accepted (and the global `sts.amazonaws.com`). */
  readonly region: string;
  readonly identities?: readonly AwsIdentity[];
  readonly rbac?: readonly RbacBinding[];
  /** Clock for token expiry and pod readiness. Default `Date.now`. */
  readonly now?: () => number;
  /** Plain bearer tokens (kube's static token file), e.g. for `lpa doctor --token`. */
  readonly staticTokens?: Readonly<Record<string, KubeUser>>;
  /** Services reachable through the service proxy (more can be added on the handle). */
  readonly services?: readonly LocalService[];
}

interface RequestLogEntry {
  readonly method: string;
  /** Path and query string; never headers, so never the token. */
  readonly path: string;
  readonly status: number;
  /** Undefined when authentication failed. */
  readonly username: string | undefined;
  /** Why a bearer token was refused (401 only); names the broken rule, never quotes the token. */
  readonly authError?: string;
}

interface KubeApiHandle {
  /** `https://127.0.0.1:<port>` */
  readonly url: string;
  /** base64 of the CA PEM, exactly as DescribeCluster's `certificateAuthority.data`. */
  readonly caData: string;
  readonly caPem: string;
  readonly cluster: SimulatedCluster;
  /** The Services behind `…/services/{name}/proxy/…`. */
  readonly services: LocalServices;
  /** Live log, oldest first. */
  readonly requests: readonly RequestLogEntry[];
  close(): Promise<void>;
}

const ANONYMOUS: KubeUser = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
/** API Priority and Fairness answers 429 with Retry-After: 1 unless told otherwise. */
const DEFAULT_RETRY_AFTER_SECONDS = 1;
const VERSION_INFO = {
  major: '1',
  minor: '31',
  gitVersion: 'v1.31.4-eks-local',
  gitTreeState: 'clean',
  goVersion: 'go1.22.9',
  compiler: 'gc',
  platform: 'linux/amd64',
};

type Authentication = { readonly user: KubeUser } | { readonly error: string };

const sameSecret = (known: string, given: string): boolean => {
  const [a, b] = [Buffer.from(known), Buffer.from(given)];
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * kube-apiserver keeps a token webhook's answer for `--authentication-token-webhook-cache-ttl`
 * (default 2 minutes): an EKS token is verified once per 2 minutes, not on every request. The
 * stand-in does the same (accepted tokens only), so a benchmark's thousands of requests do not
 * spend the process's CPU on HMACs the real API server would not compute either.
 */
const WEBHOOK_CACHE_TTL_MS = 2 * 60_000;
/** Beyond this many cached tokens the cache starts afresh (tests mint a few; a bound all the same). */
const WEBHOOK_CACHE_MAX = 1_000;

/** Static tokens first, then the EKS webhook; no or empty bearer token is the anonymous user. */
const authenticator = (options: KubeApiOptions, now: () => number) => {
  const accepted = new Map<string, { readonly user: KubeUser; readonly until: number }>();
  const verify = createTokenVerifier({
    clusterName: options.clusterName,
    region: options.region,
    identities: options.identities ?? [],
    now,
  });
  const authenticated = (user: KubeUser): Authentication => ({
    user: { username: user.username, groups: [...user.groups, 'system:authenticated'] },
  });
  return (header: string | undefined): Authentication => {
    const match = /^Bearer\s+(.*)$/i.exec(header ?? '');
    const token = match?.[1]?.trim() ?? '';
    if (token === '') return { user: ANONYMOUS };
    const [, staticUser] = Object.entries(options.staticTokens ?? {}).find(([known]) => sameSecret(known, token)) ?? [];
    if (staticUser !== undefined) return authenticated(staticUser);
    const cached = accepted.get(token);
    if (cached !== undefined && now() < cached.until) return authenticated(cached.user);
    const verdict = verify(token);
    if (!verdict.ok) return { error: verdict.reason };
    if (accepted.size >= WEBHOOK_CACHE_MAX) accepted.clear();
    accepted.set(token, { user: verdict.user, until: now() + WEBHOOK_CACHE_TTL_MS });
    return authenticated(verdict.user);
  };
};

/** The Status an injected fault answers with; the Deployment's name comes from the path, as kube would word it. */
const injectedResponse = (failure: FailureInjection, pathname: string): ApiResponse => {
  const name = decodeURIComponent(/\/deployments\/([^/]+)/.exec(pathname)?.[1] ?? '');
  const retryAfterSeconds = failure.retryAfterSeconds ?? (failure.status === 429 ? DEFAULT_RETRY_AFTER_SECONDS : undefined);
  const statuses = {
    409: () => conflict('apps', 'deployments', name),
    429: () => tooManyRequests(retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS),
    500: () => internalError('etcdserver: request timed out'),
    503: () => serviceUnavailable(),
  };
  return {
    status: failure.status,
    body: statuses[failure.status](),
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  };
};

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
};

const send = (response: ServerResponse, result: ProxyResponse): void => {
  if ('raw' in result) {
    // A proxied Service's answer, passed on as it came.
    response.writeHead(result.status, { 'content-type': result.contentType, 'audit-id': randomUUID() });
    response.end(result.raw);
    return;
  }
  response.writeHead(result.status, {
    'content-type': 'application/json',
    'cache-control': 'no-cache, private',
    'audit-id': randomUUID(),
    ...(result.retryAfterSeconds === undefined ? {} : { 'retry-after': String(result.retryAfterSeconds) }),
  });
  response.end(JSON.stringify(result.body));
};

type Outcome = ProxyResponse & {
  readonly username: string | undefined;
  readonly authError?: string;
};

interface Pipeline {
  readonly options: KubeApiOptions;
  readonly cluster: SimulatedCluster;
  readonly services: LocalServices;
  readonly authenticate: (header: string | undefined) => Authentication;
}

/** authentication → injected faults → /version → authorization → resource handler. */
const serve = async ({ options, cluster, services, authenticate }: Pipeline, request: IncomingMessage): Promise<Outcome> => {
  const method = request.method ?? 'GET';
  const url = new URL(request.url ?? '/', 'https://kube.invalid');
  const body = await readBody(request);
  const auth = authenticate(request.headers.authorization);
  if ('error' in auth) return { status: 401, body: unauthorized(), username: undefined, authError: auth.error };
  const { user } = auth;
  const answer = (response: ProxyResponse): Outcome => ({ ...response, username: user.username });
  const failure = cluster.takeFailure(method, url.pathname + url.search);
  if (failure !== undefined) return answer(injectedResponse(failure, url.pathname));
  // system:public-info-viewer lets everyone, even anonymous, read /version.
  if (url.pathname === '/version' && method === 'GET') return answer({ status: 200, body: VERSION_INFO });
  // system:discovery: every authenticated user may read the API's discovery documents.
  if (method === 'GET' && isDiscoveryPath(url.pathname)) {
    if (!user.groups.includes('system:authenticated')) return answer({ status: 403, body: forbiddenPath(user.username, 'get', url.pathname) });
    const document = discoveryDocument(cluster, url.pathname);
    return answer(document === undefined ? { status: 404, body: noSuchResource() } : { status: 200, body: document });
  }
  const proxied = proxyRequestOf(method, url.pathname, url.search);
  if (proxied !== undefined) {
    if (!isAllowed(options.rbac ?? [], user, proxied.attributes)) return answer({ status: 403, body: forbidden(proxied.attributes, user.username) });
    return answer(await services.forward(proxied, method, request.headers, body));
  }
  const attributes = resourceAttributesOf(method, url.pathname);
  if (attributes === undefined) return answer({ status: 404, body: noSuchResource() });
  if (!isAllowed(options.rbac ?? [], user, attributes)) {
    return answer({ status: 403, body: forbidden(attributes, user.username) });
  }
  const contentType = request.headers['content-type'];
  return answer(
    handleResource(cluster, { attributes, query: url.searchParams, contentType, body, username: user.username }),
  );
};

/**
 * Starts the API on 127.0.0.1 (random port). Close it in `afterAll`.
 *
 * @example
 * const kube = await startKubeApi({ clusterName: 'demo', region: 'eu-west-1', identities, rbac });
 * kube.cluster.addDeployment({ namespace: 'demo', name: 'worker', replicas: 1 });
 * // GET `${kube.url}/apis/apps/v1/namespaces/demo/deployments/worker/scale` with `ca: kube.caPem`
 */
const startKubeApi = async (options: KubeApiOptions): Promise<KubeApiHandle> => {
  const now = options.now ?? Date.now;
  const cluster = new SimulatedCluster(now);
  const requests: RequestLogEntry[] = [];
  const { caPem, key, cert } = await localCertificates('lpa-local-kubernetes-ca', 'kube-apiserver');

  const services = new LocalServices();
  for (const service of options.services ?? []) services.add(service);
  const pipeline: Pipeline = { options, cluster, services, authenticate: authenticator(options, now) };

  const server = createServer({ key, cert }, (request, response) => {
    void serve(pipeline, request)
      .catch((error: unknown): Outcome => ({ status: 500, body: internalError(String(error)), username: undefined }))
      .then(({ username, authError, ...result }) => {
        send(response, result);
        const entry = { method: request.method ?? 'GET', path: request.url ?? '/', status: result.status, username };
        requests.push(authError === undefined ? entry : { ...entry, authError });
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `https://127.0.0.1:${port}`,
    caData: Buffer.from(caPem).toString('base64'),
    caPem,
    cluster,
    services,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
};

export { startKubeApi };
export type { KubeApiHandle, KubeApiOptions, RequestLogEntry };
