/**
 * TriggerAuthentications end to end over real HTTP: seed 004 (a new-relic trigger whose account,
 * key and region come from a Kubernetes Secret through secretTargetRef) scaling against the local
 * NerdGraph; keys in Secrets Manager rotated and picked up after the cache TTL; a missing secret and
 * an RBAC refusal reported on their own object while the others scale; and no secret value in any
 * report.
 */
import { readFileSync } from 'node:fs';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { publishReports } from '../../../shared/app/observability.js';
import type { ObjectReport } from '../../../shared/app/objectReport.js';
import { parseAllDocuments } from 'yaml';
import { leastPrivilegeRbac } from '../../../dev/local/environment.js';
import { MINUTE, startHarness, type Harness } from './harness.js';

const KEY = 'NRAK-SEED004-LOCAL-KEY';
const ACCOUNT = 3456789;
const SEED_NRQL = "SELECT rate(count(*), 10 SECOND) FROM Transaction WHERE appName='dev-example-app' SINCE 1 MINUTE AGO";
const READABLE_SECRETS = ['keda-new-relic-secret', 'other-app-secret'];

/** Seed 004's two documents as rendered: the ScaledObject and its TriggerAuthentication. */
const seed004 = (): [Record<string, unknown>, Record<string, unknown>] => {
  const text = readFileSync(new URL('../../fixtures/manifests/seeds/004_2c7a966543893124-1.yaml', import.meta.url), 'utf8');
  const [so, ta] = parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);
  return [so as Record<string, unknown>, ta as Record<string, unknown>];
};

/** A new-relic ScaledObject in `default` reading `nrql` through TriggerAuthentication `auth`. */
const newRelicObject = (name: string, auth: string, nrql = SEED_NRQL): Record<string, unknown> => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name, namespace: 'default' },
  spec: {
    scaleTargetRef: { name },
    minReplicaCount: 1,
    maxReplicaCount: 10,
    triggers: [{ type: 'new-relic', name: 'nr', metadata: { nrql, threshold: '10' }, authenticationRef: { name: auth } }],
  },
});

const authentication = (name: string, spec: Record<string, unknown>): Record<string, unknown> => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'TriggerAuthentication',
  metadata: { name, namespace: 'default' },
  spec,
});

/** Every report of this file's ticks, for the final no-leak check. */
const allReports: ObjectReport[] = [];

let h: Harness;
beforeAll(async () => {
  const base = leastPrivilegeRbac('default');
  h = await startHarness({
    rbac: [{ ...base, rules: [...base.rules, { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: READABLE_SECRETS }] }],
  });
  h.env.nerdGraph.addKey(KEY, [ACCOUNT]);
  h.env.kube.cluster.putObject('', 'secrets', 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'keda-new-relic-secret' }, stringData: { apiKey: KEY, account: String(ACCOUNT), region: 'US' } });
  const tick = h.tick;
  h = { ...h, tick: async (...args) => {
    const reports = await tick(...args);
    allReports.push(...reports);
    return reports;
  } };
});
afterAll(async () => h.close());

