/**
 * A `ScaleClient` whose scale reads come from one list per namespace and kind where that list replaces
 * several `GET …/scale` (DESIGN.md §5). Which reads are listed is planned from the objects a pass will
 * evaluate: a (namespace, kind) with at least `LIST_MIN_TARGETS` Deployment or StatefulSet targets is
 * listed once, lazily (the first read starts it, the others share it). Everything else, writes included,
 * goes to the client as before. A target missing from its list, or a list that fails (e.g. RBAC without
 * `list`), is read with its own GET, so errors keep their per-object wording and nothing is guessed.
 */
import type { TargetKind } from './discovery.js';
import type { Scale, ScaleClient, ScaleTargetRef } from './types.js';
import { isListable, type WorkloadApi } from './workloads.js';

/** One list page replaces two GETs or more; for a lone target the GET is cheaper and reads less. */
const LIST_MIN_TARGETS = 2;

interface ListedTarget {
  readonly namespace: string;
  readonly target: ScaleTargetRef;
}

const keyOf = (namespace: string, { apiVersion, kind }: TargetKind): string => `${namespace}\n${apiVersion}\n${kind}`;

/** The (namespace, kind) pairs worth one list each. */
const plannedLists = (targets: readonly ListedTarget[]): Set<string> => {
  const counts = new Map<string, number>();
  for (const { namespace, target } of targets) {
    if (!isListable(target)) continue;
    const key = keyOf(namespace, target);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, n]) => n >= LIST_MIN_TARGETS).map(([key]) => key));
};

const withListedScales = (client: ScaleClient, workloads: WorkloadApi, targets: readonly ListedTarget[]): ScaleClient => {
  const planned = plannedLists(targets);
  const lists = new Map<string, Promise<Map<string, Scale> | undefined>>();
  const listOf = (namespace: string, target: ScaleTargetRef, signal: AbortSignal | undefined): Promise<Map<string, Scale> | undefined> => {
    const key = keyOf(namespace, target);
    let list = lists.get(key);
    if (list === undefined) {
      // A failed list is not an answer for any object: each falls back to its own GET.
      list = workloads.listScales(namespace, target, { signal }).catch(() => undefined);
      lists.set(key, list);
    }
    return list;
  };
  return {
    ...client,
    getScale: async (namespace, target, options) => {
      if (planned.has(keyOf(namespace, target))) {
        const scale = (await listOf(namespace, target, options?.signal))?.get(target.name);
        if (scale !== undefined) return scale;
      }
      return client.getScale(namespace, target, options);
    },
  };
};

export { LIST_MIN_TARGETS, plannedLists, withListedScales };
export type { ListedTarget };
