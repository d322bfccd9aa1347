/**
 * Prometheus `authModes` (KEDA `pkg/scalers/authentication/authentication_types.go` `Config`, used by
 * `prometheus_scaler.go`), pure so that `lpa validate` and the reader apply the same rules:
 * - `authModes` (alias `authMode`) is read `order=triggerMetadata;authParams`: a comma list whose
 *   trimmed items are each one of KEDA's modes (`"tls, basic"` is fine, `"tls,"` is not), with at
 *   most one of `bearer`, `basic`, `oauth`;
 * - every credential is read from the TriggerAuthentication only: `bearerToken` (alias `token`),
 *   `username`/`password`, `ca`/`cert`/`key`, `customAuthHeader`/`customAuthValue`; values are trimmed
 *   and a blank one is absent (KEDA `configParamValue`);
 * - `Validate()`: bearer needs a token, basic needs `username` (the password may be empty), tls needs
 *   `cert` and `key` (`ca` is optional, and with any mode set `ca` alone adds a trusted CA), custom
 *   needs both header and value; authModes together with a podIdentity is an error.
 * KEDA has no `keyPassword` for Prometheus (its `CertAuth` has none), so neither has LPA.
 *
 * Where LPA is stricter, it refuses what KEDA would silently not send: `apiKey` and `oauth` (accepted
 * by KEDA's parser, applied by no code path of its Prometheus scaler); `custom` beside `bearer` or
 * `basic` (KEDA's request builder sets only the first); any mode against an AMP workspace (KEDA signs
 * with SigV4 only without authModes); and, for an in-cluster Service reached through the API server's
 * service proxy, the modes whose credentials cannot pass that proxy (see `serverProblem`).
 */
import type { PrometheusServer } from './prometheusServer.js';

type PrometheusAuthMode = 'bearer' | 'basic' | 'tls' | 'custom';

/** Resolved credentials. Values are secrets: they go into requests, never into messages. */
interface PrometheusAuth {
  readonly modes: readonly PrometheusAuthMode[];
  /** The `Authorization` header of bearer or basic. */
  readonly authorization?: string;
  /** custom: the header and its value. */
  readonly custom?: { readonly header: string; readonly value: string };
  /** A CA (PEM) trusted besides the public roots, and the client certificate and key of tls. */
  readonly tls?: { readonly ca?: string; readonly cert?: string; readonly key?: string };
}

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const SUPPORTED: readonly PrometheusAuthMode[] = ['bearer', 'basic', 'tls', 'custom'];
const KEDA_ONLY: Readonly<Record<string, string>> = {
  apiKey: '"apiKey" is accepted by KEDA but its prometheus scaler never sends the key; use "custom" with customAuthHeader and customAuthValue',
  oauth: '"oauth" is accepted by KEDA but its prometheus scaler never fetches a token; use "bearer" with a token, or "custom"',
};
const EXCLUSIVE = new Set(['bearer', 'basic', 'oauth']);

/** RFC 9110 `token`: what a header name may be. */
const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What Node refuses in a header value (and what would split a header). */
const CONTROL = /[\0-\x08\x0a-\x1f\x7f]/;

const MODES_RULE = `must be a comma-separated list of ${SUPPORTED.join(', ')}`;

/**
 * KEDA's enum and exclusiveSet checks, then LPA's refusals. Blank text means no modes.
 *
 * @example
 * parseAuthModes('tls, basic'); // { ok: true, value: ['tls', 'basic'] }
 * parseAuthModes('digest', { quote: false }); // { ok: false, message: 'must be a comma-separated list of bearer, basic, tls, custom' }
 */
