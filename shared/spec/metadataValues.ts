/**
 * KEDA trigger metadata is a `map[string]string`: every value reaches the scaler as a string and is
 * parsed with Go's `strconv`. Users also write plain YAML numbers and booleans (`queueLength: 5`),
 * so each helper accepts both and rejects what Go would reject, naming the parser in the message.
 */
import * as z from 'zod';
import { quote } from './echo.js';

/** Go `strconv.ParseBool`: exactly these spellings, nothing else (`yes`/`on` are errors). */
const GO_TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'] as const;
const GO_FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False'] as const;
const GO_TRUE_SET: ReadonlySet<string> = new Set(GO_TRUE);
const GO_FALSE_SET: ReadonlySet<string> = new Set(GO_FALSE);

/** `strconv.ParseInt(s, 10, 64)` without underscores (base 10 forbids them). */
const GO_INT = /^[+-]?\d+$/;
/** The decimal forms of `strconv.ParseFloat`; hex floats, `Inf` and `NaN` make no sense as targets. */
const GO_FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Would Go's `strconv.ParseInt(text, 10, 64)` accept it (ignoring the 64-bit range)? */
const isGoInt = (text: string): boolean => GO_INT.test(text);
/** Would Go's `strconv.ParseFloat` accept it (decimal forms only)? */
const isGoFloat = (text: string): boolean => GO_FLOAT.test(text);

/** `true`/`false` for a ParseBool spelling, `undefined` for anything else. */
const parseGoBool = (text: string): boolean | undefined => {
  if (GO_TRUE_SET.has(text)) return true;
  if (GO_FALSE_SET.has(text)) return false;
  return undefined;
};

/** How a bad value appears in a message: strings quoted, so `"5.5"` and `5.5` are told apart. */
const describeValue = (value: unknown): string => {
  if (typeof value === 'string') return quote(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
};

const fail = (ctx: z.RefinementCtx, message: string): never => {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
};

/** A string value; numbers and booleans are kept as the text YAML would have shown. */
const kedaString = () =>
  z.unknown().transform((input, ctx): string => {
    if (typeof input === 'string') return input;
    if (typeof input === 'number' || typeof input === 'boolean') return String(input);
    return fail(ctx, input === undefined ? 'is required' : `must be a string, got ${describeValue(input)}`);
  });

interface Bounds {
  /** inclusive */
  readonly min?: number;
}

const checkMin = (value: number, bounds: Bounds, ctx: z.RefinementCtx): number =>
  bounds.min !== undefined && value < bounds.min ? fail(ctx, `must be ≥ ${bounds.min}, got ${value}`) : value;

/** An integer as KEDA parses it (`strconv.ParseInt`): `"5.5"` is an error, not 5. */
const kedaInt = (bounds: Bounds = {}) =>
  z.unknown().transform((input, ctx): number => {
    if (input === undefined) return fail(ctx, 'is required');
    const value = typeof input === 'string' && GO_INT.test(input.trim()) ? Number(input.trim()) : input;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      return fail(ctx, `must be an integer (KEDA parses it with strconv.ParseInt), got ${describeValue(input)}`);
    }
    return checkMin(value, bounds, ctx);
  });

/** A finite number as KEDA parses it (`strconv.ParseFloat`). */
const kedaFloat = (bounds: Bounds & { readonly greaterThan?: number } = {}) =>
  z.unknown().transform((input, ctx): number => {
    if (input === undefined) return fail(ctx, 'is required');
    const value = typeof input === 'string' && GO_FLOAT.test(input.trim()) ? Number(input.trim()) : input;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return fail(ctx, `must be a number (KEDA parses it with strconv.ParseFloat), got ${describeValue(input)}`);
    }
    if (bounds.greaterThan !== undefined && !(value > bounds.greaterThan)) {
      return fail(ctx, `must be > ${bounds.greaterThan}, got ${value}`);
    }
    return checkMin(value, bounds, ctx);
  });

