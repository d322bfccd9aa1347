/**
 * Importing a handler builds no zod schema (DESIGN.md §5, cold import ≤ 100 ms): building them was a
 * quarter of the scaler's import. Every schema is built on its first use (shared/spec/builtOnce.ts).
 *
 * zod calls `config().postProcessor` on every instance it constructs (the hook `zod/compile` uses;
 * marked internal in zod's types, hence the control test below that proves it still fires). Each
 * import runs in a fresh module graph (`vi.resetModules`), so every LPA module is evaluated again;
 * zod itself is loaded before the hook, so its own module init is not counted.
 */
import * as z from 'zod';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** One line per schema built while `record` is on: the LPA source line that built it. */
const built: string[] = [];

/** The first frame in LPA's own code (or the first frame outside zod) of the current stack. */
const builtAt = (): string => {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  const own = frames.find((frame) => /\/(shared|functions)\//.test(frame)) ?? frames.find((frame) => !frame.includes('/node_modules/zod/'));
  return own?.trim() ?? '(unknown)';
};

const record = (instance: { readonly _zod: { readonly traits: ReadonlySet<string> } }): void => {
  // Checks (`.min()`, `.regex()`…) are constructed the same way; count schemas only.
  if (instance._zod.traits.has('$ZodType')) built.push(builtAt());
};

beforeEach(() => {
  built.length = 0;
  vi.resetModules();
  vi.stubEnv('LPA_TABLE_NAME', 'lpa-test');
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  z.config({ postProcessor: record });
});
afterEach(() => {
  z.config({ postProcessor: undefined });
  vi.unstubAllEnvs();
});

describe('Lazy schemas: importing a handler', () => {
  it('counts the schemas a first parse builds (control: the hook fires)', async () => {
    const { parseScaledObject } = await import('../../../shared/spec/parse.js');
    const before = built.length;

    parseScaledObject({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'a' }, spec: { scaleTargetRef: { name: 'a' }, triggers: [{ type: 'cron', metadata: {} }] } });

    expect(built.length).toBeGreaterThan(before);
  });

  it.each([
    { name: 'scaler', load: () => import('../../../functions/scaler/handler.js') },
    { name: 'alarm', load: () => import('../../../functions/alarm/handler.js') },
  ])('builds no zod schema when the $name handler module is imported', async ({ load }) => {
    await load();

    expect(built).toEqual([]);
  });
});

describe('Lazy schemas: parsing a ScaleGroup', () => {
  const CLUSTER = { name: 'demo', region: 'eu-west-1' };
  /** Schemas built by the modules of the cluster source's parts: tenancy and the listed objects. */
  const sourceParts = () => built.filter((line) => /\/shared\/(access\/tenancy|kube\/scaledObjects)\.ts:/.test(line));

  it('builds neither tenancy nor the listed objects\' schemas for a group of manifests', async () => {
    const { parseScaleGroup } = await import('../../../shared/app/scaleGroup.js');

    const parsed = parseScaleGroup({ cluster: CLUSTER, scaledObjects: [{}] });

    expect(parsed.ok).toBe(true);
    expect(built).not.toEqual([]);
    expect(sourceParts()).toEqual([]);
  });

  it('builds tenancy\'s schema only for a cluster source that names tenants', async () => {
    const { parseScaleGroup } = await import('../../../shared/app/scaleGroup.js');

    const without = parseScaleGroup({ cluster: CLUSTER, source: { fromCluster: {} } });
    const builtWithout = sourceParts().length;
    const withTenants = parseScaleGroup({ cluster: CLUSTER, source: { fromCluster: { tenants: { otherNamespaces: {} } } } });

    expect([without.ok, withTenants.ok]).toEqual([true, true]);
    expect(builtWithout).toBe(0);
    expect(sourceParts()).not.toEqual([]);
  });
});