const parseAuthModes = (text: string, { quote = true }: { readonly quote?: boolean } = {}): Outcome<PrometheusAuthMode[]> => {
  if (text.trim() === '') return { ok: true, value: [] };
  const items = text.split(',').map((item) => item.trim());
  const unknown = items.filter((item) => !SUPPORTED.includes(item as PrometheusAuthMode) && KEDA_ONLY[item] === undefined);
  if (unknown.length > 0) {
    // A value from a TriggerAuthentication may come from a Secret: then the rule only, not the text.
    return { ok: false, message: quote ? `${MODES_RULE}; ${unknown.map((item) => JSON.stringify(item)).join(', ')} is not one` : MODES_RULE };
  }
  if (items.filter((item) => EXCLUSIVE.has(item)).length > 1) return { ok: false, message: 'may contain only one of bearer, basic, oauth (KEDA exclusiveSet)' };
  const refused = items.find((item) => KEDA_ONLY[item] !== undefined);
  if (refused !== undefined) return { ok: false, message: KEDA_ONLY[refused] as string };
  const modes = [...new Set(items)] as PrometheusAuthMode[];
  if (modes.includes('custom') && (modes.includes('bearer') || modes.includes('basic'))) {
    return { ok: false, message: 'may not combine "custom" with "bearer" or "basic": KEDA sends only the bearer or basic header and silently drops the custom one; keep one of them' };
  }
  return { ok: true, value: modes };
};

const THROUGH_PROXY =
  "is an in-cluster Service, which LPA reaches through the Kubernetes API server's service proxy (services/proxy)";
const INSTEAD =
  "Use a serverAddress the functions reach directly (e.g. an internal load balancer or ingress in the functions' VPC, with vpcPlacement), " +
  'or authModes "custom" with a header other than Authorization that Prometheus or its gateway checks';

/**
 * Headers kube-apiserver deletes after authenticating a request (`WithAuthentication`): its own
 * `Authorization` and the standard front-proxy identity headers. Sent through the service proxy,
 * they never reach the Service.
 */
const removedByApiServer = (header: string): boolean => {
  const name = header.toLowerCase();
  return name === 'authorization' || name === 'x-remote-user' || name === 'x-remote-group' || name.startsWith('x-remote-extra-');
};

/**
 * Why the modes cannot work against `server`, or undefined. The API server authenticates LPA by the
 * `Authorization` header and deletes it before proxying, so bearer and basic never arrive; the proxy
 * opens its own connection to the Service, so no client certificate (tls) or CA of ours takes part.
 */
const serverProblem = (modes: readonly PrometheusAuthMode[], server: PrometheusServer, customHeader?: string, hasCa = false): string | undefined => {
  if (modes.length === 0) return undefined;
  if (server.kind === 'amp') {
    return `cannot be used with an Amazon Managed Service for Prometheus workspace: KEDA signs requests with SigV4 only when no authModes are set; remove authModes (the workspace is read with the functions' role, or podIdentity.roleArn / awsRoleArn)`;
  }
  if (server.kind !== 'service') return undefined;
  const where = `serverAddress ${THROUGH_PROXY}`;
  if (modes.includes('bearer') || modes.includes('basic')) {
    const mode = modes.includes('bearer') ? 'bearer' : 'basic';
    return `"${mode}" cannot reach Prometheus: ${where}, and the API server removes the Authorization header after authenticating LPA, so the credentials would be dropped. ${INSTEAD}`;
  }
  if (modes.includes('tls')) return `"tls" cannot reach Prometheus: ${where}, which opens its own connection to the Service, so a client certificate cannot pass it. ${INSTEAD}`;
  if (customHeader !== undefined && removedByApiServer(customHeader)) {
    return `"custom" with this customAuthHeader cannot reach Prometheus: ${where}, and the API server removes the Authorization and X-Remote-* headers after authenticating LPA. ${INSTEAD}`;
  }
  if (hasCa) return `with a ca from the TriggerAuthentication cannot be honoured: ${where}, which opens its own connection to the Service, so a CA of LPA's cannot verify it. Remove ca, or use a serverAddress the functions reach directly`;
  return undefined;
};

