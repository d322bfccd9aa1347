import { describe, expect, it } from 'vitest';
import { rbacYaml } from '../../infra/index.js';
import { runLpa } from '../helpers/cli.js';

const ORDERS = 'examples/orders-worker.yaml';
const REPORTS = 'examples/reports.yaml';
const BAD = 'test/fixtures/manifests/bad/typos.yaml';
const deployment = (namespace: string, name: string) => ({ namespace, apiVersion: 'apps/v1', kind: 'Deployment', name });

describe('CLI: lpa rbac', () => {
  it('prints a Role and RoleBinding for every namespace of the manifests, as the construct generates them', () => {
    const result = runLpa(['rbac', ORDERS, REPORTS]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(rbacYaml({ targets: [deployment('shop', 'orders-worker'), deployment('reports', 'report-renderer'), deployment('reports', 'report-mailer')] }));
  });

  it("grants get on exactly seed 004's Secret, by name, from its TriggerAuthentication", () => {
    const result = runLpa(['rbac', 'test/fixtures/manifests/seeds/004_2c7a966543893124-1.yaml']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(['  - apiGroups:', '      - ""', '    resources:', '      - secrets', '    resourceNames:', '      - keda-new-relic-secret', '    verbs:', '      - get'].join('\n'));
    expect(result.stdout).not.toContain('triggerauthentications');
  });

  it('grants get on exactly the Secrets that Prometheus authModes read through their TriggerAuthentications', () => {
    const result = runLpa(['rbac', 'examples/prometheus/gateway-auth.yaml']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(['      - secrets', '    resourceNames:', '      - prometheus-client-tls', '      - prometheus-tenant', '    verbs:', '      - get'].join('\n'));
  });

  it('binds the group given with --group', () => {
    const result = runLpa(['rbac', ORDERS, '--group', 'platform-autoscaler']);
    expect(result.stdout).toBe(rbacYaml({ targets: [deployment('shop', 'orders-worker')], group: 'platform-autoscaler' }));
  });

  it('reads standard input for -', () => {
    const result = runLpa(['rbac', '-'], 'apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: { name: w, namespace: ops }\nspec:\n  scaleTargetRef: { name: w }\n  triggers: [{ type: cron, metadata: { timezone: UTC, start: "0 8 * * *", end: "0 9 * * *", desiredReplicas: "1" } }]\n');
    expect(result.stdout).toBe(rbacYaml({ targets: [deployment('ops', 'w')] }));
  });

  it('needs nothing beyond the scale subresource for a Kafka trigger (seed 001)', () => {
    const result = runLpa(['rbac', 'test/fixtures/manifests/seeds/001_8d91fbf51506e1d3-1.yaml']);
    expect(result.stdout).toBe(rbacYaml({ targets: [deployment('default', 'airflow-worker')] }));
  });

  it('prints nothing and exits 1 on an invalid manifest, with `lpa validate`’s messages', () => {
    const result = runLpa(['rbac', ORDERS, BAD]);
    expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 1, stdout: '' });
    expect(result.stderr).toBe(runLpa(['validate', BAD]).stderr);
  });

  it.each([
    { case: 'no FILE', args: ['rbac'], message: 'lpa rbac: no FILE given' },
    { case: 'a reserved group', args: ['rbac', ORDERS, '--group', 'system:masters'], message: 'lpa rbac: --group must be a non-empty name outside the reserved "system:" prefix, got "system:masters"' },
    { case: 'an unknown option', args: ['rbac', ORDERS, '--namespaces', 'x'], message: "lpa rbac: Unknown option '--namespaces'" },
    { case: '--namespace without --from-cluster', args: ['rbac', ORDERS, '--namespace', 'x'], message: 'lpa rbac: --namespace, --scale-kind and --tenants go with --from-cluster' },
  ])('exits 2 on $case', ({ args, message }) => {
    const result = runLpa(args);
    expect(result.status).toBe(2);
    expect(result.stderr.startsWith(message)).toBe(true);
  });

  it('exits 1 when the files hold no ScaledObject', () => {
    const result = runLpa(['rbac', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('lpa rbac: no ScaledObject found in <stdin>\n');
  });
});

describe('CLI: lpa rbac --from-cluster', () => {
  it('prints the cluster source’s grants for each --namespace, as the generator makes them', () => {
    const result = runLpa(['rbac', '--from-cluster', '--namespace', 'demo', '--scale-kind', 'Rollout.argoproj.io']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(rbacYaml({ targets: [], fromCluster: { namespaces: ['demo'], scaleKinds: [{ group: 'argoproj.io', resource: 'rollouts' }] } }));
  });

  it('grants get on exactly the Secrets (the ClusterTriggerAuthentications\' in keda) and services/proxy on exactly the Services --tenants allows, by name', () => {
    const result = runLpa(['rbac', '--from-cluster', '--namespace', 'shop', '--namespace', 'billing', '--tenants', 'examples/tenancy/tenants.yaml']);
    expect(result.status).toBe(0);
    const reads = { secrets: new Map([['keda', ['datadog-keys']], ['shop', ['shop-newrelic']]]), triggerAuthentications: new Map(), clusterTriggerAuthentications: ['datadog-shared'] };
    const serviceProxies = [{ namespace: 'monitoring', proxyName: 'http:prometheus-server:9090' }];
    expect(result.stdout).toBe(rbacYaml({ targets: [], fromCluster: { namespaces: ['shop', 'billing'], scaleKinds: [] }, reads, serviceProxies }));
  });

  it('grants the ClusterTriggerAuthentications\' Secrets in --cluster-object-namespace', () => {
    const result = runLpa(['rbac', '--from-cluster', '--namespace', 'shop', '--namespace', 'billing', '--tenants', 'examples/tenancy/tenants.yaml', '--cluster-object-namespace', 'keda-system']);
    expect(result.status).toBe(0);
    const reads = { secrets: new Map([['keda-system', ['datadog-keys']], ['shop', ['shop-newrelic']]]), triggerAuthentications: new Map(), clusterTriggerAuthentications: ['datadog-shared'] };
    const serviceProxies = [{ namespace: 'monitoring', proxyName: 'http:prometheus-server:9090' }];
    expect(result.stdout).toBe(rbacYaml({ targets: [], fromCluster: { namespaces: ['shop', 'billing'], scaleKinds: [] }, reads, serviceProxies }));
  });

  it('warns about a ClusterTriggerAuthentication declared in --tenants that no namespace may reference', () => {
    const result = runLpa(['rbac', '--from-cluster', '--namespace', 'shop', '--tenants', '-'], 'clusterTriggerAuthentications:\n  unused:\n    secrets: [keys]\n');
    expect([result.status, result.stderr.trim()]).toEqual([0, "lpa rbac: warning: <stdin>: clusterTriggerAuthentications.unused: no namespace may reference it (list it in a namespace's clusterTriggerAuthentications), so it is granted nothing and objects using it are refused"]);
  });

  it('refuses a --cluster-object-namespace that is not a namespace name, and prints nothing', () => {
    const result = runLpa(['rbac', '--from-cluster', '--cluster-object-namespace', 'Keda']);
    expect([result.status, result.stdout]).toEqual([2, '']);
    expect(result.stderr).toMatch(/^lpa rbac: --cluster-object-namespace "Keda": must be a lowercase RFC 1123 label/);
  });

  it('refuses a --tenants file that breaks a rule, naming the file, the path and the rule, and prints nothing', () => {
    const result = runLpa(['rbac', '--from-cluster', '--tenants', '-'], 'namespaces:\n  shop:\n    roleArn: reader\n');
    expect([result.status, result.stdout, result.stderr.trim()]).toEqual([1, '', 'lpa rbac: <stdin>: namespaces.shop.roleArn: must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)']);
  });
});
