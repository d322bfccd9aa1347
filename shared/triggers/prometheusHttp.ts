/**
 * How a Prometheus request travels, by where the server is (spec/triggers/prometheusServer.ts):
 * `direct` over node:http(s), `amp` the same after a SigV4 signature (service `aps`), `service`
 * through the API server's service proxy on the cluster's own client. The request itself (path,
 * query, headers) is built once, in prometheusQuery.ts; authentication modes are added here: the
 * `Authorization` header of bearer or basic and the custom header replace a customHeaders entry of
 * the same name (KEDA `Header.Set` after `Header.Add`), and tls (or a `ca`) gets an HTTPS agent of
 * its own per distinct CA/certificate/key, kept across ticks. Modes whose credentials cannot pass
 * the API server's service proxy are refused before anything is sent (spec/triggers/prometheusAuth.ts).
 *
 * TLS is always verified (`rejectUnauthorized` is never turned off). Response bodies are bounded:
 * a query that returns a huge vector fails instead of exhausting the Lambda's memory. Errors name
 * the server's base address only, never the headers (custom headers may carry secrets).
 */
import { createHash } from 'node:crypto';
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { loadSigning } from '../aws/sdk.js';
import { BoundedMap } from '../boundedMap.js';
import { errorMessage } from '../errors.js';
import type { ServiceProxy } from '../kube/types.js';
import { serverProblem, type PrometheusAuth } from '../spec/triggers/prometheusAuth.js';
import type { PrometheusServer } from '../spec/triggers/prometheusServer.js';
import type { AwsClients } from './awsClients.js';
import { TriggerReadError, describeError } from './errors.js';
import type { PrometheusRequest } from './prometheusQuery.js';

/** A Prometheus answer of one series is a few hundred bytes; a megabyte is a query gone wrong. */
const MAX_BODY_BYTES = 1024 * 1024;
/** HTTPS agents kept for distinct TLS credentials: far above what one deployment's TriggerAuthentications name. */
const MAX_TLS_AGENTS = 64;

interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

interface SendOptions {
  readonly timeoutMs: number;
  /** The tick's budget: aborting it ends the request. */
  readonly signal?: AbortSignal;
  /** The trigger's `awsRoleArn`, for AMP. */
  readonly roleArn?: string;
  /** The cluster of the ScaledObject, for `service` servers. */
  readonly cluster?: ServiceProxy;
  /** authModes credentials from the TriggerAuthentication. */
  readonly auth?: PrometheusAuth;
}

interface PrometheusHttp {
  send(server: PrometheusServer, request: PrometheusRequest, options: SendOptions): Promise<HttpAnswer>;
  /** Closes kept-alive sockets (CLI, tests). */
  close(): void;
}

interface PrometheusHttpOptions {
  readonly clients: AwsClients;
  /** Signing time. Default `Date.now`. */
  readonly clock?: () => number;
  /** Extra CA certificates (PEM) to trust besides the public roots, e.g. a local stand-in's. Verification stays on. */
  readonly ca?: string;
}

/** RFC 3986 encoding, exactly as SigV4 canonicalizes: the query is sent in the form that was signed. */
const rfc3986 = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The URL with its query re-encoded in SigV4's canonical form, so no server can decode it otherwise than it was signed. */
const canonicalized = (url: URL): URL => {
  const copy = new URL(url.href);
  copy.search = [...url.searchParams].map(([key, value]) => `${rfc3986(key)}=${rfc3986(value)}`).join('&');
  return copy;
};

/**
 * customHeaders, then the auth headers over any of the same name (HTTP names are case-insensitive).
 *
 * @example
 * headersWith([['Authorization', 'x'], ['X-A', '1']], { modes: ['bearer'], authorization: 'Bearer t' });
 * // { 'X-A': '1', authorization: 'Bearer t' }
 */
const headersWith = (custom: readonly (readonly [string, string])[], auth: PrometheusAuth | undefined): Record<string, string> => {
  const set: [string, string][] = [];
  if (auth?.authorization !== undefined) set.push(['authorization', auth.authorization]);
  if (auth?.custom !== undefined) set.push([auth.custom.header, auth.custom.value]);
  const replaced = new Set(set.map(([name]) => name.toLowerCase()));
  return Object.fromEntries([...custom.filter(([name]) => !replaced.has(name.toLowerCase())), ...set]);
};

