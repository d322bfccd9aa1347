import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { createAuthResolver, type AuthObjectsClient } from '../../../shared/auth/resolve.js';
import type { SecretsManagerTarget } from '../../../shared/auth/secretsManager.js';
import { parseTriggerAuthentication } from '../../../shared/spec/auth/triggerAuthentication.js';
import type { TriggerAuthentication } from '../../../shared/spec/auth/types.js';
import type { ScaledObject, Trigger } from '../../../shared/spec/types.js';
import { groupOf, sqsScaledObject } from '../../helpers/manifests.js';

const SECRET = 'NRAK-THIS-MUST-NEVER-LEAK';
const ROLE = 'arn:aws:iam::123456789012:role/reader';

const authDocument = (spec: Record<string, unknown>, name = 'keys', kind = 'TriggerAuthentication') => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind,
  metadata: kind === 'TriggerAuthentication' ? { name, namespace: 'shop' } : { name },
  spec,
});

const authOf = (document: unknown): TriggerAuthentication => {
  const parsed = parseTriggerAuthentication(document);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
};

/** One SQS object per name, its trigger pointing at the given authentication. */
const targetsOf = (refs: readonly (Record<string, string> | undefined)[]): { scaledObject: ScaledObject; trigger: Trigger }[] =>
  groupOf(
    refs.map((ref, i) => {
      const manifest = sqsScaledObject(`so-${i}`) as { spec: { triggers: Record<string, unknown>[] } };
      const trigger = manifest.spec.triggers[0] as Record<string, unknown>;
      if (ref !== undefined) trigger.authenticationRef = ref;
      return manifest;
    }),
  ).objects.map((scaledObject) => ({ scaledObject, trigger: scaledObject.spec.triggers[0] as Trigger }));

interface Fakes {
  readonly kube: AuthObjectsClient;
  readonly calls: string[];
  readonly secrets: Map<string, Record<string, string>>;
  readonly managed: Map<string, string>;
  readonly clusterObjects: Map<string, unknown>;
}

const fakes = (): Fakes => {
  const calls: string[] = [];
  const secrets = new Map<string, Record<string, string>>();
  const managed = new Map<string, string>();
  const clusterObjects = new Map<string, unknown>();
  return {
    calls,
    secrets,
    managed,
    clusterObjects,
    kube: {
      getSecret: async (namespace, name) => {
        calls.push(`getSecret ${namespace}/${name}`);
        const data = secrets.get(`${namespace}/${name}`);
        if (data === undefined) throw new Error(`get secrets of Secret ${namespace}/${name}: Forbidden`);
        return data;
      },
      getTriggerAuthentication: async (kind, namespace, name) => {
        calls.push(`get ${kind} ${namespace ?? ''}/${name}`);
        return clusterObjects.get(`${kind}/${namespace ?? ''}/${name}`);
      },
    },
  };
};

const resolverWith = (f: Fakes, now = () => 0) =>
  createAuthResolver({
    clock: now,
    defaultRegion: 'eu-west-1',
    secretsManager: async (target: SecretsManagerTarget) =>
      ({
        send: async (command: { input: { SecretId: string } }) => {
          f.calls.push(`GetSecretValue ${target.region} ${target.roleArn ?? 'own-role'} ${command.input.SecretId}`);
          const text = f.managed.get(command.input.SecretId);
          if (text === undefined) throw Object.assign(new Error("Secrets Manager can't find the specified secret."), { name: 'ResourceNotFoundException' });
          return { SecretString: text };
        },
      }) as unknown as SecretsManagerClient,
  });

