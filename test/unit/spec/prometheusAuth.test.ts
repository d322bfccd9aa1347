/**
 * Prometheus authModes: KEDA's rules (prometheus_scaler_test.go testPrometheusAuthMetadata,
 * authentication_types.go Validate) through LPA's own parse and runtime path, and LPA's refusals
 * of what KEDA would silently not send.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAuthenticationRefs } from '../../../shared/spec/auth/references.js';
import { parseTriggerAuthentication } from '../../../shared/spec/auth/triggerAuthentication.js';
import type { TriggerAuthentication } from '../../../shared/spec/auth/types.js';
import { parseScaledObject } from '../../../shared/spec/index.js';
import { parseAuthModes, prometheusAuthOf } from '../../../shared/spec/triggers/prometheusAuth.js';
import { prometheusServerOf } from '../../../shared/spec/triggers/prometheusServer.js';
import type { PrometheusTrigger, ScaledObject } from '../../../shared/spec/types.js';
import { principalOf } from '../../../shared/triggers/prometheus.js';
import { headersWith } from '../../../shared/triggers/prometheusHttp.js';
import { manifest, valid } from './fixtures.js';
import type { Json } from './fixtures.js';

const IN_CLUSTER = 'http://prometheus-server.monitoring.svc.cluster.local:9090';
const AMP = 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-5e7a1c2d-0b4f-4d6e-9a8b-1c2d3e4f5a6b';

const parse = (metadata: Json, withRef = true) =>
  parseScaledObject(
    manifest((so) => {
      so.spec.triggers = [{ type: 'prometheus', metadata: { query: 'up', threshold: '100', ...metadata }, ...(withRef ? { authenticationRef: { name: 'prom-auth' } } : {}) }];
    }),
  );

/** KEDA's parse of a row: metadata through `lpa validate`'s schema, then the reader's runtime rules with the row's authParams. */
const kedaParse = (metadata: Record<string, string>, authParams: Record<string, string> | null, podIdentity: boolean): 'ok' | 'error' => {
  const parsed = parse(metadata);
  if (!parsed.ok) return 'error';
  const scaledObject: ScaledObject = parsed.scaledObject;
  const trigger = scaledObject.spec.triggers[0] as PrometheusTrigger;
  const located = prometheusServerOf(trigger.metadata.serverAddress);
  if (!located.ok) return 'error';
  try {
    principalOf({ scaledObject, trigger, authParams: authParams ?? {}, ...(podIdentity ? { podIdentity: { provider: 'aws' } } : {}) }, located.server);
    return 'ok';
  } catch {
    return 'error';
  }
};

const base = { serverAddress: 'http://localhost:9090', metricName: 'http_requests_total', threshold: '100', query: 'up' };

