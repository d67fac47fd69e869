import { execFileSync } from "node:child_process";
import { describe, expect, inject, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { parseYamlStream } from "../../src/sources/kube-yaml.js";
import { seededRandom } from "../helpers/seeded-mutations.js";

/**
 * helm-drift reads plain scalars as Helm and kubectl do: every scalar below goes, as a mapping value and as a
 * mapping key, through sigs.k8s.io/yaml's YAMLToJSON (test/yaml-differential, built by the global setup) and
 * through parseYamlStream; the JSON values must be equal (numbers compared with Object.is, so -0 counts), and
 * where YAMLToJSON fails, helm-drift must refuse the document too.
 */
const yamlconv = inject("yamlconv");

const WORDS = [
  ...["y", "Y", "yes", "Yes", "YES", "yEs", "n", "N", "no", "No", "NO", "nO", "true", "True", "TRUE", "tRUE"],
  ...["false", "False", "FALSE", "on", "On", "ON", "oN", "off", "Off", "OFF", "oFF", "~", "null", "Null"],
  ...["NULL", "nULL", "<<", "NaN", "nan", "Infinity", "inf", "-inf", "+Infinity", "t", "f", "o", "O"],
  ...[".nan", ".NaN", ".NAN", ".Nan", "-.nan", "+.nan", ".inf", ".Inf", ".INF", ".iNF", "+.inf", "+.Inf"],
  ...["+.INF", "-.inf", "-.Inf", "-.INF", ".", "..", "...", "e6", "E2", ".e5", "1e400", "-1e400", "1e-400"],
  ...["0o17", "0O17", "0X1f", "0x1F", "0x", "0b", "0o", "0B101", "+_5", "1e1_0", "._5", ".5_5", "5_", "_5"],
  ...["0b-101", "0b+101", "-0b101", "+0b101", "-0b-1", "0b_1", "-0x1f", "+0o7", "0x_1f", "0_x1f", "0__7"],
  ...["9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809"],
  ...["18446744073709551615", "18446744073709551616", "+18446744073709551615", "0xFFFFFFFFFFFFFFFF"],
  ...["0x10000000000000000", "0x8000000000000000", "-0x8000000000000000", "0o1777777777777777777777"],
  ...["0b1111111111111111111111111111111111111111111111111111111111111111", "0b-1000000000000000000000"],
  ...["9007199254740993", "-9007199254740993", "123456789012345678901234567890", "1_000_000", "1,000"],
  ...["2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10", "2001-1-2", "2001-12-14x"],
  ...["1:20", "190:20:30.15", "-1:20", "1:2:3", "12:30:00", "0755", "0777", "08", "09", "09.5", "-0", "-0.0"],
  ...["+0", "+0.0", "0.1", "1e20", "1.0", "1e6", "123456.0", "1234567.0", "16777217.0", "3.4028235e38"],
  ...[
    "3.4028236e38",
    "3.5e38",
    "1e-45",
    "1.4e-45",
    "7e-46",
    "0.0001",
    "0.00001",
    "1e300",
    "-1e300",
    "0x1p-2",
  ],
  ...["1_2.3_4", "1__2", "1.", "+.5", "-.5", "+.", "-.", "1e", "1e+", "1.5E+3", "0.5e-3", "1.e5", "1.2.3"],
  ...["4.9e-324", "2e-324", "1.7976931348623157e308", "1.7976931348623159e308", "0.1e1_0", "1_e5", "1e_5"],
  ...["1.5_", "0.0", "00", "000", "0_0", "-", "+", "++1", "--1", "+-1", "1-", "1+1", "0xg", "0o8", "0b2"],
];

/** Where go-yaml does more than resolve a scalar: merges (it overrides, the first of a list wins), alias keys. */
const STRUCTURES = [
  "a: 1\n<<: {a: 2, b: 2}\n",
  "<<: {a: 2, b: 2}\na: 1\n",
  "x: &x {a: 1, b: 1}\ny: &y {b: 2, c: 2}\nz:\n  <<: [*x, *y]\n  c: 3\n",
  "x: &x {a: 1}\nz:\n  a: 0\n  <<: *x\n",
  "<<: [{a: 1}, 2]\n",
  "<<: ~\n",
  "x: &x 1e20\n*x : v\n",
  "x: &x '1e20'\n*x : v\n",
  "x: &x ~\n*x : v\n",
  "'1e20': v\n",
  '"0x1f": v\n',
  "k: '0x1f'\n",
  "? [a]\n: v\n",
  "? {a: 1}\n: v\n",
];

const PARTS = ["0", "1", "7", "8", "9", "5", "_", ".", "e", "E", "+", "-", "x", "X", "o", "O", "b", "a", "f"];
const PARTS_RARE = ["inf", "Inf", "nan", ":", "0x", "0o", "0b", "00", "e+", "e-", "12", "2001-"];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

/** Scalars built from the pieces numbers and YAML 1.1 keywords are made of, and decimals to exercise floats. */
function generateScalars(seed: number, count: number): string[] {
  const next = seededRandom(seed);
  const scalars = new Set<string>(WORDS);
  while (scalars.size < count) {
    if (next() < 0.3) {
      // A decimal: digits, maybe a point, maybe an exponent, in the ranges float32 keys round through.
      const digits = Array.from({ length: 1 + Math.floor(next() * 12) }, () =>
        pick(next, [..."0123456789"]),
      ).join("");
      const point = Math.floor(next() * (digits.length + 1));
      let text = `${digits.slice(0, point)}.${digits.slice(point)}`.replace(/^\.$/, "0.");
      if (next() < 0.5) text = `${text}e${Math.floor(next() * 100) - 50}`;
      if (next() < 0.2) text = `-${text}`;
      scalars.add(text);
      continue;
    }
    const length = 1 + Math.floor(next() * 7);
    let text = "";
    for (let i = 0; i < length; i++) text += next() < 0.1 ? pick(next, PARTS_RARE) : pick(next, PARTS);
    // Stay inside what a plain scalar can spell: no `:` at either end, no `-`/`+` then nothing else.
    if (/^:|:$|^[-+]$/.test(text)) continue;
    scalars.add(text);
  }
  return [...scalars];
}

type Outcome = { json: unknown } | { error: true };

function goConvert(documents: string[]): Outcome[] {
  const out = execFileSync(yamlconv.bin, { input: JSON.stringify(documents), maxBuffer: 64 << 20 });
  return JSON.parse(out.toString("utf8"));
}

function ourConvert(document: string): Outcome {
  try {
    return { json: parseYamlStream(document, "differential.yaml")[0]?.value ?? null };
  } catch (error) {
    if (error instanceof InputError) return { error: true };
    throw error;
  }
}

/** JSON values equal, numbers by Object.is (so -0 and 0 differ, as their JSON does). */
function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a === "number" || typeof b === "number") return Object.is(a, b);
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]))
    );
  }
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((k) => Object.hasOwn(b, k) && sameJson((a as never)[k], (b as never)[k]))
    );
  }
  return a === b;
}

