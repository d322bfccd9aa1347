/**
 * The AWS SDK is imported on first use, never at Lambda init: importing a handler (which builds
 * the runtime) must load no `@aws-sdk/*` package, and a tick loads only what it calls.
 *
 * Each SDK package is mocked by a factory that records the import and returns the real module:
 * vitest runs a factory only when something imports that package, statically or dynamically.
 */
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { LPA_BUNDLE } from '../../../infra/bundling.js';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { once } from '../../../shared/aws/sdk.js';
import { createRuntime } from '../../../shared/app/runtime.js';
import { readTriggers } from '../../../shared/triggers/registry.js';
import { cronTrigger, requestsFor } from '../triggers/requests.js';

const imported = vi.hoisted(() => [] as string[]);

vi.mock('@aws-sdk/client-cloudwatch', async (original) => {
  imported.push('@aws-sdk/client-cloudwatch');
  return original();
});
vi.mock('@aws-sdk/client-dynamodb', async (original) => {
  imported.push('@aws-sdk/client-dynamodb');
  return original();
});
vi.mock('@aws-sdk/client-eks', async (original) => {
  imported.push('@aws-sdk/client-eks');
  return original();
});
vi.mock('@aws-sdk/client-sqs', async (original) => {
  imported.push('@aws-sdk/client-sqs');
  return original();
});
vi.mock('@aws-sdk/client-sts', async (original) => {
  imported.push('@aws-sdk/client-sts');
  return original();
});
vi.mock('@aws-sdk/credential-providers', async (original) => {
  imported.push('@aws-sdk/credential-providers');
  return original();
});

const NOW = Date.parse('2024-05-01T12:00:00Z');
const CA_DATA = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n').toString('base64');

describe('Lazy AWS SDK: module load and runtime construction', () => {
  const runtime = createRuntime({ tableName: 'lpa-test', clusters: [{ name: 'demo', region: 'eu-west-1', endpoint: 'https://127.0.0.1:6443', caData: CA_DATA }] });
  afterAll(() => runtime.close());

  it('imports no AWS SDK package when the runtime module is imported and the runtime built', () => {
    expect(imported).toEqual([]);
  });

  it.each([
    { name: 'scaler', load: () => import('../../../functions/scaler/handler.js') },
    { name: 'alarm', load: () => import('../../../functions/alarm/handler.js') },
  ])('imports no AWS SDK package when the $name handler module is imported', async ({ load }) => {
    vi.stubEnv('LPA_TABLE_NAME', 'lpa-test');
    try {
      await load();
    } finally {
      vi.unstubAllEnvs();
    }

    expect(imported).toEqual([]);
  });

  it('imports no AWS SDK package to read cron triggers', async () => {
    const readings = await readTriggers(runtime.triggers, requestsFor('a', [cronTrigger({})]), NOW);

    expect(readings).toEqual([{ value: 3 }]);
    expect(imported).toEqual([]);
  });

  it('imports neither EKS nor the credential chain to connect to a cluster the configuration locates', async () => {
    await runtime.connector.connect({ name: 'demo', region: 'eu-west-1' });

    expect(imported).toEqual([]);
  });
});

describe('Function: once', () => {
  it('starts the load on the first call and hands every caller the same promise', async () => {
    // Prepare
    let loads = 0;
    const load = once(async () => ({ loads: (loads += 1) }));

    // Act
    const [first, second] = [load(), load()];

    // Assess
    expect(first).toBe(second);
    expect(await first).toEqual({ loads: 1 });
  });
});

describe('Handler bundles', () => {
  /** The imports of a handler's whole module graph, node_modules included, as esbuild bundles it for Lambda. */
  const importsOf = async (name: string) => {
    const { metafile } = await build({
      entryPoints: [resolve(`functions/${name}/handler.ts`)],
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      mainFields: [...LPA_BUNDLE.mainFields],
      // The construct's externals: the SDK (in the runtime) and the Kafka client (installed, imported on first use).
      external: [...LPA_BUNDLE.external],
      logLevel: 'silent',
    });
    return Object.values(metafile.inputs).flatMap((input) => input.imports);
  };

  it.each(['scaler', 'alarm'])('the %s bundle imports AWS SDK packages only dynamically', async (name) => {
    const imports = (await importsOf(name)).filter((entry) => entry.path.startsWith('@aws-sdk/'));

    expect(imports.filter((entry) => entry.kind !== 'dynamic-import')).toEqual([]);
    expect(imports.map((entry) => entry.path)).toContain('@aws-sdk/client-dynamodb');
  });

  // On Node 22 a static ES import of node:http loads undici (its WebSocket getters): ~20 ms of a cold start.
  it.each(['scaler', 'alarm'])('the %s bundle imports node:http only dynamically', async (name) => {
    const imports = (await importsOf(name)).filter((entry) => entry.path === 'node:http' || entry.path === 'http');

    expect([...new Set(imports.map((entry) => entry.kind))]).toEqual(['dynamic-import']);
  });

  // node:https and the node:tls under it are ~15 ms of a cold import; the Kubernetes transport and Prometheus load them with their first request.
  it.each(['scaler', 'alarm'])('the %s bundle imports node:https and node:tls only dynamically', async (name) => {
    const imports = (await importsOf(name)).filter((entry) => ['node:https', 'https', 'node:tls', 'tls'].includes(entry.path));

    expect(imports.filter((entry) => entry.kind !== 'dynamic-import')).toEqual([]);
    expect(imports.map((entry) => entry.path)).toContain('node:https');
  });
});
