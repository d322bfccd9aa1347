import { describe, expect, it } from 'vitest';
import { parseScaledObject } from '../../../shared/spec/index.js';
import { prometheusServerOf } from '../../../shared/spec/triggers/prometheusServer.js';
import type { PrometheusTrigger } from '../../../shared/spec/types.js';
import { expectOneIssue, manifest, valid } from './fixtures.js';
import type { Json } from './fixtures.js';

const prometheusJson = (metadata: Json = {}): Json => ({
  type: 'prometheus',
  metadata: { serverAddress: 'http://prometheus-server.monitoring.svc.cluster.local:9090', query: 'sum(rate(http_requests_total[2m]))', threshold: '100', ...metadata },
});
const parse = (metadata: Json = {}) => parseScaledObject(manifest((so) => (so.spec.triggers = [prometheusJson(metadata)])));
const onlyTrigger = (metadata: Json = {}): PrometheusTrigger => valid(parse(metadata)).spec.triggers[0] as PrometheusTrigger;

describe('Function: parseScaledObject (prometheus)', () => {
  it('applies KEDA defaults and derives target and activationTarget', () => {
    const trigger = onlyTrigger({ activationThreshold: '5' });

    expect(trigger.metadata).toEqual({
      serverAddress: 'http://prometheus-server.monitoring.svc.cluster.local:9090',
      query: 'sum(rate(http_requests_total[2m]))',
      threshold: 100,
      activationThreshold: 5,
      customHeaders: [],
      queryParameters: [],
      ignoreNullValues: true,
    });
    expect(trigger).toMatchObject({ target: 100, activationTarget: 5, metricType: 'AverageValue' });
  });

  it('keeps customHeaders and queryParameters as trimmed pairs in the order written', () => {
    const trigger = onlyTrigger({ customHeaders: 'X-Scope-OrgID=team-a, X-B = 2', queryParameters: 'dedup=false,partial_response=true' });

    expect(trigger.metadata.customHeaders).toEqual([['X-Scope-OrgID', 'team-a'], ['X-B', '2']]);
    expect(trigger.metadata.queryParameters).toEqual([['dedup', 'false'], ['partial_response', 'true']]);
  });

  it.each([
    { timeout: '1000', ms: 1000 },
    { timeout: '2s', ms: 2000 },
    { timeout: '1m30s', ms: 90_000 },
    { timeout: '1.5s', ms: 1500 },
    { timeout: '250ms', ms: 250 },
  ])('reads timeout $timeout as $ms ms (Go duration, else milliseconds)', ({ timeout, ms }) => {
    expect(onlyTrigger({ timeout }).metadata.timeoutMs).toBe(ms);
  });

  it('treats timeout 0 as unset (KEDA keeps its default timeout)', () => {
    expect(onlyTrigger({ timeout: '0' }).metadata.timeoutMs).toBeUndefined();
  });

  it('accepts the deprecated metricName with a warning that it is ignored', () => {
    const result = parse({ metricName: 'http_requests_total' });

    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => [w.path, w.message])).toEqual([['spec.triggers[0].metadata.metricName', expect.stringContaining('deprecated and ignored')]]);
  });

  it('refuses unsafeSsl "true", saying TLS is always verified and what to do instead', () => {
    const issue = expectOneIssue(parse({ unsafeSsl: 'true' }), 'spec.triggers[0].metadata.unsafeSsl', 'LPA always verifies TLS');

    expect(issue.message).toContain('in-cluster address');
  });

  it('accepts unsafeSsl "false"', () => {
    expect(parse({ unsafeSsl: 'false' }).ok).toBe(true);
  });

  it('rejects a map item with a second "="', () => {
    expectOneIssue(parse({ customHeaders: 'Authorization=a=b' }), 'spec.triggers[0].metadata.customHeaders', 'key=value');
  });

  it.each([
    { customHeaders: 'X Tenant=a', fragment: 'header names must be HTTP tokens' },
    { customHeaders: '=a', fragment: 'empty key' },
  ])('rejects customHeaders $customHeaders', ({ customHeaders, fragment }) => {
    expectOneIssue(parse({ customHeaders }), 'spec.triggers[0].metadata.customHeaders', fragment);
  });

  it('rejects an unknown key with a suggestion', () => {
    expectOneIssue(parse({ treshold: '5' }), 'spec.triggers[0].metadata.treshold', 'unknown key');
  });

  it('rejects a zero threshold (the HPA would divide by it)', () => {
    expectOneIssue(parse({ threshold: '0' }), 'spec.triggers[0].metadata.threshold', 'must be > 0');
  });

  it('rejects awsRoleArn on a server that is not an AMP workspace', () => {
    expectOneIssue(parse({ awsRoleArn: 'arn:aws:iam::123456789012:role/amp-reader' }), 'spec.triggers[0].metadata.awsRoleArn', 'Amazon Managed Service for Prometheus only');
  });

  it('accepts an AMP workspace with a role, taking the region from the host', () => {
    const trigger = onlyTrigger({
      serverAddress: 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-12345678-abcd-1234-abcd-123456789012',
      awsRoleArn: 'arn:aws:iam::123456789012:role/amp-reader',
    });
    expect(trigger.metadata.awsRoleArn).toBe('arn:aws:iam::123456789012:role/amp-reader');
  });

  it('rejects an AMP workspace whose awsRegion differs from its host', () => {
    expectOneIssue(
      parse({ serverAddress: 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1', awsRegion: 'us-east-1' }),
      'spec.triggers[0].metadata.serverAddress',
      'names region eu-west-1 but awsRegion is us-east-1',
    );
  });

  it('signs only for AWS hosts or hosts the deployment trusts (the signature and session token go there)', () => {
    const metadata = { serverAddress: 'https://metrics.example.com/workspaces/ws-1', awsRegion: 'eu-west-1' };
    const manifestJson = manifest((so) => (so.spec.triggers = [prometheusJson(metadata)]));

    expectOneIssue(parseScaledObject(manifestJson), 'spec.triggers[0].metadata.serverAddress', 'is signed with AWS credentials');
    expect(parseScaledObject(manifestJson, { trust: { awsEndpoints: ['metrics.example.com'] } }).ok).toBe(true);
  });

  it('rejects credentials in the address', () => {
    expectOneIssue(parse({ serverAddress: 'http://admin:secret@prometheus.monitoring:9090' }), 'spec.triggers[0].metadata.serverAddress', 'must not carry credentials');
  });
});

