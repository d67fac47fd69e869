import type { ScalarTag } from "yaml";
import { formatFloat32G } from "./go-format-float32.js";

/**
 * Plain (unquoted) scalars read the way Helm and kubectl read them. Both turn YAML into JSON with
 * sigs.k8s.io/yaml's YAMLToJSON: go-yaml v2 resolves each plain scalar (YAML 1.1 rules, with Go's number
 * parsers), then convertToJSONableObject turns non-string map keys into strings, then encoding/json writes
 * the JSON the API server stores. Any other reading of `workingDir: .` or `mode: 0o755` is a false drift.
 *
 * Mirrors, line by line:
 * - go-yaml v2 `resolve`: https://github.com/yaml/go-yaml/blob/v2.4.0/resolve.go (go.yaml.in/yaml/v2 v2.4.4)
 * - sigs.k8s.io/yaml `convertToJSONableObject`: https://github.com/kubernetes-sigs/yaml/blob/v1.6.0/yaml.go
 * test/yaml-differential runs the real thing against this file.
 */
export type GoYamlScalar =
  | { kind: "null" }
  | { kind: "bool"; value: boolean }
  /** go-yaml's `int` (int64 range) and `uint64` (above it): `exact` is the integer, before JSON rounds it. */
  | { kind: "int" | "uint"; exact: bigint }
  | { kind: "float"; value: number }
  | { kind: "str" };

const RESOLVE_MAP = new Map<string, GoYamlScalar>([
  ...["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"].map(
    (s) => [s, { kind: "bool", value: true }] as const,
  ),
  ...["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"].map(
    (s) => [s, { kind: "bool", value: false }] as const,
  ),
  ...["", "~", "null", "Null", "NULL"].map((s) => [s, { kind: "null" }] as const),
  ...[".nan", ".NaN", ".NAN"].map((s) => [s, { kind: "float", value: Number.NaN }] as const),
  ...[".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"].map(
    (s) => [s, { kind: "float", value: Number.POSITIVE_INFINITY }] as const,
  ),
  ...["-.inf", "-.Inf", "-.INF"].map((s) => [s, { kind: "float", value: Number.NEGATIVE_INFINITY }] as const),
]);

/** resolveTable: the first character decides what a plain scalar may be; any other start is a string. */
function hint(text: string): "sign" | "digit" | "map" | "dot" | undefined {
  if (text === "") return "map";
  const c = text[0] as string;
  if (c === "+" || c === "-") return "sign";
  if (c >= "0" && c <= "9") return "digit";
  if ("yYnNtTfFoO~".includes(c)) return "map";
  if (c === ".") return "dot";
  return undefined;
}

