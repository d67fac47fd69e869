/**
 * Kubernetes resource quantities, parsed exactly as k8s.io/apimachinery/pkg/api/resource/quantity.go does:
 *
 *   <quantity> ::= <sign>? <digits> ( "." <digits>? )? <suffix>  |  <sign>? "." <digits> <suffix>
 *   <suffix>   ::= Ki | Mi | Gi | Ti | Pi | Ei | n | u | m | "" | k | M | G | T | P | E | (e|E) <sign>? <digits>
 *
 * The API server canonicalizes quantities of built-in kinds (`1000m` → `1`, `1024Mi` → `1Gi`, `0.25` → `250m`),
 * so rendered and live spellings differ while meaning the same amount.
 * Upstream: https://github.com/kubernetes/apimachinery/blob/master/pkg/api/resource/quantity.go
 *
 * A value is kept as sign × odd × 2^twos × 5^fives with `odd` coprime to 10: that form is unique, so two
 * quantities are equal exactly when their forms are, with no floating point and no huge powers computed.
 */
export interface Quantity {
  readonly sign: -1 | 0 | 1;
  readonly odd: bigint;
  readonly twos: number;
  readonly fives: number;
}

const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIXES: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  "": 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const QUANTITY_SYNTAX = /^([+-]?)(?:(\d+)(?:\.(\d*))?|\.(\d+))([A-Za-z]*|[eE][+-]?\d+)$/;
/** quantity.go parses the exponent as an int32. */
const MAX_EXPONENT = 2 ** 31 - 1;

/** The quantity a string or JSON number spells, or null when it is not a valid Kubernetes quantity. */
export function parseQuantity(value: unknown): Quantity | null {
  const text = typeof value === "number" && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== "string") return null;
  const match = QUANTITY_SYNTAX.exec(text);
  if (!match) return null;
  const [, signText, whole = "", fraction = "", fractionOnly, suffix = ""] = match;
  const fractionDigits = fractionOnly ?? fraction;
  const scale = suffixScale(suffix);
  if (scale === null) return null;
  let digits = (whole + fractionDigits).replace(/^0+/, "");
  if (digits === "") return { sign: 0, odd: 0n, twos: 0, fives: 0 };
  let tens = scale.tens - fractionDigits.length;
  const trailingZeros = digits.length - digits.replace(/0+$/, "").length;
  digits = digits.slice(0, digits.length - trailingZeros);
  tens += trailingZeros;
  let odd = BigInt(digits);
  let twos = tens + scale.twos;
  let fives = tens;
  while (odd % 2n === 0n) {
    odd /= 2n;
    twos += 1;
  }
  while (odd % 5n === 0n) {
    odd /= 5n;
    fives += 1;
  }
  return { sign: signText === "-" ? -1 : 1, odd, twos, fives };
}

/** True when both values are valid quantities of the same amount. */
export function quantitiesEqual(a: unknown, b: unknown): boolean {
  const left = parseQuantity(a);
  const right = parseQuantity(b);
  if (left === null || right === null) return false;
  return (
    left.sign === right.sign &&
    left.odd === right.odd &&
    left.twos === right.twos &&
    left.fives === right.fives
  );
}

/** The power of ten and power of two a suffix multiplies by; null for an unknown suffix. */
function suffixScale(suffix: string): { tens: number; twos: number } | null {
  const binary = BINARY_SUFFIXES[suffix];
  if (binary !== undefined) return { tens: 0, twos: binary };
  const decimal = DECIMAL_SUFFIXES[suffix];
  if (decimal !== undefined) return { tens: decimal, twos: 0 };
  if (/^[eE][+-]?\d+$/.test(suffix)) {
    const exponent = Number(suffix.slice(1));
    if (Math.abs(exponent) > MAX_EXPONENT) return null;
    return { tens: exponent, twos: 0 };
  }
  return null;
}
