/**
 * What a plain (unquoted) YAML scalar means to `kubectl`: it reads manifests with sigs.k8s.io/yaml,
 * which decodes with go-yaml v2 (YAML 1.1 rules, `resolve.go`) and then re-encodes as JSON. So
 * `010` is 8 (Go's `strconv.ParseInt(s, 0, 64)`: a leading 0 is octal), `0o10` is 8, `0x1F` is 31,
 * `5_000` is 5000 (underscores are dropped first), `1e3` is 1000, `08` is 8 (not an octal int, but
 * a YAML-style float), `yes/no/on/off/y/n` are booleans, `~` and the empty scalar are null, and
 * `.inf` / `.nan` cannot be sent at all (JSON has no such numbers: `json: unsupported value`).
 * YAML 1.2 (what the `yaml` package reads by default) disagrees on most of these.
 *
 * Timestamps are the one YAML 1.1 type left as their text: go-yaml turns `2026-01-02` into a time
 * that JSON spells `2026-01-02T00:00:00Z`, but either way the value is a string.
 */

type PlainScalar = { readonly value: string | number | boolean | null } | { readonly error: string };

/** go-yaml v2's `resolveMap`: the spellings looked up before any number parsing. */
const KEYWORDS: ReadonlyMap<string, boolean | null | number> = new Map<string, boolean | null | number>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s) => [s, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((s) => [s, false] as const),
  ...['~', 'null', 'Null', 'NULL'].map((s) => [s, null] as const),
  ...['.nan', '.NaN', '.NAN'].map((s) => [s, Number.NaN] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((s) => [s, Number.POSITIVE_INFINITY] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((s) => [s, Number.NEGATIVE_INFINITY] as const),
]);

/** go-yaml v2's `yamlStyleFloat`, the only floats it accepts after the integer forms failed. */
const YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Digits of each base Go's base-0 syntax selects by prefix (`0x`, `0o`, `0b`, a bare leading `0`). */
const GO_BASE0 = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|(0[0-7]*)|([1-9][0-9]*))$/;

/** `strconv.ParseInt(s, 0, 64)`, falling back to `ParseUint` as go-yaml does; undefined if neither accepts it. */
const parseGoInteger = (text: string): number | undefined => {
  const match = GO_BASE0.exec(text);
  if (match === null) return undefined;
  const [, sign, hex, octal, binary, leadingZero, decimal] = match;
  // No 64-bit number has more than 64 significant digits (binary): skip converting a huge one.
  if ((hex ?? octal ?? binary ?? leadingZero ?? decimal ?? '').replace(/^0+/, '').length > 64) return undefined;
  let magnitude: bigint;
  if (hex !== undefined) magnitude = BigInt(`0x${hex}`);
  else if (octal !== undefined) magnitude = BigInt(`0o${octal}`);
  else if (binary !== undefined) magnitude = BigInt(`0b${binary}`);
  else if (leadingZero !== undefined) magnitude = leadingZero.length > 1 ? BigInt(`0o${leadingZero.slice(1)}`) : 0n;
  else magnitude = BigInt(decimal as string);
  const value = sign === '-' ? -magnitude : magnitude;
  if (value >= INT64_MIN && value <= INT64_MAX) return Number(value);
  // ParseUint takes no sign at all.
  return sign === '' && value <= UINT64_MAX ? Number(value) : undefined;
};

const firstClass = (c: string): 'sign' | 'digit' | 'keyword' | 'dot' | undefined => {
  if (c === '+' || c === '-') return 'sign';
  if (c >= '0' && c <= '9') return 'digit';
  if ('yYnNtTfFoO~'.includes(c)) return 'keyword';
  return c === '.' ? 'dot' : undefined;
};

const resolve = (text: string): string | number | boolean | null => {
  if (text === '') return null;
  const kind = firstClass(text[0] as string);
  if (kind === undefined) return text;
  const keyword = KEYWORDS.get(text);
  if (keyword !== undefined) return keyword;
  if (kind === 'keyword') return text;
  if (kind === 'dot') return /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/.test(text) ? Number(text) : text;
  const plain = text.replaceAll('_', '');
  const integer = parseGoInteger(plain);
  if (integer !== undefined) return integer;
  if (YAML_STYLE_FLOAT.test(plain)) {
    const float = Number(plain);
    // ParseFloat fails with ErrRange beyond float64, and go-yaml then keeps the text.
    return Number.isFinite(float) ? float : text;
  }
  return text;
};

/**
 * The value kubectl would send for a plain scalar, or why it cannot send one.
 *
 * @example
 * resolvePlainScalar('010') // { value: 8 }
 * resolvePlainScalar('on') // { value: true }
 */
const resolvePlainScalar = (text: string): PlainScalar => {
  const value = resolve(text);
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return { error: `${text} is ${String(value)} to kubectl, which JSON cannot carry (kubectl fails with "json: unsupported value"); quote it if you mean the text` };
  }
  return { value };
};

export { resolvePlainScalar };
export type { PlainScalar };