/** What `strconv.ParseFloat(in, 64)` accepts when `in` starts with a dot: underscores only between digits. */
const DOT_FLOAT = /^\.[0-9]+(?:_[0-9]+)*(?:[eE][-+]?[0-9]+(?:_[0-9]+)*)?$/;
/** go-yaml v2 `yamlStyleFloat`, tried on the text without underscores. */
const YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** `strconv.ParseInt(s, 0, 64)` syntax: optional sign, then 0b/0o/0x (any case), a leading-0 octal, or decimal. */
const GO_INT = /^[-+]?(?:0[bB][01]+|0[oO][0-7]+|0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** The integer a Go base-prefixed literal (sign, then 0b/0o/0x, `0` octal or decimal digits) denotes. */
function goIntegerValue(text: string): bigint {
  const negative = text[0] === "-";
  const unsigned = text.replace(/^[-+]/, "");
  const prefix = unsigned.slice(0, 2).toLowerCase();
  let magnitude: bigint;
  if (prefix === "0b" || prefix === "0o" || prefix === "0x")
    magnitude = BigInt(`${prefix}${unsigned.slice(2)}`);
  else if (unsigned.length > 1 && unsigned[0] === "0") magnitude = BigInt(`0o${unsigned.slice(1)}`);
  else magnitude = BigInt(unsigned);
  return negative ? -magnitude : magnitude;
}

/** A finite float64 that strconv.ParseFloat reads without a range error: overflow leaves go-yaml a string. */
function finiteFloat(text: string): GoYamlScalar | undefined {
  const value = Number(text);
  return Number.isFinite(value) ? { kind: "float", value } : undefined;
}

/** go-yaml v2 `resolve(tag = "", in)` for a plain scalar. */
export function resolvePlainScalar(text: string): GoYamlScalar {
  const start = hint(text);
  if (start === undefined) return { kind: "str" };
  const known = RESOLVE_MAP.get(text);
  if (known) return known;
  if (start === "dot")
    return (DOT_FLOAT.test(text) && finiteFloat(text.replaceAll("_", ""))) || { kind: "str" };
  if (start === "map") return { kind: "str" };
  // Timestamps (`2001-12-14`) resolve as such, but decoding into interface{} turns them back into the text;
  // and no text starting with four digits and a dash could be read as a number below: skipping them is exact.
  const plain = text.replaceAll("_", "");
  if (GO_INT.test(plain)) {
    const exact = goIntegerValue(plain);
    if (exact >= INT64_MIN && exact <= INT64_MAX) return { kind: "int", exact };
    // ParseUint accepts no sign at all.
    if (/^[0-9]/.test(plain) && exact <= UINT64_MAX) return { kind: "uint", exact };
  }
  if (YAML_STYLE_FLOAT.test(plain)) {
    const float = finiteFloat(plain);
    if (float) return float;
  }
  // `0b` then a signed binary number: strconv.ParseInt(plain[2:], 2, 64) takes the sign (`0b-101` is -5).
  const binary = /^0b([-+]?)([01]+)$/.exec(plain);
  if (binary) {
    const exact = (binary[1] === "-" ? -1n : 1n) * BigInt(`0b${binary[2]}`);
    if (exact >= INT64_MIN && exact <= INT64_MAX) return { kind: "int", exact };
    if (binary[1] === "" && exact <= UINT64_MAX) return { kind: "uint", exact };
  }
  return { kind: "str" };
}

/** A plain scalar Kubernetes would refuse: YAMLToJSON fails on it. The message names no source text. */
export class UnrepresentableScalarError extends Error {}

export const NOT_JSON_NUMBER = "a number JSON cannot hold (NaN or infinity)";
export const NULL_KEY = "a null mapping key (Kubernetes accepts only string, number and boolean keys)";
export const UINT64_KEY = "an integer mapping key above the int64 range (Kubernetes refuses it)";
export const UNREPRESENTABLE_PHRASES: ReadonlySet<string> = new Set([NOT_JSON_NUMBER, NULL_KEY, UINT64_KEY]);

/** The JSON value (as JSON.parse would give it) of a plain scalar in value position. */
export function plainScalarValue(text: string): unknown {
  const scalar = resolvePlainScalar(text);
  switch (scalar.kind) {
    case "null":
      return null;
    case "bool":
      return scalar.value;
    case "int":
    case "uint":
      return Number(scalar.exact);
    case "float":
      // encoding/json refuses NaN and the infinities ("json: unsupported value").
      if (!Number.isFinite(scalar.value)) throw new UnrepresentableScalarError(NOT_JSON_NUMBER);
      return scalar.value;
    case "str":
      return text;
  }
}

const GO_FLOAT_KEY_NAMES = new Map([
  ["+Inf", ".inf"],
  ["-Inf", "-.inf"],
  ["NaN", ".nan"],
]);

/** The JSON object key of a plain scalar in key position: convertToJSONableObject's conversion. */
export function plainScalarKey(text: string): string {
  const scalar = resolvePlainScalar(text);
  switch (scalar.kind) {
    case "null":
      throw new UnrepresentableScalarError(NULL_KEY);
    case "bool":
      return String(scalar.value);
    case "int":
      return scalar.exact.toString();
    case "uint":
      throw new UnrepresentableScalarError(UINT64_KEY);
    case "float": {
      // strconv.FormatFloat(key, 'g', -1, 32): rounded to float32 first, so `1e300` is an infinite key too.
      const formatted = formatFloat32G(scalar.value);
      return GO_FLOAT_KEY_NAMES.get(formatted) ?? formatted;
    }
    case "str":
      return text;
  }
}

/**
 * The yaml package's hooks for the above: plain scalars at a key (tags marked `default: "key"` are only
 * tried there, and this one comes first) and elsewhere. Quoted and block scalars never reach them: they stay
 * strings. The tag names are our own, so an explicit `!!int` still goes to the yaml package's tag.
 */
const ANY = /(?:)/;
export const GO_YAML_KEY_TAG: ScalarTag = {
  tag: "tag:helm-drift,2025:go-yaml-key",
  default: "key",
  test: /^(?!<<$)/,
  resolve: plainScalarKey,
};
export const GO_YAML_VALUE_TAG: ScalarTag = {
  tag: "tag:helm-drift,2025:go-yaml-value",
  default: true,
  test: ANY,
  resolve: (text) => plainScalarValue(text) as never,
};
