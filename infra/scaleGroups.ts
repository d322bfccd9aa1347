/**
 * Splitting a cluster's ScaledObjects across schedules. The schedule input carries the manifests
 * (DESIGN.md §1), and EventBridge Scheduler caps a target's input at 256 KB, so a group is cut by
 * object count and by bytes, well below the cap. Each part is an ordinary ScaleGroup: one
 * invocation per part, all in parallel, each within its own Lambda timeout.
 */
import { ValidationError } from '../shared/errors.js';
import type { ValidationIssue } from '../shared/errors.js';
import { authenticationFor } from '../shared/access/touches.js';
import type { LoadedAuthentication, LoadedObject } from './manifests.js';

/** The cluster part of a ScaleGroup event (`shared/app/scaleGroup.ts`), possibly holding CDK tokens. */
interface ScaleGroupCluster {
  readonly name: string;
  readonly region: string;
}

interface ScaleGroupEvent {
  readonly cluster: ScaleGroupCluster;
  readonly scaledObjects: readonly Readonly<Record<string, unknown>>[];
  /** The cluster source's part: list the cluster's ScaledObjects (`shared/app/scaleGroup.ts`). */
  readonly source?: { readonly fromCluster: { readonly namespaces?: readonly string[]; readonly labelSelector?: string } };
  /** The (Cluster)TriggerAuthentications the part's objects reference, when given with the manifests. */
  readonly triggerAuthentications?: readonly Readonly<Record<string, unknown>>[];
}

interface SplitOptions {
  readonly maxObjects: number;
  /** Budget for one part's JSON, in UTF-8 bytes. */
  readonly maxBytes: number;
  /** Bytes the JSON will grow by at deploy time (cluster fields that are still CDK tokens). @default 0 */
  readonly reservedBytes?: number;
}

const bytesOf = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** The manifests of the given (Cluster)TriggerAuthentications that `members` reference, each once. */
const referencedAuthentications = (members: readonly LoadedObject[], authentications: readonly LoadedAuthentication[]): Readonly<Record<string, unknown>>[] => {
  const given = authentications.map((a) => a.triggerAuthentication);
  const used = new Set(members.flatMap(({ scaledObject }) => scaledObject.spec.triggers.map((trigger) => authenticationFor(scaledObject, trigger, given))));
  return authentications.filter((a) => used.has(a.triggerAuthentication)).map((a) => a.manifest);
};

/**
 * Parts in manifest order, each as full as both limits allow, so adding a manifest at the end
 * changes only the last schedule. An object too large for the byte budget on its own is an error
 * naming it, rather than a schedule that CloudFormation or Scheduler would reject at deploy time.
 *
 * @example
 * splitScaleGroup({ name: 'demo', region: 'eu-west-1' }, objects, { maxObjects: 50, maxBytes: 64 * 1024 });
 */
const splitScaleGroup = (cluster: ScaleGroupCluster, objects: readonly LoadedObject[], options: SplitOptions, authentications: readonly LoadedAuthentication[] = []): ScaleGroupEvent[] => {
  const emptyBytes = bytesOf({ cluster, scaledObjects: [] }) + (options.reservedBytes ?? 0);
  /** `,"triggerAuthentications":[]`, counted with every object that references one. */
  const authKeyBytes = bytesOf({ triggerAuthentications: [] }) - 1;
  // An object's authentications are counted with it: a safe upper bound when objects share one.
  const referenced = (object: LoadedObject) => referencedAuthentications([object], authentications);
  const withAuthentications = (scaledObjects: Readonly<Record<string, unknown>>[], members: readonly LoadedObject[]): ScaleGroupEvent => {
    const auths = referencedAuthentications(members, authentications);
    return { cluster, scaledObjects, ...(auths.length === 0 ? {} : { triggerAuthentications: auths }) };
  };
  const oversized: ValidationIssue[] = [];
  const parts: ScaleGroupEvent[] = [];
  let current: Readonly<Record<string, unknown>>[] = [];
  let members: LoadedObject[] = [];
  let currentBytes = emptyBytes;
  for (const object of objects) {
    const auths = referenced(object);
    const size = bytesOf(object.manifest) + (auths.length === 0 ? 0 : authKeyBytes + auths.reduce((sum, manifest) => sum + bytesOf(manifest) + 1, 0));
    if (emptyBytes + size > options.maxBytes) {
      const message = `is ${size} bytes as schedule input, over the budget of ${options.maxBytes - emptyBytes} bytes per object (maxScheduleInputBytes ${options.maxBytes})`;
      oversized.push({ source: object.source, documentIndex: object.documentIndex, path: '', message });
      continue;
    }
    // A comma separates it from the previous manifest of the part.
    const added = current.length === 0 ? size : size + 1;
    if (current.length > 0 && (current.length >= options.maxObjects || currentBytes + added > options.maxBytes)) {
      parts.push(withAuthentications(current, members));
      current = [object.manifest];
      members = [object];
      currentBytes = emptyBytes + size;
    } else {
      current.push(object.manifest);
      members.push(object);
      currentBytes += added;
    }
  }
  if (oversized.length > 0) throw new ValidationError(oversized);
  if (current.length > 0) parts.push(withAuthentications(current, members));
  return parts;
};

export { referencedAuthentications, splitScaleGroup };
export type { ScaleGroupCluster, ScaleGroupEvent, SplitOptions };
