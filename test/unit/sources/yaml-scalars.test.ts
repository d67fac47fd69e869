import { describe, expect, it } from "vitest";
import { formatFloat32G } from "../../../src/sources/go-format-float32.js";
import { parseYamlStream } from "../../../src/sources/kube-yaml.js";
import {
  NOT_JSON_NUMBER,
  NULL_KEY,
  plainScalarKey,
  plainScalarValue,
  UINT64_KEY,
} from "../../../src/sources/yaml11-scalars.js";

// Expected values are what sigs.k8s.io/yaml v1.6.0's YAMLToJSON gives (test/yaml-differential checks them all).
const VALUES: [string, unknown][] = [
  [".", "."],
  ["e6", "e6"],
  ["E2", "E2"],
  [".e5", ".e5"],
  ["1e400", "1e400"],
  ["0o17", 15],
  ["0X1f", 31],
  ["+_5", 5],
  ["1e1_0", 1e10],
  ["._5", "._5"],
  [".5_5", 0.55],
  ["0755", 493],
  ["08", 8],
  ["0b-101", -5],
  ["-0", 0],
  ["-0.0", -0],
  ["yes", true],
  ["Off", false],
  ["oN", "oN"],
  ["~", null],
  ["", null],
  ["Null", null],
  ["2001-12-14", "2001-12-14"],
  ["1:20", "1:20"],
  ["9223372036854775808", 2 ** 63],
  ["18446744073709551616", 2 ** 64],
  ["0x10000000000000000", "0x10000000000000000"],
  // Past int64 and, with a sign, not a uint64: a float (2^64 after rounding).
  ["+18446744073709551615", 2 ** 64],
  ["Infinity", "Infinity"],
  ["-.nan", "-.nan"],
];

const KEYS: [string, string][] = [
  ["1", "1"],
  ["true", "true"],
  ["n", "false"],
  ["0x1f", "31"],
  [".5", "0.5"],
  ["1.0", "1"],
  ["1e20", "1e+20"],
  ["1e-5", "1e-05"],
  ["123456.0", "123456"],
  ["1234567.0", "1.234567e+06"],
  ["16777217.0", "1.6777216e+07"],
  ["3.14159265358979", "3.1415927"],
  ["1e300", ".inf"],
  ["-1e300", "-.inf"],
  ["-.Inf", "-.inf"],
  [".NaN", ".nan"],
  ["-0.0", "-0"],
  ["9223372036854775807", "9223372036854775807"],
  ["2001-12-14", "2001-12-14"],
  ["._5", "._5"],
];

describe("plain scalars as sigs.k8s.io/yaml reads them", () => {
  it.each(VALUES)("reads the value %j as %j", (text, expected) => {
    expect(Object.is(plainScalarValue(text), expected) || plainScalarValue(text) === expected).toBe(true);
  });

  it.each(KEYS)("turns the key %j into %j", (text, expected) => {
    expect(plainScalarKey(text)).toBe(expected);
  });

  it.each([
    ["value", ".inf", () => plainScalarValue(".inf"), NOT_JSON_NUMBER],
    ["value", ".nan", () => plainScalarValue(".nan"), NOT_JSON_NUMBER],
    ["key", "~", () => plainScalarKey("~"), NULL_KEY],
    ["key", "18446744073709551615", () => plainScalarKey("18446744073709551615"), UINT64_KEY],
  ])("refuses the %s %j as Kubernetes does", (_position, _text, read, message) => {
    expect(read).toThrow(message);
  });
});

describe("formatFloat32G (strconv.FormatFloat(x, 'g', -1, 32))", () => {
  it.each([
    [0.1, "0.1"],
    [1e20, "1e+20"],
    [100000, "100000"],
    [1e6, "1e+06"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [1.401298464324817e-45, "1e-45"],
    [3.4028234663852886e38, "3.4028235e+38"],
    [2 ** 24 + 1, "1.6777216e+07"],
    [-2.5, "-2.5"],
    [Number.NaN, "NaN"],
    [1e39, "+Inf"],
  ])("formats %d as %s", (x, expected) => {
    expect(formatFloat32G(x)).toBe(expected);
  });
});

describe("manifests read with these scalars", () => {
  it("keeps `.` and leaves quoted scalars strings", () => {
    const [document] = parseYamlStream(
      "args: [ls, .]\nworkingDir: .\nmode: 0o644\nquoted: '0o644'\n1e20: x\n",
      "m.yaml",
    );
    expect(document?.value).toEqual({
      args: ["ls", "."],
      workingDir: ".",
      mode: 420,
      quoted: "0o644",
      "1e+20": "x",
    });
  });

  it("merges `<<` as go-yaml does: the merge overrides keys before it, the first mapping of a list wins", () => {
    const [document] = parseYamlStream(
      "x: &x {a: 1, b: 1}\ny: &y {b: 2, c: 2}\nz:\n  c: 0\n  <<: [*x, *y]\n  a: 3\n",
      "m.yaml",
    );
    expect((document?.value as { z: unknown } | undefined)?.z).toEqual({ a: 3, b: 1, c: 2 });
  });

  it("reads an alias used as a key as go-yaml reads its plain target", () => {
    const [document] = parseYamlStream("x: &x 1e20\n*x : v\n", "m.yaml");
    expect(document?.value).toEqual({ x: 1e20, "1e+20": "v" });
  });
});

describe("double-quoted scalars (verbatim ones are read as single-quoted, for speed)", () => {
  const readValue = (yaml: string) => {
    const [document] = parseYamlStream(`v: ${yaml}\n`, "m.yaml");
    return (document?.value as { v: unknown } | undefined)?.v;
  };

  it.each([
    ['"plain text"', "plain text"],
    ['"yes"', "yes"],
    ['"0755"', "0755"],
    ['"tab\there"', "tab\there"],
    ['"trailing  "', "trailing  "],
    ['"it\'s"', "it's"],
    ['"a\\tb\\u00e9\\x41\\"q\\""', 'a\tbéA"q"'],
    ['"folded\n  line"', "folded line"],
    ['"kept\n\n  break"', "kept\nbreak"],
    ["'single ''quoted'''", "single 'quoted'"],
  ])("%s reads as %j", (yaml, expected) => {
    expect(readValue(yaml)).toBe(expected);
  });

  it("keeps keys, flow collections and tagged scalars as they were", () => {
    const [document] = parseYamlStream('{"a": ["x", "y"], "b": !!str "1"}\n', "m.yaml");
    expect(document?.value).toEqual({ a: ["x", "y"], b: "1" });
  });

  it("reads a 10 MB double-quoted value in well under a second (char by char it took seconds)", () => {
    const big = "a".repeat(10 * 1024 * 1024);
    const started = performance.now();
    expect(readValue(`"${big}"`)).toBe(big);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("reports an unterminated double-quoted scalar at the same place", () => {
    expect(() => parseYamlStream('v: "open\n', "m.yaml")).toThrow(/^m\.yaml:\d+:\d+: malformed YAML: /);
  });
});
