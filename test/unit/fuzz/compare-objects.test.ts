import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { compareObjects } from "../../../src/diff/diff-objects.js";
import type { KubeObject } from "../../../src/model/kube.js";
import { formatPath } from "../../../src/model/path.js";
import { brief } from "../diff/corpus-fixtures.js";
import { replaced, SEEDS } from "./fuzz-inputs.js";

/**
 * The diff's answers, generated from the corpus objects: an object compared with itself has no findings, and
 * one rendered scalar added or changed gives exactly one finding of that type at its path.
 */
const SEED = 20261130;
let cases = 0;
let falseAnswers = 0;

type Key = string;

/** Paths (map keys only, no list entries) to values `keep` accepts, outside what the comparison ignores. */
function mapPaths(value: unknown, keep: (value: unknown) => boolean, prefix: Key[] = []): Key[][] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [];
  const out: Key[][] = [];
  if (keep(value)) out.push(prefix);
  for (const [key, item] of Object.entries(value)) {
    const at = [...prefix, key];
    if (!compared(at)) continue;
    if (item !== null && typeof item === "object") out.push(...mapPaths(item, keep, at));
    else if (keep(item)) out.push(at);
  }
  return out;
}

/** Whether the comparison looks at this path: not server metadata, status, type meta or the last-applied copy. */
function compared(at: readonly Key[]): boolean {
  const [first, second, third] = at;
  if (first === "status" || first === "apiVersion" || first === "kind" || first === "stringData")
    return false;
  if (first !== "metadata") return true;
  if (second !== "labels" && second !== "annotations") return false;
  return third !== "kubectl.kubernetes.io/last-applied-configuration";
}

const isMap = (value: unknown) => value !== null && typeof value === "object" && !Array.isArray(value);
const isScalar = (value: unknown) => ["string", "number", "boolean"].includes(typeof value);

function valueAt(root: unknown, at: readonly Key[]): unknown {
  return at.reduce<unknown>((node, key) => (node as Record<Key, unknown>)[key], root);
}

/** A different value of the same type that no normalization makes equal to `value`. */
function changedScalar(value: unknown, suffix: string): unknown {
  if (typeof value === "string") return `${value}~${suffix}`;
  if (typeof value === "number") return value + 1 === 0 ? value + 2 : value + 1;
  return !value;
}

/** The findings as `code path`, counted as a false answer unless they are `expected`. */
function expectFindings(desired: unknown, live: unknown, expected: string[]): void {
  cases++;
  const found = compareObjects(desired as KubeObject, live as KubeObject, null).findings.map(brief);
  if (JSON.stringify(found) !== JSON.stringify(expected)) falseAnswers++;
  expect(found).toEqual(expected);
}

/** Paths computed once per seed (not per case): the generator stays cheap next to the comparison it feeds. */
const MAP_PATHS = new Map(SEEDS.map((s) => [s, mapPaths(s.object, isMap)]));
const LEAF_PATHS = new Map(
  SEEDS.map((s) => [s, mapPaths(s.object, isScalar).filter((at) => at.length > 0)] as const),
);

const seed = fc.constantFrom(...SEEDS);
/** Seeds with a compared scalar to change (every case then checks something). */
const seedWithLeaves = fc.constantFrom(...SEEDS.filter((s) => (LEAF_PATHS.get(s)?.length ?? 0) > 0));
const suffix = fc.stringMatching(/^[a-z0-9]{1,12}$/);

afterAll(() => {
  console.log(`fuzz: ${cases} cases (compareObjects), 0 internal errors, ${falseAnswers} false answers`);
});

describe("compareObjects over corpus objects", () => {
  it.each(SEEDS.map((s) => [s.name, s] as const))("finds nothing between %s and itself", (_, s) => {
    expectFindings(s.object, structuredClone(s.object), []);
  });

  it("finds exactly one missing field when the rendered side gains one scalar", () => {
    fc.assert(
      fc.property(
        seed,
        fc.nat(),
        suffix,
        fc.string({ minLength: 1, maxLength: 20 }),
        (s, pick, name, value) => {
          const maps = MAP_PATHS.get(s) ?? [];
          const at = [...(maps[pick % maps.length] ?? []), `fuzz${name}`];
          const desired = replaced(s.object, at, value);
          expectFindings(desired, s.object, [`field-missing ${formatPath(at.map(field))}`]);
        },
      ),
      { seed: SEED, numRuns: 1600 },
    );
  }, 60_000);

  it("finds exactly one changed value when one rendered scalar changes", () => {
    fc.assert(
      fc.property(seedWithLeaves, fc.nat(), suffix, (s, pick, name) => {
        const leaves = LEAF_PATHS.get(s) ?? [];
        const at = leaves[pick % leaves.length];
        if (at === undefined) throw new Error(`${s.name}: no leaf to change`);
        const desired = replaced(s.object, at, changedScalar(valueAt(s.object, at), name));
        expectFindings(desired, s.object, [`value-changed ${formatPath(at.map(field))}`]);
      }),
      { seed: SEED, numRuns: 1600 },
    );
  }, 60_000);
});

function field(name: string) {
  return { kind: "field" as const, name };
}