/** A boolean as KEDA parses it (`strconv.ParseBool`). */
const kedaBool = () =>
  z.unknown().transform((input, ctx): boolean => {
    if (typeof input === 'boolean') return input;
    const value = typeof input === 'string' ? parseGoBool(input.trim()) : undefined;
    if (value !== undefined) return value;
    return fail(
      ctx,
      input === undefined
        ? 'is required'
        : `must be a boolean (KEDA parses it with strconv.ParseBool: ${[...GO_TRUE, ...GO_FALSE].join(', ')}), got ${describeValue(input)}`,
    );
  });

/** A `;`-separated list (KEDA's `separator=;` tag), each item trimmed. */
const kedaList = () => kedaString().transform((text) => text.split(';').map((item) => item.trim()));

/** Go `time.ParseDuration` units, in milliseconds. */
const GO_DURATION_UNITS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const GO_DURATION = /^[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;

/** Go `time.ParseDuration` in milliseconds (`"1m30s"`, `"1.5s"`, `"0"`), `undefined` when Go would refuse it. */
const parseGoDuration = (text: string): number | undefined => {
  if (text === '0' || text === '+0' || text === '-0') return 0;
  if (!GO_DURATION.test(text)) return undefined;
  let total = 0;
  for (const [, amount = '', unit = ''] of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(amount) * (GO_DURATION_UNITS[unit] ?? 0);
  return text.startsWith('-') ? -total : total;
};

/**
 * A `time.Duration` as KEDA's typed config reads it, in milliseconds: a Go duration (`"30s"`),
 * else a whole number of milliseconds (`"1000"`); negative values are errors.
 */
const kedaDuration = () =>
  kedaString().transform((text, ctx): number => {
    const trimmed = text.trim();
    const value = parseGoDuration(trimmed) ?? (GO_INT.test(trimmed) ? Number(trimmed) : undefined);
    if (value === undefined) return fail(ctx, `must be a duration such as "30s" or "5m", or a number of milliseconds, got ${describeValue(text)}`);
    if (value < 0) return fail(ctx, `must not be negative, got ${describeValue(text)}`);
    return value;
  });

/**
 * A `map[string]string` parameter (KEDA `setConfigValueMap`): `key1=value1,key2=value2`, each key and
 * value trimmed; an item that is not exactly one `key=value` (no `=`, or a value holding `=`) is an
 * error. Pairs are kept in the order written.
 */
const kedaMap = () =>
  kedaString().transform((text, ctx): [string, string][] => {
    const pairs: [string, string][] = [];
    for (const item of text.split(',').map((part) => part.trim())) {
      const parts = item.split('=');
      if (parts.length !== 2) return fail(ctx, `must be key=value pairs separated by commas (a value cannot contain "=" or ","), got ${describeValue(item)}`);
      const key = (parts[0] as string).trim();
      if (key === '') return fail(ctx, `has an item with an empty key: ${describeValue(item)}`);
      pairs.push([key, (parts[1] as string).trim()]);
    }
    return pairs;
  });

/**
 * KEDA's typed config treats a key whose value is empty as unset, so defaults and "required"
 * apply to `queueLength: ""` exactly as to a missing key.
 */
const dropEmptyValues = (metadata: unknown): unknown => {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return metadata;
  return Object.fromEntries(Object.entries(metadata).filter(([, value]) => value !== ''));
};

/** A key KEDA knows that LPA cannot honour there: present at all → one issue that says what to do. */
const refusedKey = (message: string) =>
  z
    .unknown()
    .superRefine((_, ctx) => ctx.addIssue({ code: 'custom', message }))
    .optional();

/** For a credential written in the metadata that KEDA reads from authParams only. */
const AUTH_ONLY = 'is read from a TriggerAuthentication only (KEDA: order=authParams); move it there';

export { AUTH_ONLY, describeValue, dropEmptyValues, refusedKey, isGoFloat, isGoInt, kedaBool, kedaDuration, kedaFloat, kedaInt, kedaList, kedaMap, kedaString, parseGoBool, parseGoDuration };