const SEED = 20_251_101;
const COUNT = 4000;

describe.skipIf(yamlconv.bin === "")(
  `YAML scalars read as sigs.k8s.io/yaml reads them ${yamlconv.reason}`,
  () => {
    it("gives the JSON YAMLToJSON gives for every scalar, as a value and as a key", () => {
      const scalars = generateScalars(SEED, COUNT);
      const documents = [...scalars.flatMap((s) => [`k: ${s}\n`, `${s}: v\n`, `- ${s}\n`]), ...STRUCTURES];
      const theirs = goConvert(documents);
      expect(theirs).toHaveLength(documents.length);
      const differences = documents.flatMap((document, i) => {
        const ours = ourConvert(document);
        const go = theirs[i] as Outcome;
        const same = "error" in go ? "error" in ours : "json" in ours && sameJson(ours.json, go.json);
        return same ? [] : [{ document, go, ours }];
      });
      console.log(
        `yaml differential: ${scalars.length} scalars (key and value) and ${STRUCTURES.length} merge and key ` +
          `documents, ${differences.length} differences`,
      );
      // The comparison is not vacuous: the reference refuses some documents and turns some keys into numbers.
      expect(theirs.filter((outcome) => "error" in outcome).length).toBeGreaterThan(20);
      expect(theirs).toContainEqual({ json: { "1e+20": "v" } });
      expect(differences.slice(0, 20)).toEqual([]);
      expect(differences).toHaveLength(0);
    });
  },
);