describe('E2E: seed 004 (new-relic with a TriggerAuthentication)', () => {
  it('scales example-app on the NRQL value, with the account and key read from the Secret', async () => {
    // Prepare: a rate of 350 against a threshold of 70 → 5 replicas (its max).
    h.env.kube.cluster.addDeployment({ namespace: 'default', name: 'example-app', replicas: 1 });
    h.env.nerdGraph.setResults(ACCOUNT, SEED_NRQL, [{ 'rate.count': 350 }]);
    const [so, ta] = seed004();
    const before = h.env.nerdGraph.calls.length;

    // Act
    const [report] = await h.tick(h.group([so], [ta]));

    // Assess
    // The HPA asks for 5; its default scale-up limit allows 4 in the first step (KEDA+HPA would too).
    expect(report).toMatchObject({ outcome: 'scaled', currentReplicas: 1, desiredReplicas: 4, reason: 'ScaleUpLimit', metrics: { '0': 350 } });
    expect(report?.message).toContain('desired 5');
    expect(h.env.kube.cluster.deployment('default', 'example-app').specReplicas).toBe(4);
    expect(h.env.nerdGraph.calls.slice(before)).toEqual([{ apiKey: KEY, accountId: ACCOUNT, nrql: SEED_NRQL }]);
    expect(JSON.stringify(report)).not.toContain(KEY);
  });

  it('reads the TriggerAuthentication from the cluster when it is not among the manifests', async () => {
    // Prepare: a harness whose Role may get this one TriggerAuthentication by name.
    const [, ta] = seed004();
    const base = leastPrivilegeRbac('default');
    const rbac = [{ ...base, rules: [...base.rules, { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: READABLE_SECRETS }, { apiGroups: ['keda.sh'], resources: ['triggerauthentications'], verbs: ['get'], resourceNames: ['in-cluster-ta'] }] }];
    const local = await startHarness({ rbac });
    try {
      local.env.nerdGraph.addKey(KEY, [ACCOUNT]);
      local.env.nerdGraph.setResults(ACCOUNT, 'SELECT count(*) FROM FromCluster', [{ count: 35 }]);
      local.env.kube.cluster.putObject('', 'secrets', 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'keda-new-relic-secret' }, stringData: { apiKey: KEY, account: String(ACCOUNT), region: 'US' } });
      local.env.kube.cluster.putObject('keda.sh', 'triggerauthentications', 'default', { ...ta, metadata: { name: 'in-cluster-ta' } });
      local.env.kube.cluster.addDeployment({ namespace: 'default', name: 'from-cluster', replicas: 1 });

      // Act
      const [report] = await local.tick(local.group([newRelicObject('from-cluster', 'in-cluster-ta', 'SELECT count(*) FROM FromCluster')]));

      // Assess: 35 / 10 per replica → 4.
      expect(report).toMatchObject({ outcome: 'scaled', desiredReplicas: 4 });
    } finally {
      await local.close();
    }
  });
});

describe('E2E: keys in AWS Secrets Manager', () => {
  it('picks up a key rotated in Secrets Manager once the cache TTL has passed', async () => {
    // Prepare: the key lives in Secrets Manager as JSON; NerdGraph accepts both old and new keys.
    const rotated = 'NRAK-ROTATED-KEY-0002';
    h.env.nerdGraph.addKey(rotated, [ACCOUNT]);
    h.env.secretsManager.put('newrelic/keys', JSON.stringify({ apiKey: KEY }));
    h.env.nerdGraph.setResults(ACCOUNT, 'SELECT count(*) FROM Rotation', [{ count: 20 }]);
    h.env.kube.cluster.addDeployment({ namespace: 'default', name: 'rotation', replicas: 1 });
    const ta = authentication('managed-keys', {
      awsSecretManager: {
        podIdentity: { provider: 'aws' },
        secrets: [
          { parameter: 'queryKey', name: 'newrelic/keys', secretKey: 'apiKey' },
          { parameter: 'account', name: 'newrelic/account' },
        ],
      },
    });
    h.env.secretsManager.put('newrelic/account', String(ACCOUNT));
    const group = h.group([newRelicObject('rotation', 'managed-keys', 'SELECT count(*) FROM Rotation')], [ta]);
    const keysSent = () => h.env.nerdGraph.calls.filter((c) => c.nrql === 'SELECT count(*) FROM Rotation').map((c) => c.apiKey);

    // Act: one tick, a rotation, a tick within the TTL, a tick after it.
    await h.tick(group);
    h.env.secretsManager.put('newrelic/keys', JSON.stringify({ apiKey: rotated }));
    h.clock.advance(MINUTE);
    await h.tick(group);
    h.clock.advance(MINUTE);
    await h.tick(group);

    // Assess
    expect(keysSent()).toEqual([KEY, KEY, rotated]);
    expect(h.env.secretsManager.calls.filter((c) => c.secretId === 'newrelic/keys').map((c) => c.accessKeyId)).toEqual([h.env.credentials.accessKeyId, h.env.credentials.accessKeyId]);
  });
});

