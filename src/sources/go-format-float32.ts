/**
 * Go's `strconv.FormatFloat(x, 'g', -1, 32)`: `x` rounded to float32, written with the fewest significant
 * digits that read back as the same float32 (the closest such digits, ties to even), in `%e` form when the
 * decimal exponent is below -4 or at least 6 (`1e+06`, `1.5e-05`) and plain otherwise (`123456`, `0.0001`).
 * sigs.k8s.io/yaml writes float map keys this way. Non-finite values are `NaN`, `+Inf` and `-Inf`, as in Go.
 * https://github.com/golang/go/blob/master/src/strconv/ftoa.go (formatDigits)
 */
export function formatFloat32G(x: number): string {
  const f = Math.fround(x);
  if (Number.isNaN(f)) return "NaN";
  if (!Number.isFinite(f)) return f > 0 ? "+Inf" : "-Inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  const { digits, point } = shortestFloat32Digits(Math.abs(f));
  const sign = f < 0 ? "-" : "";
  const exponent = point - 1;
  if (exponent < -4 || exponent >= 6) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const magnitude = String(Math.abs(exponent)).padStart(2, "0");
    return `${sign}${mantissa}e${exponent < 0 ? "-" : "+"}${magnitude}`;
  }
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** A positive rational number `num / den`. */
interface Ratio {
  num: bigint;
  den: bigint;
}

const compare = (a: Ratio, b: Ratio): number => {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
};

const power = (base: bigint, exponent: number): Ratio =>
  exponent >= 0 ? { num: base ** BigInt(exponent), den: 1n } : { num: 1n, den: base ** BigInt(-exponent) };

const times = (a: Ratio, b: Ratio): Ratio => ({ num: a.num * b.num, den: a.den * b.den });

/**
 * The shortest decimal digits (no trailing zeros) that round back to the positive float32 `f`, and where the
 * decimal point goes (`value = 0.digits × 10^point`). Exact: the float32, the halfway points to its
 * neighbours and the candidates are compared as rationals.
 */
function shortestFloat32Digits(f: number): { digits: string; point: number } {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, f);
  const bits = view.getUint32(0);
  const biased = bits >>> 23;
  const fraction = bits & 0x7fffff;
  const mantissa = BigInt(biased === 0 ? fraction : fraction | 0x800000);
  const exponent = biased === 0 ? -149 : biased - 150;
  const value = times({ num: mantissa, den: 1n }, power(2n, exponent));
  // Halfway to the next float32 above and below; below is closer when the mantissa is a power of two.
  const high = times({ num: 2n * mantissa + 1n, den: 1n }, power(2n, exponent - 1));
  const low =
    fraction === 0 && biased > 1
      ? times({ num: 4n * mantissa - 1n, den: 1n }, power(2n, exponent - 2))
      : times({ num: 2n * mantissa - 1n, den: 1n }, power(2n, exponent - 1));
  // Reading back rounds halfway cases to even: the bounds belong to this float32 when its mantissa is even.
  const inclusive = mantissa % 2n === 0n;
  const inside = (r: Ratio) => {
    const lo = compare(r, low);
    const hi = compare(r, high);
    return inclusive ? lo >= 0 && hi <= 0 : lo > 0 && hi < 0;
  };

  let magnitude = Math.floor(Math.log10(f));
  if (compare(power(10n, magnitude), value) > 0) magnitude -= 1;
  else if (compare(power(10n, magnitude + 1), value) <= 0) magnitude += 1;

  for (let precision = 1; ; precision++) {
    const unit = power(10n, magnitude - precision + 1);
    const scaled = { num: value.num * unit.den, den: value.den * unit.num };
    const floor = scaled.num / scaled.den;
    const candidates = [floor, floor + 1n].filter((n) => inside(times({ num: n, den: 1n }, unit)));
    if (candidates.length === 0) continue;
    // The closest to the float32; on a tie, the even one.
    const distance = (n: bigint) => {
      const d = n * scaled.den - scaled.num;
      return d < 0n ? -d : d;
    };
    const [first, second] = candidates as [bigint, bigint?];
    let chosen = first;
    if (second !== undefined) {
      const order = distance(second) - distance(first);
      if (order < 0n || (order === 0n && second % 2n === 0n)) chosen = second;
    }
    const text = chosen.toString();
    const digits = text.replace(/0+$/, "");
    return { digits, point: magnitude - precision + 1 + text.length };
  }
}