const createPrometheusHttp = ({ clients, clock = Date.now, ca }: PrometheusHttpOptions): PrometheusHttp => {
  // node:http, node:https and node:tls are imported with the first direct request: on Node 22 a static
  // import of node:http loads undici, about 20 ms of every cold start, node:https and node:tls another
  // ~15 (bench/bundles.ts), and most groups never ask Prometheus.
  let modules: { readonly http: typeof import('node:http'); readonly https: typeof import('node:https'); readonly roots: readonly string[] } | undefined;
  let agents: { readonly http: HttpAgent; readonly https: HttpsAgent } | undefined;
  const load = async () => {
    if (modules === undefined) {
      const [http, https, { rootCertificates }] = await Promise.all([import('node:http'), import('node:https'), import('node:tls')]);
      // The deployment's CA is added to the system roots, as KEDA does.
      const trusted = ca === undefined ? undefined : [...rootCertificates, ca];
      modules = { http, https, roots: trusted ?? rootCertificates };
      agents = {
        http: new http.Agent({ keepAlive: true }),
        https: new https.Agent({ keepAlive: true, ...(trusted === undefined ? {} : { ca: trusted }) }),
      };
    }
    return { modules, agents: agents! };
  };
  // Keyed by a digest, so that no certificate or key is kept as a map key or shown by a debugger's view of it.
  const tlsAgents = new BoundedMap<string, HttpsAgent>(MAX_TLS_AGENTS);
  const httpsAgentFor = ({ https, roots }: NonNullable<typeof modules>, defaultAgent: HttpsAgent, tls: PrometheusAuth['tls']): HttpsAgent => {
    if (tls === undefined) return defaultAgent;
    const key = createHash('sha256').update(JSON.stringify([tls.ca ?? '', tls.cert ?? '', tls.key ?? ''])).digest('hex');
    let agent = tlsAgents.get(key);
    if (agent === undefined) {
      // KEDA appends `ca` to the system roots (it does not replace them); verification stays on.
      agent = new https.Agent({ keepAlive: true, ca: [...roots, ...(tls.ca === undefined ? [] : [tls.ca])], ...(tls.cert === undefined ? {} : { cert: tls.cert }), ...(tls.key === undefined ? {} : { key: tls.key }) });
      tlsAgents.set(key, agent);
    }
    return agent;
  };

  const get = async (url: URL, headers: Readonly<Record<string, string>>, { timeoutMs, signal, auth }: SendOptions, base: string): Promise<HttpAnswer> => {
    const loaded = await load();
    return new Promise((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(new TriggerReadError(`abandoned before asking ${base}: ${errorMessage(signal.reason)}`, { cause: signal.reason }));
        return;
      }
      const secure = url.protocol === 'https:';
      const send = secure ? loaded.modules.https.request : loaded.modules.http.request;
      const aborts = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(signal === undefined ? [] : [signal])]);
      const req = send(url, { method: 'GET', agent: secure ? httpsAgentFor(loaded.modules, loaded.agents.https, auth?.tls) : loaded.agents.http, headers: { accept: 'application/json', ...headers }, signal: aborts }, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            req.destroy(new TriggerReadError(`the response from ${base} is larger than ${MAX_BODY_BYTES} bytes; the query must return one series`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', reject);
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', (error) => {
        if (error instanceof TriggerReadError) reject(error);
        else if (signal?.aborted === true) reject(new TriggerReadError(`abandoned before ${base} answered: ${errorMessage(signal.reason)}`, { cause: signal.reason }));
        else if (error.name === 'AbortError' || error.name === 'TimeoutError') reject(new TriggerReadError(`no answer from ${base} within ${timeoutMs} ms`, { cause: error }));
        else reject(new TriggerReadError(`GET ${base}/api/v1/query: ${describeError(error)}`, { cause: error }));
      });
      req.end();
    });
  };

  /** SigV4 for Amazon Managed Service for Prometheus: service `aps`, the workspace's region. */
  const signedHeaders = async (url: URL, headers: Readonly<Record<string, string>>, region: string, roleArn: string | undefined): Promise<Record<string, string>> => {
    const { Hash, HttpRequest, SignatureV4 } = await loadSigning();
    const signer = new SignatureV4({ credentials: clients.credentials({ region, roleArn }), region, service: 'aps', sha256: Hash.bind(null, 'sha256') });
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const values = url.searchParams.getAll(key);
      query[key] = values.length === 1 ? (values[0] as string) : values;
    }
    const unsigned = new HttpRequest({ method: 'GET', protocol: url.protocol, hostname: url.hostname, path: url.pathname, query, headers: { ...headers, host: url.host } });
    try {
      return (await signer.sign(unsigned, { signingDate: new Date(clock()) })).headers;
    } catch (error) {
      throw new TriggerReadError(`signing the request to ${url.origin}${url.pathname} (SigV4, service aps, ${region}): ${describeError(error)}`, { cause: error });
    }
  };

  return {
    send: async (server, request, options) => {
      const { auth } = options;
      const refused = auth === undefined ? undefined : serverProblem(auth.modes, server, auth.custom?.header, auth.tls?.ca !== undefined);
      if (refused !== undefined) throw new TriggerReadError(`authModes ${refused}`);
      const headers = headersWith(request.headers, auth);
      switch (server.kind) {
        case 'direct':
          if (auth?.tls?.cert !== undefined && !server.base.startsWith('https:')) {
            throw new TriggerReadError(`authModes "tls" needs an https serverAddress (a client certificate is presented in the TLS handshake), and ${server.base} is http`);
          }
          return get(new URL(server.base + request.path), headers, options, server.base);
        case 'amp': {
          const url = canonicalized(new URL(server.base + request.path));
          return get(url, await signedHeaders(url, headers, server.region, options.roleArn), options, server.base);
        }
        case 'service': {
          const { cluster, timeoutMs, signal } = options;
          if (cluster === undefined) throw new TriggerReadError(`${server.proxyName} in namespace ${server.namespace} is an in-cluster Service, reached through the Kubernetes API, and no cluster is connected`);
          return cluster.proxyGet({ namespace: server.namespace, proxyName: server.proxyName, path: server.basePath + request.path, headers: Object.entries(headers), timeoutMs, signal });
        }
      }
    },
    close: () => {
      agents?.http.destroy();
      agents?.https.destroy();
      for (const agent of tlsAgents.values()) agent.destroy();
    },
  };
};

export { MAX_BODY_BYTES, createPrometheusHttp, headersWith };
export type { HttpAnswer, PrometheusHttp, PrometheusHttpOptions, SendOptions };
