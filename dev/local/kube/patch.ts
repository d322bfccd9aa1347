import { isDeepStrictEqual } from 'node:util';
import { LpaError } from '../../../shared/errors.js';

/**
 * The write half of the scale subresource: which patch media types kube accepts, RFC 7386 merge patch,
 * RFC 6902 JSON Patch, and decoding the result into a Scale the way Go's `encoding/json` would (so a
 * string or fractional replica count fails like it does on a real cluster).
 */

type PatchKind = 'merge' | 'json';

/** A JSON Patch that does not decode (400) or does not apply (422). */
class PatchError extends LpaError {
  readonly decodes: boolean;
  constructor(message: string, decodes: boolean) {
    super(message);
    this.name = 'PatchError';
    this.decodes = decodes;
  }
}

/** Strategic merge on a Scale (no lists) is a merge patch; anything else is 415. */
const PATCH_KINDS: Readonly<Record<string, PatchKind>> = {
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'merge',
  'application/json-patch+json': 'json',
};

const mediaType = (contentType: string | undefined): string =>
  (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

const patchKindOf = (contentType: string | undefined): PatchKind | undefined => PATCH_KINDS[mediaType(contentType)];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** RFC 7386: objects merge key by key, `null` deletes, anything else replaces. */
const applyMergePatch = (target: unknown, patch: unknown): unknown => {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
};

/** RFC 6901 pointer tokens; the empty pointer is the document itself. */
const pointerTokens = (pointer: unknown): string[] => {
  if (typeof pointer !== 'string' || (pointer !== '' && !pointer.startsWith('/'))) {
    throw new PatchError(`invalid JSON pointer ${JSON.stringify(pointer)}`, false);
  }
  return pointer === '' ? [] : pointer.slice(1).split('/').map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
};

/** Resolves the parent of a pointer inside a `{ root }` wrapper, so `""` needs no special case. */
const locate = (wrapper: Record<string, unknown>, pointer: unknown): { parent: unknown; key: string } => {
  const tokens = ['root', ...pointerTokens(pointer)];
  const key = tokens.pop() as string;
  let parent: unknown = wrapper;
  for (const token of tokens) {
    parent = Array.isArray(parent) ? parent[Number(token)] : isObject(parent) ? parent[token] : undefined;
    if (parent === undefined) throw new PatchError(`doc is missing path: ${String(pointer)}`, true);
  }
  return { parent, key };
};

const arrayIndex = (array: unknown[], key: string, forInsert: boolean): number => {
  const index = key === '-' && forInsert ? array.length : Number(key);
  const limit = forInsert ? array.length : array.length - 1;
  if (!/^(0|[1-9]\d*|-)$/.test(key) || !Number.isInteger(index) || index > limit) {
    throw new PatchError(`index out of bounds: ${key}`, true);
  }
  return index;
};

const read = (wrapper: Record<string, unknown>, pointer: unknown): unknown => {
  const { parent, key } = locate(wrapper, pointer);
  const value = Array.isArray(parent) ? parent[arrayIndex(parent, key, false)] : isObject(parent) ? parent[key] : undefined;
  if (value === undefined) throw new PatchError(`doc is missing key: ${String(pointer)}`, true);
  return value;
};

const add = (wrapper: Record<string, unknown>, pointer: unknown, value: unknown): void => {
  const { parent, key } = locate(wrapper, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true), 0, value);
  else if (isObject(parent)) parent[key] = value;
  else throw new PatchError(`cannot add at ${String(pointer)}: parent is not a container`, true);
};

const remove = (wrapper: Record<string, unknown>, pointer: unknown): unknown => {
  const value = read(wrapper, pointer);
  const { parent, key } = locate(wrapper, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, false), 1);
  else delete (parent as Record<string, unknown>)[key];
  return value;
};

const applyOperation = (wrapper: Record<string, unknown>, operation: unknown): void => {
  if (!isObject(operation)) throw new PatchError('json: cannot unmarshal operation: not an object', false);
  const { op, path, from, value } = operation;
  if ((op === 'add' || op === 'replace' || op === 'test') && !('value' in operation)) {
    throw new PatchError(`${String(op)} operation has no value`, false);
  }
  switch (op) {
    case 'add':
      return add(wrapper, path, structuredClone(value));
    case 'remove':
      remove(wrapper, path);
      return;
    case 'replace':
      remove(wrapper, path);
      return add(wrapper, path, structuredClone(value));
    case 'move':
      return add(wrapper, path, remove(wrapper, from));
    case 'copy':
      return add(wrapper, path, structuredClone(read(wrapper, from)));
    case 'test':
      if (!isDeepStrictEqual(read(wrapper, path), value)) throw new PatchError(`testing value ${String(path)} failed`, true);
      return;
    default:
      throw new PatchError(`unexpected operation ${JSON.stringify(op)}`, false);
  }
};

/** RFC 6902, applied to a copy; the first failing operation aborts the whole patch. */
const applyJsonPatch = (document: unknown, operations: unknown): unknown => {
  if (!Array.isArray(operations)) {
    throw new PatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch', false);
  }
  const wrapper: Record<string, unknown> = { root: structuredClone(document) };
  for (const operation of operations) applyOperation(wrapper, operation);
  return wrapper.root;
};

const INT32_MAX = 2 ** 31 - 1;

/** The JSON type word Go puts in an `UnmarshalTypeError` (numbers quote their literal when aimed at an int). */
const goTypeWord = (value: unknown, intoInteger: boolean): string => {
  if (typeof value === 'number') return intoInteger ? `number ${value}` : 'number';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return typeof value === 'boolean' ? 'bool' : 'string';
};

type DecodedScale =
  | { readonly ok: true; readonly replicas: number; readonly name?: string; readonly resourceVersion?: string }
  | { readonly ok: false; readonly goError: string };

const typeError = (value: unknown, field: string, goType: string): DecodedScale => ({
  ok: false,
  goError: `json: cannot unmarshal ${goTypeWord(value, goType === 'int32')} into Go struct field ${field} of type ${goType}`,
});

/**
 * Decodes a patched or PUT Scale as Go would into autoscaling/v1 Scale: `null` leaves a field at its zero
 * value, so an absent or null replica count is 0 (a merge patch `{"spec":{"replicas":null}}` scales to zero).
 */
const decodeScale = (object: unknown): DecodedScale => {
  if (!isObject(object)) return typeError(object, 'Scale', 'v1.Scale');
  const metadata = object.metadata ?? {};
  const spec = object.spec ?? {};
  if (!isObject(metadata)) return typeError(metadata, 'Scale.metadata', 'v1.ObjectMeta');
  if (!isObject(spec)) return typeError(spec, 'Scale.spec', 'v1.ScaleSpec');
  const name = metadata.name ?? '';
  const resourceVersion = metadata.resourceVersion ?? '';
  if (typeof name !== 'string') return typeError(name, 'ObjectMeta.metadata.name', 'string');
  if (typeof resourceVersion !== 'string') {
    return typeError(resourceVersion, 'ObjectMeta.metadata.resourceVersion', 'string');
  }
  const replicas = spec.replicas ?? 0;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || Math.abs(replicas) > INT32_MAX) {
    return typeError(replicas, 'ScaleSpec.spec.replicas', 'int32');
  }
  return {
    ok: true,
    replicas,
    ...(name === '' ? {} : { name }),
    ...(resourceVersion === '' ? {} : { resourceVersion }),
  };
};

export { PatchError, applyJsonPatch, applyMergePatch, decodeScale, mediaType, patchKindOf };
export type { DecodedScale };
