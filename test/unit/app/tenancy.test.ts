/**
 * The cluster source's tenancy gate (shared/app/tenancy.ts): TriggerAuthentications fetched once and
 * checked, objects rewritten to read as their namespace's role, and one refusal never stopping others.
 */
import { describe, expect, it } from 'vitest';
import type { Tenancy } from '../../../shared/access/tenancy.js';
import { gateTenancy, guardResolvedEndpoints } from '../../../shared/app/tenancy.js';
import type { AuthResolver } from '../../../shared/auth/resolve.js';
import { parseScaledObject } from '../../../shared/spec/parse.js';
import type { ScaledObject } from '../../../shared/spec/types.js';

const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/shop-reader`;
const QUEUE = `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/orders`;
const SHOP_QUEUE = `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/shop-orders`;

const scaledObject = (name: string, trigger: Record<string, unknown>): ScaledObject => {
  const parsed = parseScaledObject({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name, namespace: 'shop' }, spec: { scaleTargetRef: { name }, triggers: [trigger] } });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.scaledObject;
};

const sqs = (extra: Record<string, unknown> = {}) => ({ type: 'aws-sqs-queue', metadata: { queueURL: QUEUE, awsRegion: 'eu-west-1' }, ...extra });
const auth = (spec: Record<string, unknown>) => ({ apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication', metadata: { name: 'auth', namespace: 'shop' }, spec });

/** A reader that answers from a map and counts its calls. */
const reader = (objects: Record<string, unknown>) => {
  const calls: string[] = [];
  return {
    calls,
    getTriggerAuthentication: async (_kind: string, namespace: string | undefined, name: string) => {
      calls.push(`${namespace}/${name}`);
      const object = objects[name];
      if (object instanceof Error) throw object;
      return object;
    },
  };
};

const candidate = (so: ScaledObject) => ({ item: so.metadata.name, scaledObject: so });
const tenancy = (allowance: NonNullable<Tenancy['otherNamespaces']>): Tenancy => ({ account: ACCOUNT, namespaces: { shop: allowance } });

describe('gateTenancy', () => {
  it('rewrites the AWS triggers of a namespace with a role to read as it', async () => {
    const verdicts = await gateTenancy([candidate(scaledObject('a', sqs()))], tenancy({ roleArn: ROLE }), reader({}));
    expect(verdicts.admitted.map((a) => (a.scaledObject.spec.triggers[0]?.metadata as { awsRoleArn?: string }).awsRoleArn)).toEqual([ROLE]);
  });

  it('gives a TriggerAuthentication without a role the namespace\'s role', async () => {
    const verdicts = await gateTenancy([candidate(scaledObject('a', sqs({ authenticationRef: { name: 'auth' } })))], tenancy({ roleArn: ROLE }), reader({ auth: auth({ podIdentity: { provider: 'aws' } }) }));
    expect(verdicts.authentications.map((a) => a.spec.podIdentity?.roleArn)).toEqual([ROLE]);
  });

  it('fetches a TriggerAuthentication once for every object that references it', async () => {
    const kube = reader({ auth: auth({ podIdentity: { provider: 'aws' } }) });
    await gateTenancy([candidate(scaledObject('a', sqs({ authenticationRef: { name: 'auth' } }))), candidate(scaledObject('b', sqs({ authenticationRef: { name: 'auth' } })))], tenancy({ roleArn: ROLE }), kube);
    expect(kube.calls).toEqual(['shop/auth']);
  });

  it('refuses an object whose TriggerAuthentication cannot be read, since it cannot be checked', async () => {
    const verdicts = await gateTenancy([candidate(scaledObject('a', sqs({ authenticationRef: { name: 'auth' } })))], tenancy({ roleArn: ROLE }), reader({ auth: new Error('403 Forbidden') }));
    expect(verdicts.refused.map((r) => r.message)).toEqual([
      "authenticationRef cannot be checked against the namespace's allowance: TriggerAuthentication shop/auth: 403 Forbidden",
    ]);
  });

  it('refuses an object whose TriggerAuthentication is also one of the construct\'s manifests: the one checked must be the one read', async () => {
    const manifest = { kind: 'TriggerAuthentication' as const, metadata: { name: 'auth', namespace: 'shop' }, spec: { secretTargetRef: [] } };
    const verdicts = await gateTenancy([candidate(scaledObject('a', sqs({ authenticationRef: { name: 'auth' } })))], tenancy({ roleArn: ROLE }), reader({}), { manifests: [manifest] });
    expect(verdicts.refused.map((r) => r.message)).toEqual([
      "authenticationRef: TriggerAuthentication shop/auth is also one of the construct's manifests; an object from the cluster may only use the cluster's: keep one",
    ]);
  });

  it('admits the others when one object is refused', async () => {
    const verdicts = await gateTenancy(
      [candidate(scaledObject('outside', sqs())), candidate(scaledObject('inside', sqs({ metadata: { queueURL: SHOP_QUEUE, awsRegion: 'eu-west-1' } })))],
      tenancy({ awsResources: [`arn:aws:sqs:eu-west-1:${ACCOUNT}:shop-*`] }),
      reader({}),
    );
    expect([verdicts.admitted.map((a) => a.item), verdicts.refused.map((r) => r.item)]).toEqual([['inside'], ['outside']]);
  });
});

describe('gateTenancy: ClusterTriggerAuthentications', () => {
  const SHARED_ROLE = `arn:aws:iam::${ACCOUNT}:role/keda-shared`;
  const cta = (spec: Record<string, unknown>) => ({ apiVersion: 'keda.sh/v1alpha1', kind: 'ClusterTriggerAuthentication', metadata: { name: 'shared' }, spec });
  const usingShared = (name: string) => candidate(scaledObject(name, sqs({ authenticationRef: { name: 'shared', kind: 'ClusterTriggerAuthentication' } })));
  const allowed: Tenancy = { account: ACCOUNT, namespaces: { shop: { clusterTriggerAuthentications: ['shared'] } }, clusterTriggerAuthentications: { shared: { roleArn: SHARED_ROLE } } };

  it('fetches an allowed ClusterTriggerAuthentication once, cluster-scoped, and hands the checked object to the tick', async () => {
    const kube = reader({ shared: cta({ podIdentity: { provider: 'aws', roleArn: SHARED_ROLE } }) });
    const verdicts = await gateTenancy([usingShared('a'), usingShared('b')], allowed, kube);
    expect([kube.calls, verdicts.admitted.length, verdicts.authentications.map((a) => `${a.kind}/${a.metadata.name}`)]).toEqual([['undefined/shared'], 2, ['ClusterTriggerAuthentication/shared']]);
  });

  it('refuses the objects that use a ClusterTriggerAuthentication reading outside its declaration, naming it', async () => {
    const verdicts = await gateTenancy([usingShared('a')], allowed, reader({ shared: cta({ podIdentity: { provider: 'aws', roleArn: ROLE } }) }));
    expect(verdicts.refused[0]?.message).toContain(
      `spec.triggers[0].authenticationRef.spec.podIdentity.roleArn: role ${ROLE} is not allowed for ClusterTriggerAuthentication shared (tenants.clusterTriggerAuthentications.shared: its reads are made as roleArn ${SHARED_ROLE}; name that role or none)`,
    );
  });

  it('names an undeclared Secret of a ClusterTriggerAuthentication in the cluster object namespace it is given', async () => {
    const kube = reader({ shared: cta({ secretTargetRef: [{ parameter: 'apiKey', name: 'dd-keys', key: 'api' }] }) });
    const verdicts = await gateTenancy([usingShared('a')], allowed, kube, { clusterObjectNamespace: 'keda-system' });
    expect(verdicts.refused[0]?.message).toContain('Secret keda-system/dd-keys is not allowed for ClusterTriggerAuthentication shared');
  });

  it('never fetches a ClusterTriggerAuthentication the namespace may not reference', async () => {
    const kube = reader({ shared: cta({}) });
    const verdicts = await gateTenancy([usingShared('a')], { ...allowed, namespaces: { shop: {} } }, kube);
    expect([kube.calls, verdicts.refused.length]).toEqual([[], 1]);
  });

  it('checks a ClusterTriggerAuthentication of the construct\'s manifests, the one resolution reads, instead of fetching it', async () => {
    const kube = reader({});
    const manifest = { kind: 'ClusterTriggerAuthentication' as const, metadata: { name: 'shared' }, spec: { secretTargetRef: [], podIdentity: { provider: 'aws' as const, roleArn: ROLE } } };
    const verdicts = await gateTenancy([usingShared('a')], allowed, kube, { manifests: [manifest] });
    expect([kube.calls, verdicts.refused.length, verdicts.authentications]).toEqual([[], 1, []]);
  });

  it('refuses the objects whose ClusterTriggerAuthentication cannot be read', async () => {
    const verdicts = await gateTenancy([usingShared('a')], allowed, reader({ shared: new Error('403 Forbidden') }));
    expect(verdicts.refused.map((r) => r.message)).toEqual(["authenticationRef cannot be checked against the namespace's allowance: ClusterTriggerAuthentication shared: 403 Forbidden"]);
  });
});

describe('guardResolvedEndpoints', () => {
  const datadog = { type: 'datadog', metadata: { query: 'avg:nginx.requests{*}', queryValue: '10' }, authenticationRef: { name: 'dd' } };
  const resolving = (datadogSite: string): AuthResolver => ({ resolve: async (targets) => targets.map(() => ({ ok: true, authParams: { apiKey: 'k', appKey: 'a', datadogSite } })) });
  const context = { cluster: 'demo', authentications: [], kube: { getSecret: async () => ({}), getTriggerAuthentication: async () => undefined } };

  it('fails a cluster object\'s Datadog trigger whose site from its Secret its namespace may not reach', async () => {
    const so = scaledObject('a', datadog);
    const guarded = guardResolvedEndpoints(resolving('internal.corp'), tenancy({ endpoints: ['api.datadoghq.eu'] }), new Set([so]));
    expect(await guarded.resolve([{ scaledObject: so, trigger: so.spec.triggers[0] as never }], context)).toEqual([
      { ok: false, error: 'spec.triggers[0].authenticationRef (datadogSite): host api.internal.corp is not allowed for namespace shop (tenants.namespaces.shop: endpoints api.datadoghq.eu)' },
    ]);
  });

  it('leaves the manifests\' objects alone: they are trusted', async () => {
    const so = scaledObject('a', datadog);
    const guarded = guardResolvedEndpoints(resolving('internal.corp'), tenancy({}), new Set());
    expect((await guarded.resolve([{ scaledObject: so, trigger: so.spec.triggers[0] as never }], context))[0]?.ok).toBe(true);
  });
});
