/**
 * Kubernetes `resource.Quantity` (k8s.io/apimachinery/pkg/api/resource): a signed decimal number,
 * then a binary suffix (`Ki`…`Ei`), a decimal exponent (`e3`, `E-2`) or an SI suffix (`n`, `u`,
 * `m`, none, `k`, `M`, `G`, `T`, `P`, `E`). `1E3` is an exponent; `1E` is exa.
 *
 * `milliValue` is exact (BigInt): the HPA computes on `Quantity.MilliValue()`, which rounds a
 * fraction of a milli-unit **up** (`"1n"` of CPU is 1 millicore; metrics-server's `"299276543n"`
 * is 300 millicores), and memory in milli-bytes outgrows 2^53 on large Deployments.
 */

const DECIMAL_SUFFIX: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Readonly<Record<string, bigint>> = { Ki: 1n, Mi: 2n, Gi: 3n, Ti: 4n, Pi: 5n, Ei: 6n };
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[numkMGTPE])?$/;
/** Far beyond any real quantity (Kubernetes caps values near 2^63); keeps BigInt powers small. */
const MAX_EXPONENT = 40;

/** A parsed quantity: `digits × 10^exponent × 1024^binary`, the sign kept apart. */
interface ParsedQuantity {
  readonly negative: boolean;
  readonly digits: bigint;
  readonly exponent: number;
  readonly binary: bigint;
}

const parse = (text: string): ParsedQuantity | undefined => {
  const match = QUANTITY.exec(text.trim());
  if (match === null) return undefined;
  const [, sign, number = '', suffix = ''] = match;
  const [whole = '', fraction = ''] = number.split('.');
  const digits = BigInt(`${whole}${fraction}` === '' ? '0' : `${whole}${fraction}`);
  let exponent = -fraction.length;
  let binary = 0n;
  if (suffix in BINARY_SUFFIX) binary = BINARY_SUFFIX[suffix] as bigint;
  else if (/^[eE]./.test(suffix)) exponent += Number(suffix.slice(1));
  else exponent += DECIMAL_SUFFIX[suffix] as number;
  if (Math.abs(exponent) > MAX_EXPONENT) return undefined;
  return { negative: sign === '-' && digits !== 0n, digits, exponent, binary };
};

/** Is `text` a Kubernetes quantity (`"500m"`, `"256Mi"`, `"1.5"`, `"2e3"`)? */
const isQuantity = (text: string): boolean => parse(text) !== undefined;

/** The forms the API writes most (`"299276543n"`, `"250m"`, `"23456Ki"`): milli-units per unit. */
const FAST_SCALE: ReadonlyMap<string, number> = new Map([['', 1000], ['k', 1e6], ['M', 1e9], ['Ki', 1024_000], ['Mi', 1024 ** 2 * 1000], ['Gi', 1024 ** 3 * 1000]]);
const FAST_DIVISOR: ReadonlyMap<string, number> = new Map([['n', 1e6], ['u', 1e3], ['m', 1]]);
/** More digits than this may not be exact in a double: the general parser takes them. */
const FAST_MAX_DIGITS = 15;

/**
 * Exact integer arithmetic on doubles below 2^53, for 1–15 digits and one of those suffixes;
 * undefined otherwise. Scanned by hand: the engine reads two quantities per pod per evaluation.
 */
const fastMilliValue = (text: string): bigint | undefined => {
  let end = 0;
  let digits = 0;
  while (end < text.length && end <= FAST_MAX_DIGITS) {
    const code = text.charCodeAt(end);
    if (code < 48 || code > 57) break;
    digits = digits * 10 + (code - 48);
    end++;
  }
  if (end === 0 || end > FAST_MAX_DIGITS) return undefined;
  const suffix = end === text.length ? '' : text.slice(end);
  const divisor = FAST_DIVISOR.get(suffix);
  if (divisor !== undefined) {
    const remainder = digits % divisor;
    return BigInt((digits - remainder) / divisor + (remainder === 0 ? 0 : 1));
  }
  const scale = FAST_SCALE.get(suffix);
  if (scale === undefined) return undefined;
  const milli = digits * scale;
  return Number.isSafeInteger(milli) ? BigInt(milli) : undefined;
};

/**
 * `Quantity.MilliValue()`: the value × 1000 as an integer, fractions rounded up (away from zero, as
 * inf.Dec's RoundUp). `undefined` when `text` is not a quantity.
 *
 * @example milliValue('299276543n') // 300n (millicores)
 */
const milliValue = (text: string): bigint | undefined => {
  const fast = fastMilliValue(text);
  if (fast !== undefined) return fast;
  const q = parse(text);
  if (q === undefined) return undefined;
  const scaled = q.digits * 1024n ** q.binary;
  const shift = q.exponent + 3;
  let magnitude: bigint;
  if (shift >= 0) {
    magnitude = scaled * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    magnitude = (scaled + divisor - 1n) / divisor;
  }
  return q.negative ? -magnitude : magnitude;
};

/** The quantity as a float (`"0.05"`, `"50m"` → 0.05), for values the HPA reads as float64; `undefined` if not one. */
const quantityNumber = (text: string): number | undefined => {
  const q = parse(text);
  if (q === undefined) return undefined;
  const value = Number(`${q.digits}e${q.exponent}`) * 1024 ** Number(q.binary);
  return q.negative ? -value : value;
};

export { isQuantity, milliValue, quantityNumber };
