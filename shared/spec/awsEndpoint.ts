/**
 * Where a trigger's `awsEndpoint` may point. LPA signs every AWS call with SigV4 and the request
 * carries the role's session token, and the endpoint also decides the metric value LPA scales on:
 * a manifest must not be able to send those to a host of its choosing, nor in cleartext. So the
 * endpoint is https to an AWS service host, or to a host the operator trusts explicitly (the
 * construct's `trustedAwsEndpoints`, the functions' LPA_TRUSTED_AWS_ENDPOINTS, the CLI's
 * `--trust-aws-endpoint`); never anything the manifest itself says.
 *
 * AWS hosts: `*.amazonaws.com` (regional, FIPS and VPC endpoint names such as
 * `vpce-0a1b-c2d3.sqs.us-east-1.vpce.amazonaws.com`), `*.amazonaws.com.cn` (China), and the
 * dual-stack `*.api.aws` / `*.api.amazonwebservices.com.cn`.
 */
import { echo, quote } from './echo.js';

const AWS_HOST_SUFFIXES: readonly string[] = ['.amazonaws.com', '.amazonaws.com.cn', '.api.aws', '.api.amazonwebservices.com.cn'];
const DNS_NAME = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

/** What the operator trusts beyond LPA's own rules: configuration, never input. */
interface Trust {
  /**
   * Hosts an `awsEndpoint` may name besides AWS's own: `host` (https only) or `http://host` (plain
   * http too, for local stand-ins such as `http://127.0.0.1` or `http://localhost`). Any port.
   */
  readonly awsEndpoints?: readonly string[];
}

interface TrustedHost {
  readonly host: string;
  readonly allowsHttp: boolean;
}

const isAwsHost = (host: string): boolean => DNS_NAME.test(host) && AWS_HOST_SUFFIXES.some((suffix) => host.endsWith(suffix));

/** `host`, `http://host` or `https://host` (a DNS name or an IP literal); no port, path or credentials. */
const TRUST_ENTRY = /^(?:(https?):\/\/)?([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])\/?$/;

/** One trust entry read, or undefined when it is not one. */
const parseTrustEntry = (entry: string): TrustedHost | undefined => {
  const match = TRUST_ENTRY.exec(entry.trim());
  if (match === null) return undefined;
  try {
    // URL normalizes case and IPv6 spelling exactly as it does for the endpoint compared with it.
    return { host: new URL(`https://${match[2] as string}`).hostname, allowsHttp: match[1]?.toLowerCase() === 'http' };
  } catch {
    return undefined; // e.g. `[::1::2]`: bracketed, but no IPv6 address
  }
};

const trustEntryProblem = (entry: string): string | undefined =>
  parseTrustEntry(entry) === undefined
    ? `${quote(entry)} must be a host name or IP address, optionally after http:// or https://, with no port, path or credentials`
    : undefined;

/**
 * Why `text` may not be used as an `awsEndpoint` under `trust`, or undefined when it may.
 *
 * @example
 * awsEndpointProblem('http://127.0.0.1:4566', { awsEndpoints: ['http://127.0.0.1'] }) // undefined
 */
const awsEndpointProblem = (text: string, trust: Trust = {}): string | undefined => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an https URL of an AWS endpoint, e.g. https://sqs.eu-west-1.amazonaws.com';
  }
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  const host = url.hostname;
  const trusted = (trust.awsEndpoints ?? []).map(parseTrustEntry).find((entry) => entry?.host === host);
  const scheme = url.protocol;
  if (scheme !== 'https:' && !(scheme === 'http:' && trusted?.allowsHttp === true)) {
    return `must be https: signed AWS requests carry the role's session token${
      trusted === undefined ? '' : ` (to allow plain http to ${echo(host)}, trust it as http://${echo(host)})`
    }`;
  }
  if (trusted !== undefined || isAwsHost(host)) return undefined;
  return (
    `must be an AWS endpoint (a host under ${AWS_HOST_SUFFIXES.map((s) => `*${s}`).join(', ')}), got host ${echo(host)}; ` +
    'if it is yours, trust it in the deployment (trustedAwsEndpoints, LPA_TRUSTED_AWS_ENDPOINTS, lpa --trust-aws-endpoint)'
  );
};

export { awsEndpointProblem, trustEntryProblem };
export type { Trust };