describe('KEDA prometheus_scaler_test.go testPrometheusAuthMetadata', () => {
  // Rows in KEDA's order; KEDA's podIdentity rows use Azure providers, which LPA's TriggerAuthentication
  // refuses at parse time, so "a podIdentity" stands in for them (the rule is provider-independent).
  it.each<{ row: string; modes?: string; params: Record<string, string> | null; pod: boolean; expected: 'ok' | 'error' }>([
    { row: 'success TLS', modes: 'tls', params: { ca: 'caaa', cert: 'ceert', key: 'keey' }, pod: false, expected: 'ok' },
    { row: 'TLS, ca is optional', modes: 'tls', params: { cert: 'ceert', key: 'keey' }, pod: false, expected: 'ok' },
    { row: 'fail TLS, key not given', modes: 'tls', params: { ca: 'caaa', cert: 'ceert' }, pod: false, expected: 'error' },
    { row: 'fail TLS, cert not given', modes: 'tls', params: { ca: 'caaa', key: 'keey' }, pod: false, expected: 'error' },
    { row: 'success bearer default', modes: 'bearer', params: { bearerToken: 'tooooken' }, pod: false, expected: 'ok' },
    { row: 'fail bearerAuth with no token', modes: 'bearer', params: {}, pod: false, expected: 'error' },
    { row: 'success basicAuth', modes: 'basic', params: { username: 'user', password: 'pass' }, pod: false, expected: 'ok' },
    { row: 'fail basicAuth with no username', modes: 'basic', params: {}, pod: false, expected: 'error' },
    { row: '(unnamed) "tls, basic" with every parameter', modes: 'tls, basic', params: { ca: 'caaa', cert: 'ceert', key: 'keey', username: 'user', password: 'pass' }, pod: false, expected: 'ok' },
    { row: '(unnamed) "tls,basic" without cert and key', modes: 'tls,basic', params: { username: 'user', password: 'pass' }, pod: false, expected: 'error' },
    { row: 'success custom auth', modes: 'custom', params: { customAuthHeader: 'header', customAuthValue: 'value' }, pod: false, expected: 'ok' },
    { row: 'fail custom auth with no customAuthHeader', modes: 'custom', params: { customAuthHeader: '' }, pod: false, expected: 'error' },
    { row: 'fail custom auth with no customAuthValue', modes: 'custom', params: { customAuthValue: '' }, pod: false, expected: 'error' },
    { row: 'success custom auth with newlines in customAuthHeader', modes: 'custom', params: { customAuthHeader: 'header\n', customAuthValue: 'value\n' }, pod: false, expected: 'ok' },
    { row: 'pod identity and other auth modes enabled together', modes: 'basic', params: { username: 'user', password: 'pass' }, pod: true, expected: 'error' },
    { row: 'azure workload identity (no authModes)', modes: undefined, params: null, pod: true, expected: 'ok' },
  ])('$row → $expected', ({ modes, params, pod, expected }) => {
    expect(kedaParse({ ...base, ...(modes === undefined ? {} : { authModes: modes }) }, params, pod)).toBe(expected);
  });

  it('trims values as KEDA does: "header\\n" is sent as the header "header"', () => {
    const auth = prometheusAuthOf(['custom'], { customAuthHeader: 'header\n', customAuthValue: 'value\n' });

    expect(auth).toEqual({ ok: true, value: { modes: ['custom'], custom: { header: 'header', value: 'value' } } });
  });
});

describe('Function: parseAuthModes (KEDA enum and exclusiveSet, LPA refusals)', () => {
  it.each([
    ['tls, basic', ['tls', 'basic']],
    [' bearer ', ['bearer']],
    ['custom,tls', ['custom', 'tls']],
    ['', []],
  ])('accepts %j', (text, modes) => {
    expect(parseAuthModes(text)).toEqual({ ok: true, value: modes });
  });

  it.each([
    ['tls,', 'is not one'],
    ['digest', 'is not one'],
    ['bearer,basic', 'only one of bearer, basic, oauth'],
    ['apiKey', 'never sends the key'],
    ['oauth', 'never fetches a token'],
    ['bearer,custom', 'silently drops the custom one'],
  ])('refuses %j', (text, fragment) => {
    expect(parseAuthModes(text)).toEqual({ ok: false, message: expect.stringContaining(fragment) });
  });
});

describe('authModes in the ScaledObject', () => {
  it('normalizes metadata authModes (alias authMode) into the trigger', () => {
    const trigger = valid(parse({ serverAddress: 'https://prometheus.internal.example:9090', authMode: 'custom' })).spec.triggers[0] as PrometheusTrigger;

    expect(trigger.metadata.authModes).toEqual(['custom']);
  });

  it.each([
    ['bearer', 'removes the Authorization header after authenticating LPA'],
    ['basic', 'removes the Authorization header after authenticating LPA'],
    ['tls', 'a client certificate cannot pass it'],
  ])('refuses %s against an in-cluster address, saying why and what to do instead', (mode, why) => {
    const result = parse({ serverAddress: IN_CLUSTER, authModes: mode });

    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((i) => [i.path, i.message])).toEqual([
      ['spec.triggers[0].metadata.authModes', expect.stringMatching(new RegExp(`${why}.*internal load balancer.*"custom" with a header other than Authorization`))],
    ]);
  });

  it('accepts custom against an in-cluster address (a non-Authorization header passes the proxy)', () => {
    expect(parse({ serverAddress: IN_CLUSTER, authModes: 'custom' }).ok).toBe(true);
  });

  it('refuses authModes against an AMP workspace (KEDA signs only without them)', () => {
    const result = parse({ serverAddress: AMP, authModes: 'bearer' });

    expect(!result.ok && result.issues.map((i) => i.message)).toEqual([expect.stringContaining('signs requests with SigV4 only when no authModes are set')]);
  });

  it('needs an authenticationRef when the metadata names modes', () => {
    const result = parse({ serverAddress: 'https://prometheus.internal.example', authModes: 'tls' }, false);

    expect(!result.ok && result.issues.map((i) => [i.path, i.message])).toEqual([['spec.triggers[0].metadata.authModes', expect.stringContaining('needs cert, key from a TriggerAuthentication')]]);
  });
});