/** KEDA's lookup: present and not blank after trimming. */
const param = (params: Readonly<Record<string, string>>, ...names: string[]): string | undefined => {
  for (const name of names) {
    const value = params[name]?.trim();
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
};

/**
 * The credentials of `modes` from the TriggerAuthentication's parameters (KEDA `Config.Validate`).
 * Messages name parameters, never their values.
 *
 * @example
 * prometheusAuthOf(['bearer'], { bearerToken: 't0k' }); // { ok: true, value: { modes: ['bearer'], authorization: 'Bearer t0k' } }
 */
const prometheusAuthOf = (modes: readonly PrometheusAuthMode[], params: Readonly<Record<string, string>>): Outcome<PrometheusAuth> => {
  const missing = (what: string, mode: string): Outcome<PrometheusAuth> => ({ ok: false, message: `${what} required by authModes "${mode}" (from the TriggerAuthentication)` });
  let authorization: string | undefined;
  let custom: PrometheusAuth['custom'];
  if (modes.includes('bearer')) {
    const token = param(params, 'bearerToken', 'token');
    if (token === undefined) return missing('bearerToken is', 'bearer');
    if (CONTROL.test(token)) return { ok: false, message: 'bearerToken from the TriggerAuthentication contains control characters' };
    authorization = `Bearer ${token}`;
  }
  if (modes.includes('basic')) {
    const username = param(params, 'username');
    if (username === undefined) return missing('username is', 'basic');
    const password = param(params, 'password') ?? '';
    // Go's SetBasicAuth: base64 of "username:password".
    authorization = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
  }
  if (modes.includes('custom')) {
    const header = param(params, 'customAuthHeader');
    const value = param(params, 'customAuthValue');
    if (header === undefined || value === undefined) return missing('customAuthHeader and customAuthValue are', 'custom');
    if (!HTTP_TOKEN.test(header)) return { ok: false, message: "customAuthHeader from the TriggerAuthentication must be an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)" };
    if (CONTROL.test(value)) return { ok: false, message: 'customAuthValue from the TriggerAuthentication contains control characters' };
    custom = { header, value };
  }
  const ca = param(params, 'ca');
  let tls: PrometheusAuth['tls'];
  if (modes.includes('tls')) {
    const cert = param(params, 'cert');
    const key = param(params, 'key');
    if (cert === undefined || key === undefined) return missing('cert and key are', 'tls');
    tls = { cert, key, ...(ca === undefined ? {} : { ca }) };
  } else if (ca !== undefined && modes.length > 0) {
    tls = { ca };
  }
  return { ok: true, value: { modes, ...(authorization === undefined ? {} : { authorization }), ...(custom === undefined ? {} : { custom }), ...(tls === undefined ? {} : { tls }) } };
};

/** What a TriggerAuthentication may give a prometheus trigger (KEDA's `order=` tags). */
const PROMETHEUS_AUTH_PARAMETERS = [
  { name: 'authModes', inMetadata: true, required: false },
  { name: 'authMode', inMetadata: true, required: false },
  ...['bearerToken', 'token', 'username', 'password', 'ca', 'cert', 'key', 'customAuthHeader', 'customAuthValue', 'awsRoleArn'].map((name) => ({ name, inMetadata: false, required: false })),
] as const;

/** The parameters each mode needs from the TriggerAuthentication (any one of a list of aliases). */
const NEEDED_BY_MODE: Readonly<Record<PrometheusAuthMode, readonly (readonly string[])[]>> = {
  bearer: [['bearerToken', 'token']],
  basic: [['username']],
  tls: [['cert'], ['key']],
  custom: [['customAuthHeader'], ['customAuthValue']],
};

export { HTTP_TOKEN, NEEDED_BY_MODE, removedByApiServer, PROMETHEUS_AUTH_PARAMETERS, parseAuthModes, prometheusAuthOf, serverProblem };
export type { PrometheusAuth, PrometheusAuthMode };
