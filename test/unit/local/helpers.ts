/**
 * Test-side tools for the local servers: an EKS token minted with @smithy/signature-v4 (an implementation
 * independent of the server's verifier) and an HTTPS client that verifies the server with its CA.
 */
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Agent, request } from 'undici';
import { startKubeApi } from '../../../dev/local/kubeApi.js';
import type { KubeApiHandle, RbacBinding } from '../../../dev/local/kubeApi.js';

interface TestCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

interface MintOptions {
  readonly credentials: TestCredentials;
  readonly clusterName: string;
  /** Signing region. */
  readonly region: string;
  readonly signingDate: Date;
  /** Default `sts.<region>.amazonaws.com`. */
  readonly host?: string;
  /** Default `https`. */
  readonly scheme?: string;
  /** Default 60, what `aws eks get-token` sends. */
  readonly expiresIn?: number;
  /** Extra (signed) query parameters; an array repeats the key. */
  readonly extraQuery?: Record<string, string | string[]>;
  /** Default true: sign `x-k8s-aws-id`. */
  readonly signClusterId?: boolean;
  /** Default `k8s-aws-v1.` */
  readonly prefix?: string;
}

const encode = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `k8s-aws-v1.` + base64url(presigned STS GetCallerIdentity URL), as `aws eks get-token` builds it. */
const mintToken = async (options: MintOptions): Promise<string> => {
  const host = options.host ?? `sts.${options.region}.amazonaws.com`;
  const signer = new SignatureV4({
    credentials: options.credentials,
    region: options.region,
    service: 'sts',
    sha256: Hash.bind(null, 'sha256'),
  });
  const unsigned = new HttpRequest({
    method: 'GET',
    protocol: `${options.scheme ?? 'https'}:`,
    hostname: host,
    path: '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15', ...options.extraQuery },
    headers: { host, ...(options.signClusterId === false ? {} : { 'x-k8s-aws-id': options.clusterName }) },
  });
  const signed = await signer.presign(unsigned, { expiresIn: options.expiresIn ?? 60, signingDate: options.signingDate });
  const query = Object.entries(signed.query ?? {})
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${encode(key)}=${encode(String(v))}`))
    .join('&');
  const url = `${options.scheme ?? 'https'}://${host}/?${query}`;
  return `${options.prefix ?? 'k8s-aws-v1.'}${Buffer.from(url).toString('base64url')}`;
};

interface KubeCall {
  readonly method?: string;
  readonly path: string;
  readonly token?: string;
  readonly body?: string;
  readonly contentType?: string;
}

interface KubeReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  readonly json: unknown;
}

/** One agent per server, trusting only that server's CA. */
const kubeClient = (kube: KubeApiHandle) => {
  const dispatcher = new Agent({ connect: { ca: kube.caPem } });
  const call = async ({ method = 'GET', path, token, body, contentType }: KubeCall): Promise<KubeReply> => {
    const response = await request(`${kube.url}${path}`, {
      dispatcher,
      method: method as 'GET',
      headers: {
        accept: 'application/json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        ...(contentType === undefined ? {} : { 'content-type': contentType }),
      },
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text, json: text === '' ? undefined : JSON.parse(text) };
  };
  return { call, close: () => dispatcher.close() };
};

const CLUSTER = 'demo';
const REGION = 'eu-west-1';
const ADMIN_TOKEN = 'static-admin-token-0123456789abcdef';
const SCALER = { accessKeyId: 'AKIDSCALER000000', secretAccessKey: 'scaler-secret-key', username: 'scaler', groups: [] };
/** The Role of the recorded cluster (team notes `kube-api-responses.md` §3). */
const SCALER_RBAC: RbacBinding[] = [
  {
    subjects: { users: ['scaler'] },
    namespace: 'demo',
    rules: [
      { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch', 'update'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
    ],
  },
];

/** A server for cluster `demo` with user `scaler` (EKS token) and `admin` (static token, system:masters). */
const startFixture = async (clock: { now: number }) => {
  const kube = await startKubeApi({
    clusterName: CLUSTER,
    region: REGION,
    identities: [SCALER],
    rbac: SCALER_RBAC,
    now: () => clock.now,
    staticTokens: { [ADMIN_TOKEN]: { username: 'admin', groups: ['system:masters'] } },
  });
  const client = kubeClient(kube);
  const scalerToken = () =>
    mintToken({ credentials: SCALER, clusterName: CLUSTER, region: REGION, signingDate: new Date(clock.now) });
  const close = async () => {
    await client.close();
    await kube.close();
  };
  return { kube, call: client.call, scalerToken, close };
};

export { ADMIN_TOKEN, CLUSTER, REGION, SCALER, kubeClient, mintToken, startFixture };
export type { KubeCall, KubeReply, MintOptions, TestCredentials };