describe('createAuthResolver', () => {
  it('applies the sources in KEDA order: podIdentity, then secretTargetRef, then awsSecretManager overwrites', async () => {
    // Prepare
    const f = fakes();
    f.secrets.set('shop/nr', { apiKey: 'from-secret', account: '42' });
    f.managed.set('nr/keys', JSON.stringify({ apiKey: SECRET }));
    const auth = authOf(
      authDocument({
        podIdentity: { provider: 'aws', roleArn: ROLE },
        secretTargetRef: [
          { parameter: 'queryKey', name: 'nr', key: 'apiKey' },
          { parameter: 'account', name: 'nr', key: 'account' },
        ],
        awsSecretManager: { podIdentity: { provider: 'aws' }, secrets: [{ parameter: 'queryKey', name: 'nr/keys', secretKey: 'apiKey' }] },
      }),
    );

    // Act
    const [outcome] = await resolverWith(f).resolve(targetsOf([{ name: 'keys' }]), { cluster: 'demo', authentications: [auth], kube: f.kube });

    // Assess
    expect(outcome).toEqual({ ok: true, authParams: { awsRoleArn: ROLE, queryKey: SECRET, account: '42' }, podIdentity: { provider: 'aws', roleArn: ROLE } });
    expect(f.calls).toEqual(['getSecret shop/nr', 'GetSecretValue eu-west-1 own-role nr/keys']);
  });

  it('leaves a trigger without authenticationRef untouched', async () => {
    // Act
    const f = fakes();
    const outcomes = await resolverWith(f).resolve(targetsOf([undefined]), { cluster: 'demo', authentications: [], kube: f.kube });

    // Assess
    expect(outcomes).toEqual([{ ok: true }]);
    expect(f.calls).toEqual([]);
  });

  it('reads a TriggerAuthentication missing from the manifests from the cluster, by name in the object namespace', async () => {
    // Prepare
    const f = fakes();
    f.clusterObjects.set('TriggerAuthentication/shop/keys', authDocument({ podIdentity: { provider: 'aws', roleArn: ROLE } }));

    // Act
    const [outcome] = await resolverWith(f).resolve(targetsOf([{ name: 'keys' }]), { cluster: 'demo', authentications: [], kube: f.kube });

    // Assess
    expect(outcome).toEqual({ ok: true, authParams: { awsRoleArn: ROLE }, podIdentity: { provider: 'aws', roleArn: ROLE } });
    expect(f.calls).toEqual(['get TriggerAuthentication shop/keys']);
  });

  it('reads the Secrets of a ClusterTriggerAuthentication in the cluster object namespace (keda)', async () => {
    // Prepare
    const f = fakes();
    f.clusterObjects.set('ClusterTriggerAuthentication//shared', authDocument({ secretTargetRef: [{ parameter: 'apiKey', name: 'dd', key: 'api' }] }, 'shared', 'ClusterTriggerAuthentication'));
    f.secrets.set('keda/dd', { api: SECRET });

    // Act
    const [outcome] = await resolverWith(f).resolve(targetsOf([{ name: 'shared', kind: 'ClusterTriggerAuthentication' }]), { cluster: 'demo', authentications: [], kube: f.kube });

    // Assess
    expect(outcome).toEqual({ ok: true, authParams: { apiKey: SECRET } });
    expect(f.calls).toEqual(['get ClusterTriggerAuthentication /shared', 'getSecret keda/dd']);
  });

  it('fails only the trigger whose TriggerAuthentication does not exist', async () => {
    // Prepare
    const f = fakes();
    const auth = authOf(authDocument({ podIdentity: { provider: 'aws', roleArn: ROLE } }));

    // Act
    const outcomes = await resolverWith(f).resolve(targetsOf([{ name: 'missing' }, { name: 'keys' }]), { cluster: 'demo', authentications: [auth], kube: f.kube });

    // Assess
    expect(outcomes).toEqual([
      { ok: false, error: 'authenticationRef: TriggerAuthentication shop/missing not found: it is neither among the manifests given to LPA nor in the cluster' },
      { ok: true, authParams: { awsRoleArn: ROLE }, podIdentity: { provider: 'aws', roleArn: ROLE } },
    ]);
  });

  it('reports an invalid TriggerAuthentication from the cluster with the path and the rule', async () => {
    // Prepare
    const f = fakes();
    f.clusterObjects.set('TriggerAuthentication/shop/keys', authDocument({ env: [{ parameter: 'a', name: 'B' }] }));

    // Act
    const [outcome] = await resolverWith(f).resolve(targetsOf([{ name: 'keys' }]), { cluster: 'demo', authentications: [], kube: f.kube });

    // Assess
    expect(outcome?.ok === false ? outcome.error : '').toMatch(/^authenticationRef: TriggerAuthentication shop\/keys in the cluster is invalid: spec\.env: reads the workload container's environment/);
  });

  it('resolves a TriggerAuthentication once per tick however many triggers use it', async () => {
    // Prepare
    const f = fakes();
    f.secrets.set('shop/nr', { apiKey: SECRET });
    const auth = authOf(authDocument({ secretTargetRef: [{ parameter: 'queryKey', name: 'nr', key: 'apiKey' }] }));

    // Act
    await resolverWith(f).resolve(targetsOf([{ name: 'keys' }, { name: 'keys' }, { name: 'keys' }]), { cluster: 'demo', authentications: [auth], kube: f.kube });

    // Assess
    expect(f.calls).toEqual(['getSecret shop/nr']);
  });

  it('picks up a rotated secret after the TTL, not before', async () => {
    // Prepare
    let now = 0;
    const f = fakes();
    f.managed.set('nr/keys', 'v1');
    const resolver = resolverWith(f, () => now);
    const auth = authOf(authDocument({ awsSecretManager: { podIdentity: { provider: 'aws', roleArn: ROLE }, region: 'us-east-1', secrets: [{ parameter: 'queryKey', name: 'nr/keys' }] } }));
    const tick = async () => (await resolver.resolve(targetsOf([{ name: 'keys' }]), { cluster: 'demo', authentications: [auth], kube: f.kube }))[0];

    // Act
    const before = await tick();
    f.managed.set('nr/keys', 'v2');
    now = 60_000;
    const cached = await tick();
    now = 120_000;
    const rotated = await tick();

    // Assess
    expect([before, cached, rotated]).toEqual([1, 2, 3].map((n) => ({ ok: true, authParams: { queryKey: n === 3 ? 'v2' : 'v1' } })));
    expect(f.calls).toEqual([`GetSecretValue us-east-1 ${ROLE} nr/keys`, `GetSecretValue us-east-1 ${ROLE} nr/keys`]);
  });

  it.each([
    ['a Secret without the key', { secretTargetRef: [{ parameter: 'queryKey', name: 'nr', key: 'other' }] }, 'TriggerAuthentication shop/keys: secretTargetRef[0] (parameter "queryKey"): Secret shop/nr has no key "other"'],
    ['a Secret RBAC refuses', { secretTargetRef: [{ parameter: 'queryKey', name: 'forbidden', key: 'apiKey' }] }, 'get secrets of Secret shop/forbidden: Forbidden'],
    ['a SecretString that is not JSON', { awsSecretManager: { podIdentity: { provider: 'aws' }, secrets: [{ parameter: 'queryKey', name: 'plain', secretKey: 'apiKey' }] } }, 'secret plain: the SecretString is not JSON, so secretKey "apiKey" cannot be read from it'],
    ['a JSON key that is not a string', { awsSecretManager: { podIdentity: { provider: 'aws' }, secrets: [{ parameter: 'queryKey', name: 'nested', secretKey: 'apiKey' }] } }, 'secret nested: the value of key "apiKey" is not a string'],
    ['a missing managed secret', { awsSecretManager: { podIdentity: { provider: 'aws' }, secrets: [{ parameter: 'queryKey', name: 'gone' }] } }, "GetSecretValue gone: ResourceNotFoundException: Secrets Manager can't find the specified secret."],
  ])('reports %s without the secret value', async (_, spec, expected) => {
    // Prepare
    const f = fakes();
    f.secrets.set('shop/nr', { apiKey: SECRET });
    f.managed.set('plain', SECRET);
    f.managed.set('nested', JSON.stringify({ apiKey: { value: SECRET } }));
    const auth = authOf(authDocument(spec));

    // Act
    const [outcome] = await resolverWith(f).resolve(targetsOf([{ name: 'keys' }]), { cluster: 'demo', authentications: [auth], kube: f.kube });

    // Assess
    const error = outcome?.ok === false ? outcome.error : '';
    expect(error).toContain(expected);
    expect(error).not.toContain(SECRET);
  });
});
