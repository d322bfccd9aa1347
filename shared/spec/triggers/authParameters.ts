/**
 * The parameters a trigger may take from its TriggerAuthentication (KEDA's typed-config `order=`
 * tags): `authParams` first, then — where KEDA allows it — the trigger's metadata. At validation
 * time only the metadata and the presence of an `authenticationRef` are known; the values arrive
 * at run time (shared/auth), where the reader checks them without ever quoting them.
 */
import type { PathSegment, RawIssue } from '../issues.js';

interface AuthParameter {
  readonly name: string;
  /** `order=authParams;triggerMetadata`: the metadata may give it too (the TriggerAuthentication wins). */
  readonly inMetadata: boolean;
  readonly required: boolean;
}

const present = (value: unknown): boolean => value !== undefined && value !== null && String(value).trim() !== '';

/**
 * Required parameters a trigger without `authenticationRef` lacks: a metadata-capable one is
 * reported at its metadata key, the TriggerAuthentication-only ones at `authenticationRef`.
 * Paths are relative to the trigger.
 *
 * @example
 * missingAuthParameters('datadog', DATADOG_AUTH, { query: 'avg:x{*}' }, false);
 * // [{ path: ['authenticationRef'], message: 'is required: datadog reads apiKey, appKey from a TriggerAuthentication only' }]
 */
const missingAuthParameters = (type: string, parameters: readonly AuthParameter[], metadata: Readonly<Record<string, unknown>>, hasRef: boolean): RawIssue[] => {
  if (hasRef) return [];
  const required = parameters.filter((parameter) => parameter.required);
  const fromMetadata = required.filter((parameter) => parameter.inMetadata && !present(metadata[parameter.name]));
  const authOnly = required.filter((parameter) => !parameter.inMetadata).map((parameter) => parameter.name);
  return [
    ...fromMetadata.map((parameter) => ({
      path: ['metadata', parameter.name] as PathSegment[],
      message: 'is required (in metadata, or from a TriggerAuthentication through authenticationRef)',
    })),
    ...(authOnly.length === 0 ? [] : [{ path: ['authenticationRef'], message: `is required: ${type} reads ${authOnly.join(', ')} from a TriggerAuthentication only` }]),
  ];
};

export { missingAuthParameters };
export type { AuthParameter };
