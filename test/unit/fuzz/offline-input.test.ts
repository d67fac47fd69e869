import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  badOutcome,
  checkTexts,
  damagedText,
  HOSTILE_DOCUMENTS,
  pathsOf,
  replaced,
  SEEDS,
  serialized,
  strangeValue,
} from "./fuzz-inputs.js";

/**
 * Bad input, generated: whatever the files hold, an offline check ends in a report or in one line naming
 * the file (and line) — never an internal error. Seeded from the real objects of test/fixtures/corpus.
 */
const SEED = 20261130;
let cases = 0;
const failures: string[] = [];

async function judge(manifest: string, live: string): Promise<boolean> {
  cases++;
  const problem = badOutcome(await checkTexts(manifest, live));
  if (problem !== null) failures.push(problem);
  return problem === null;
}

const seedText = fc.constantFrom(...SEEDS).map((seed) => seed.text);
/** Per seed, computed once rather than per case: its paths and its object serialized as YAML and as JSON. */
const PATHS = new Map(SEEDS.map((seed) => [seed, pathsOf(seed.object)]));
const SERIALIZED = new Map(
  SEEDS.map((seed) => [seed, { yaml: serialized(seed.object, false), json: serialized(seed.object, true) }]),
);

afterAll(() => {
  console.log(
    `fuzz: ${cases} cases (offline input), ${failures.length} internal errors or unnamed files, 0 false answers`,
  );
});

describe("an offline check of hostile input", () => {
  const valid = SEEDS[0]?.text ?? "";

  it.each(HOSTILE_DOCUMENTS)(
    "reads $name as live objects: a report or one line naming the file",
    async ({ text }) => {
      expect(badOutcome(await checkTexts(valid, text))).toBeNull();
    },
  );

  it.each(HOSTILE_DOCUMENTS)(
    "reads $name as a manifest: a report or one line naming the file",
    async ({ text }) => {
      expect(badOutcome(await checkTexts(text, valid))).toBeNull();
    },
  );

  it("reads damaged corpus files (lines cut, duplicated, bytes spliced in) without an internal error", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(damagedText, seedText), fc.oneof(damagedText, seedText), judge),
      { seed: SEED, numRuns: 900 },
    );
    expect(failures).toEqual([]);
  }, 60_000);

  it("compares corpus objects with a value of the wrong shape anywhere without an internal error", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SEEDS),
        fc.nat(),
        strangeValue,
        fc.boolean(),
        fc.boolean(),
        async (seed, pick, value, onLiveSide, asJson) => {
          const paths = PATHS.get(seed) ?? [];
          const reshaped = replaced(seed.object, paths[pick % paths.length] ?? [], value);
          // Only the reshaped side is serialized per case; the seed's own YAML and JSON are made once.
          const asIs = SERIALIZED.get(seed) ?? { yaml: "", json: "" };
          return onLiveSide
            ? judge(asIs.yaml, serialized(reshaped, asJson))
            : judge(serialized(reshaped, false), asJson ? asIs.json : asIs.yaml);
        },
      ),
      { seed: SEED, numRuns: 900 },
    );
    expect(failures).toEqual([]);
  }, 60_000);

  it("splices hostile documents into corpus files without an internal error", async () => {
    const hostile = fc.constantFrom(...HOSTILE_DOCUMENTS).map((document) => document.text);
    await fc.assert(
      fc.asyncProperty(seedText, hostile, fc.boolean(), async (text, document, intoLive) => {
        const spliced = `${text}\n---\n${document}`;
        return intoLive ? judge(text, spliced) : judge(spliced, text);
      }),
      { seed: SEED, numRuns: 120 },
    );
    expect(failures).toEqual([]);
  }, 60_000);
});
