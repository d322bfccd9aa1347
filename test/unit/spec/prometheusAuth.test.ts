/**
 * Prometheus authModes: KEDA's rules (authentication_types.go Validate; KEDA's own auth table is in
 * test/conformance/kedaPrometheus.test.ts), and LPA's refusals of what KEDA would silently not send.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAuthenticationRefs } from '../../../shared/spec/auth/references.js';
import { parseTriggerAuthentication } from '../../../shared/spec/auth/triggerAuthentication.js';
import type { TriggerAuthentication } from '../../../shared/spec/auth/types.js';
import { parseScaledObject } from '../../../shared/spec/index.js';
import { parseAuthModes, prometheusAuthOf } from '../../../shared/spec/triggers/prometheusAuth.js';
import type { PrometheusTrigger } from '../../../shared/spec/types.js';
import { principalOf } from '../../../shared/triggers/prometheus.js';
import { headersWith } from '../../../shared/triggers/prometheusHttp.js';
import { prometheusTrigger, requestsFor } from '../triggers/requests.js';
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

  it('refuses customHeaders the API server removes for an in-cluster address (KEDA users write Authorization=… there)', () => {
    const result = parse({ serverAddress: IN_CLUSTER, customHeaders: 'X-Tenant=a,Authorization=Bearer x' }, false);

    expect(!result.ok && result.issues.map((i) => [i.path, i.message])).toEqual([['spec.triggers[0].metadata.customHeaders', expect.stringContaining('cannot send Authorization: serverAddress is an in-cluster Service')]]);
  });

  it('accepts custom against an in-cluster address (a non-Authorization header passes the proxy)', () => {
    expect(parse({ serverAddress: IN_CLUSTER, authModes: 'custom' }).ok).toBe(true);
  });

  it('refuses authModes against an AMP workspace (KEDA signs only without them)', () => {
    const result = parse({ serverAddress: AMP, authModes: 'bearer' });

    expect(!result.ok && result.issues.map((i) => i.message)).toEqual([expect.stringContaining('signs requests with SigV4 only when no authModes are set')]);
  });

  it('refuses a credential written in the metadata: KEDA reads it from the TriggerAuthentication only', () => {
    const result = parse({ serverAddress: 'https://prometheus.internal.example', authModes: 'bearer', bearerToken: 'plain-text' });

    expect(!result.ok && result.issues.map((i) => [i.path, i.message])).toEqual([['spec.triggers[0].metadata.bearerToken', 'is read from a TriggerAuthentication only (KEDA: order=authParams); move it there']]);
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

describe('Function: principalOf (authModes from the TriggerAuthentication)', () => {
  const [request] = requestsFor('checkout', [prometheusTrigger({ serverAddress: 'https://prometheus.internal.example' })]);
  const server = { kind: 'direct', base: 'https://prometheus.internal.example' } as const;

  it('states the rule without quoting a bad value (it may come from a Secret)', () => {
    expect(() => principalOf({ ...(request as NonNullable<typeof request>), authParams: { authModes: 'hunter2-secret' } }, server)).toThrow(
      /^authModes from the TriggerAuthentication must be a comma-separated list of bearer, basic, tls, custom$/,
    );
  });

  it('lets the metadata authModes win over the TriggerAuthentication\'s (KEDA order=triggerMetadata;authParams)', () => {
    const metadataFirst = { ...(request as NonNullable<typeof request>), trigger: prometheusTrigger({ serverAddress: server.base, authModes: ['custom'] }), authParams: { authModes: 'bearer', customAuthHeader: 'X-A', customAuthValue: 'b' } };

    expect(principalOf(metadataFirst, server)).toEqual({ auth: { modes: ['custom'], custom: { header: 'X-A', value: 'b' } } });
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
