/**
 * The status writer and the event recorder against the local API: a 409 on a stale resourceVersion is
 * answered by a fresh read and a rebuilt status; repeats of one occurrence become one event series.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApi, type KubeApiHandle } from '../../../dev/local/kubeApi.js';
import { staticTokenSource } from '../../../shared/kube/bearerToken.js';
import { createEventRecorder } from '../../../shared/kube/events.js';
import { createScaledObjectApi } from '../../../shared/kube/scaledObjects.js';
import { createKubeAgent, createKubeTransport, type KubeAgent, type KubeTransport } from '../../../shared/kube/transport.js';

const TOKEN = 'admin-static-token-0123456789';
let kube: KubeApiHandle;
let agent: KubeAgent;
let transport: KubeTransport;
let now = Date.parse('2026-12-02T14:38:54.204Z');

beforeAll(async () => {
  kube = await startKubeApi({ clusterName: 'demo', region: 'eu-west-1', now: () => now, staticTokens: { [TOKEN]: { username: 'admin', groups: ['system:masters'] } } });
  agent = createKubeAgent(kube.caPem);
  transport = createKubeTransport({ endpoint: kube.url, agent, tokens: staticTokenSource(TOKEN), retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined, random: () => 0 } });
});
afterAll(async () => {
  await agent.close();
  await kube.close();
});

const apply = (name: string) =>
  kube.cluster.objects.applyScaledObject({ metadata: { name, namespace: 'demo' }, spec: { scaleTargetRef: { name: 'worker' }, triggers: [] } });

describe('Integration: ScaledObject status writes', () => {
  it('re-reads and rebuilds after a 409, then writes against the fresh resourceVersion', async () => {
    // Prepare: list, then someone else writes the status before us.
    apply('raced');
    const api = createScaledObjectApi(transport);
    const [listed] = await api.list({ namespaces: ['demo'] }).then((items) => items.filter((i) => i.metadata.name === 'raced'));
    const stored = kube.cluster.objects.get('keda.sh/scaledobjects', 'demo', 'raced');
    kube.cluster.objects.update('keda.sh/scaledobjects', 'demo', 'raced', { ...stored, status: { originalReplicaCount: 7 } });
    const seen: unknown[] = [];
    // Act
    const result = await api.writeStatus(listed!, (current) => {
      seen.push(current.status);
      return { ...(current.status ?? {}), triggersTypes: 'cron' };
    });
    // Assess
    expect(result).toBe('written');
    expect(seen).toEqual([undefined, { originalReplicaCount: 7 }]);
    expect(kube.cluster.objects.get('keda.sh/scaledobjects', 'demo', 'raced')?.status).toEqual({ originalReplicaCount: 7, triggersTypes: 'cron' });
    expect(kube.requests.filter((r) => r.path.endsWith('/raced/status')).map((r) => r.status)).toEqual([409, 200]);
  });

  it('writes nothing when the builder says nothing changed', async () => {
    apply('quiet');
    const api = createScaledObjectApi(transport);
    const [listed] = (await api.list({ namespaces: ['demo'] })).filter((i) => i.metadata.name === 'quiet');
    expect(await api.writeStatus(listed!, () => undefined)).toBe('unchanged');
    expect(kube.requests.some((r) => r.path.includes('/quiet/status'))).toBe(false);
  });

  it('lists every page with limit and continue', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) apply(name);
    const start = kube.requests.length;
    const items = await createScaledObjectApi(transport).list({ namespaces: ['demo'], pageSize: 2 });
    expect(items.map((i) => i.metadata.name)).toEqual(expect.arrayContaining(['page-a', 'page-b', 'page-c']));
    const pages = kube.requests.slice(start);
    expect(pages.length).toBe(Math.ceil(items.length / 2));
    expect(pages[1]?.path).toContain('continue=');
  });
});

describe('Integration: events as series', () => {
  it('creates the event once, then counts repeats in its series', async () => {
    const so = apply('failing');
    const metadata = so.metadata as { name: string; namespace: string; uid: string };
    const recorder = createEventRecorder(transport, { instance: 'lpa-test', now: () => now });
    const event = { type: 'Warning' as const, reason: 'KEDAScalerFailed', note: 'queue not found', seriesKey: 'KEDAScalerFailed/s0-aws-sqs-jobs' };
    // Act
    await recorder.record(metadata, event);
    now += 60_000;
    await recorder.record(metadata, { ...event, note: 'queue not found (again)' });
    now += 60_000;
    await recorder.record(metadata, event);
    // Assess
    const events = kube.cluster.objects.list('events.k8s.io/events', 'demo').filter((e) => (e.regarding as { name: string }).name === 'failing');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      reason: 'KEDAScalerFailed',
      type: 'Warning',
      reportingController: 'lpa',
      reportingInstance: 'lpa-test',
      eventTime: '2026-12-02T14:38:54.204000Z',
      series: { count: 3, lastObservedTime: '2026-12-02T14:40:54.204000Z' },
    });
  });
});
