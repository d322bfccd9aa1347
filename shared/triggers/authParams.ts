/**
 * KEDA's typed-config lookup for parameters tagged `order=authParams;triggerMetadata`: the
 * TriggerAuthentication's value when it has a non-blank one, else the metadata's. Values from the
 * TriggerAuthentication may be secrets, so a bad one is reported by its name and source only.
 */
import { TriggerReadError } from './errors.js';
import type { TriggerRequest } from './types.js';

/** A parameter's value and where it came from. */
interface Parameter<V> {
  readonly value: V;
  readonly from: 'TriggerAuthentication' | 'metadata';
}

/**
 * The parameter `name`: authParams first (parsed by `parse`, which returns undefined for a bad
 * value), else the already validated metadata value. Throws when neither has it and it is required.
 *
 * @example
 * const account = authOrMetadata(request, 'account', request.trigger.metadata.account, parseAccount, 'an integer');
 */
const authOrMetadata = <V>(
  request: TriggerRequest,
  name: string,
  metadataValue: V | undefined,
  parse: (text: string) => V | undefined,
  rule: string,
): Parameter<V> | undefined => {
  const text = request.authParams?.[name];
  if (text !== undefined && text.trim() !== '') {
    const value = parse(text.trim());
    // Never the value itself: it may be a key.
    if (value === undefined) throw new TriggerReadError(`${name} from the TriggerAuthentication must be ${rule}`);
    return { value, from: 'TriggerAuthentication' };
  }
  return metadataValue === undefined ? undefined : { value: metadataValue, from: 'metadata' };
};

/** `authOrMetadata` for a parameter the trigger cannot do without. */
const requiredParameter = <V>(request: TriggerRequest, name: string, metadataValue: V | undefined, parse: (text: string) => V | undefined, rule: string): Parameter<V> => {
  const parameter = authOrMetadata(request, name, metadataValue, parse, rule);
  if (parameter === undefined) {
    const where = request.trigger.authenticationRef === undefined ? 'metadata' : 'the TriggerAuthentication or metadata';
    throw new TriggerReadError(`${name} is required and ${where} has none`);
  }
  return parameter;
};

export { authOrMetadata, requiredParameter };
export type { Parameter };