describe('Function: prometheusServerOf', () => {
  it.each([
    {
      address: 'http://prometheus-server.monitoring.svc.cluster.local:9090',
      server: { kind: 'service', namespace: 'monitoring', service: 'prometheus-server', scheme: 'http', port: 9090, proxyName: 'http:prometheus-server:9090', basePath: '' },
    },
    {
      address: 'http://prometheus-operated.monitoring.svc:9090/',
      server: { kind: 'service', namespace: 'monitoring', service: 'prometheus-operated', scheme: 'http', port: 9090, proxyName: 'http:prometheus-operated:9090', basePath: '' },
    },
    {
      address: 'https://thanos-query.observability/prometheus',
      server: { kind: 'service', namespace: 'observability', service: 'thanos-query', scheme: 'https', port: 443, proxyName: 'https:thanos-query:443', basePath: '/prometheus' },
    },
    {
      address: 'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-abc-123/',
      server: { kind: 'amp', base: 'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-abc-123', region: 'us-east-1', workspaceId: 'ws-abc-123' },
    },
    { address: 'http://localhost:9090', server: { kind: 'direct', base: 'http://localhost:9090' } },
    { address: 'http://10.0.1.5:9090', server: { kind: 'direct', base: 'http://10.0.1.5:9090' } },
    { address: 'https://prometheus.internal.example.com', server: { kind: 'direct', base: 'https://prometheus.internal.example.com' } },
  ])('$address → $server.kind', ({ address, server }) => {
    expect(prometheusServerOf(address)).toEqual({ ok: true, server });
  });

  it('signs for a VPC endpoint address when awsRegion is given', () => {
    const result = prometheusServerOf('https://vpce-0a1b.aps-workspaces.eu-west-1.vpce.amazonaws.com/workspaces/ws-1', 'eu-west-1');
    expect(result).toMatchObject({ ok: true, server: { kind: 'amp', region: 'eu-west-1', workspaceId: 'ws-1' } });
  });

  it.each([
    { address: 'prometheus:9090', fragment: 'must be an http(s) URL' },
    { address: 'http://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1', fragment: 'must use https' },
    { address: 'https://aps-workspaces.us-east-1.amazonaws.com/', fragment: '/workspaces/<workspace id>' },
    { address: 'http://prometheus.monitoring:9090?x=1', fragment: 'must not have a query' },
  ])('refuses $address', ({ address, fragment }) => {
    expect(prometheusServerOf(address)).toEqual({ ok: false, message: expect.stringContaining(fragment) });
  });
});