describe('E2E: credentials that cannot be read', () => {
  it('reports a missing Secrets Manager secret on its object while the others scale, with no secret value anywhere', async () => {
    // Prepare
    h.env.nerdGraph.setResults(ACCOUNT, 'SELECT count(*) FROM Healthy', [{ count: 30 }]);
    h.env.kube.cluster.addDeployment({ namespace: 'default', name: 'healthy', replicas: 1 });
    h.env.kube.cluster.addDeployment({ namespace: 'default', name: 'orphan', replicas: 2 });
    const [, seedTa] = seed004();
    const missing = authentication('missing-secret', { awsSecretManager: { podIdentity: { provider: 'aws' }, secrets: [{ parameter: 'queryKey', name: 'newrelic/deleted' }] } });
    const group = h.group([newRelicObject('healthy', 'example-app-ta', 'SELECT count(*) FROM Healthy'), newRelicObject('orphan', 'missing-secret')], [seedTa, missing]);

    // Act
    const reports = await h.tick(group);

    // Assess
    expect(reports[0]).toMatchObject({ outcome: 'scaled', desiredReplicas: 3 });
    expect(reports[1]).toMatchObject({ outcome: 'unchanged', currentReplicas: 2, desiredReplicas: 2 });
    expect(reports[1]?.metrics?.nr).toBe(
      "default/orphan spec.triggers[0] \"nr\": authenticationRef: TriggerAuthentication default/missing-secret: awsSecretManager.secrets[0] (parameter \"queryKey\"): GetSecretValue newrelic/deleted: ResourceNotFoundException: Secrets Manager can't find the specified secret.",
    );
    expect(JSON.stringify(reports)).not.toContain(KEY);
  });

  it('reports a Secret that RBAC does not let LPA read, naming the rule to add', async () => {
    // Prepare: the Secret exists, but LPA's Role names other Secrets only.
    h.env.kube.cluster.putObject('', 'secrets', 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'unlisted' }, stringData: { apiKey: KEY, account: String(ACCOUNT) } });
    h.env.kube.cluster.addDeployment({ namespace: 'default', name: 'refused', replicas: 1 });
    const ta = authentication('unlisted-ta', { secretTargetRef: [{ parameter: 'queryKey', name: 'unlisted', key: 'apiKey' }, { parameter: 'account', name: 'unlisted', key: 'account' }] });

    // Act
    const [report] = await h.tick(h.group([newRelicObject('refused', 'unlisted-ta')], [ta]));

    // Assess
    expect(report).toMatchObject({ outcome: 'unchanged', desiredReplicas: 1 });
    expect(String(report?.metrics?.nr)).toContain('TriggerAuthentication default/unlisted-ta: secretTargetRef[0] (parameter "queryKey"): RBAC does not allow "get" on "secrets" in the core API group in namespace "default" (Secret default/unlisted)');
    expect(JSON.stringify(report)).not.toContain(KEY);
  });
});

describe('E2E: no secret value leaves the resolver', () => {
  it('appears in no log line the handler writes and no decision record', async () => {
    // Prepare: what Powertools prints goes to the process streams.
    const lines: string[] = [];
    for (const stream of [process.stdout, process.stderr]) vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));

    // Act
    publishReports(new Logger({ serviceName: 'lpa-test', logLevel: 'DEBUG' }), new Metrics({ namespace: 'LambdaPodAutoscaler', serviceName: 'lpa-test' }), allReports, 0);
    vi.restoreAllMocks();
    const records = await Promise.all(allReports.map((report) => h.runtime.stateStore.listDecisions(report.id)));

    // Assess
    expect(allReports.length).toBeGreaterThan(5);
    expect(lines.join('')).toContain('example-app-newrelic-throughput-scaler');
    for (const secret of [KEY, 'NRAK-ROTATED-KEY-0002']) {
      expect(lines.join('')).not.toContain(secret);
      expect(JSON.stringify(records)).not.toContain(secret);
    }
  });
});