describe('Function: checkAuthenticationRefs (prometheus)', () => {
  const authentication = (spec: Json): TriggerAuthentication => {
    const parsed = parseTriggerAuthentication({ apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication', metadata: { name: 'prom-auth', namespace: 'shop' }, spec });
    if (!parsed.ok) return expect.fail(parsed.issues.map((i) => i.message).join('; '));
    return parsed.value;
  };
  const so = valid(parse({ serverAddress: 'https://prometheus.internal.example', authModes: 'bearer' }));

  it('reports a mode whose credential the referenced object does not provide', () => {
    const { issues } = checkAuthenticationRefs(so, [authentication({ secretTargetRef: [{ parameter: 'username', name: 'prom', key: 'user' }] })]);

    expect(issues.map((i) => i.message)).toEqual([expect.stringContaining('provides no bearerToken or token, which authModes "bearer" requires')]);
  });

  it('reports authModes beside the object\'s podIdentity (KEDA: "pod identity cannot be enabled with other auth types")', () => {
    const { issues } = checkAuthenticationRefs(so, [authentication({ podIdentity: { provider: 'aws' }, secretTargetRef: [{ parameter: 'bearerToken', name: 'prom', key: 'token' }] })]);

    expect(issues.map((i) => i.message)).toEqual([expect.stringContaining('authModes cannot be used with one')]);
  });

  it('reads bearerToken without an "unread parameter" warning', () => {
    const { issues, warnings } = checkAuthenticationRefs(so, [authentication({ secretTargetRef: [{ parameter: 'bearerToken', name: 'prom', key: 'token' }] })]);

    expect([issues, warnings]).toEqual([[], []]);
  });
});

describe('Function: headersWith', () => {
  it('lets the auth header replace a customHeaders entry of the same name (KEDA Header.Set after Header.Add)', () => {
    expect(headersWith([['Authorization', 'from-metadata'], ['X-Tenant', 'a']], { modes: ['bearer'], authorization: 'Bearer t' })).toEqual({ 'X-Tenant': 'a', authorization: 'Bearer t' });
  });

  it("encodes basic as Go's SetBasicAuth does", () => {
    const auth = prometheusAuthOf(['basic'], { username: 'user', password: 'pass' });

    expect(auth.ok && auth.value.authorization).toBe('Basic dXNlcjpwYXNz');
  });
});

describe('Property: credential values never appear in a refusal', () => {
  it('holds for any value of any parameter', () => {
    const names = ['bearerToken', 'username', 'password', 'ca', 'cert', 'key', 'customAuthHeader', 'customAuthValue'];
    fc.assert(
      fc.property(fc.subarray(names), fc.string({ minLength: 6 }).filter((s) => s.trim().length >= 6), fc.constantFrom('bearer', 'basic', 'tls', 'custom', 'tls,basic'), (given, secret, modes) => {
        const params = Object.fromEntries(given.map((name) => [name, `${secret}\u0001`]));
        const parsed = parseAuthModes(modes);
        const result = parsed.ok ? prometheusAuthOf(parsed.value, params) : parsed;
        return result.ok || !result.message.includes(secret.trim());
      }),
    );
  });
});
