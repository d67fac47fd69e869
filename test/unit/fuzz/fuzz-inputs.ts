import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { parse, stringify } from "yaml";
import { ObjectsClusterReader } from "../../../src/cluster/objects-cluster-reader.js";
import { checkReleases } from "../../../src/core/check-releases.js";
import { offlineRelease } from "../../../src/core/offline-release.js";
import { HelmDriftError, InputError } from "../../../src/errors.js";
import type { KubeObject } from "../../../src/model/kube.js";
import { reporters } from "../../../src/report/reporters.js";
import { parseLiveObjects } from "../../../src/sources/live-objects.js";
import { requireRenderedObjects } from "../../../src/sources/manifest-documents.js";
import { corpusPath } from "../../helpers/corpus.js";

/** The seed: every recorded object of the corpus (live dumps, configs, predicted-live), as text and parsed. */
export interface Seed {
  name: string;
  text: string;
  object: KubeObject;
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ya?ml|json|response)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

export const SEEDS: readonly Seed[] = [corpusPath("live-objects"), corpusPath("live-vs-desired")]
  .flatMap(filesUnder)
  .map((file) => {
    const text = readFileSync(file, "utf8");
    return { name: path.relative(corpusPath(), file), text, object: parse(text) as KubeObject };
  })
  .filter(({ object }) => typeof object?.kind === "string" && object.kind !== "List");

export const MANIFEST = "manifest.yaml";
export const LIVE = "live.yaml";

/** What one offline check of two texts came to. */
export type Outcome =
  | { kind: "report"; text: string; json: string }
  | { kind: "input-error"; message: string }
  | { kind: "known-error"; message: string }
  | { kind: "internal-error"; error: unknown };

/** The offline check as the CLI runs it (src/cli/check-command.ts), both reporters included. */
export async function checkTexts(manifest: string, live: string): Promise<Outcome> {
  try {
    requireRenderedObjects(manifest, MANIFEST);
    const objects = parseLiveObjects(live, LIVE);
    const release = offlineRelease({
      manifest,
      origin: MANIFEST,
      live: objects,
      release: null,
      namespace: null,
    });
    const report = await checkReleases(
      { kind: "given", releases: [release] },
      { reader: new ObjectsClusterReader(objects), now: () => new Date(0) },
    );
    return {
      kind: "report",
      text: reporters.text(report, { color: false, verbose: true }),
      json: reporters.json(report, { color: false }),
    };
  } catch (error) {
    if (error instanceof InputError) return { kind: "input-error", message: error.message };
    if (error instanceof HelmDriftError) return { kind: "known-error", message: error.message };
    return { kind: "internal-error", error };
  }
}

/**
 * Whether an outcome is acceptable: a report, or one line naming the file (with its line when there is one).
 * Returns what is wrong, or null.
 */
export function badOutcome(outcome: Outcome): string | null {
  switch (outcome.kind) {
    case "report":
      return null;
    case "internal-error":
      return `internal error: ${outcome.error instanceof Error ? (outcome.error.stack ?? outcome.error.message) : String(outcome.error)}`;
    case "input-error":
      if (outcome.message.includes("\n")) return `not one line: ${outcome.message}`;
      if (!/^(manifest|live)\.yaml(:\d+){0,2}: \S/.test(outcome.message))
        return `names no file: ${outcome.message}`;
      return null;
    case "known-error":
      return outcome.message.includes("\n") ? `not one line: ${outcome.message}` : null;
  }
}

const DEPTH = 5000;

/** Whole documents that have broken parsers: each is tried alone and spliced into seeds. */
export const HOSTILE_DOCUMENTS: readonly { name: string; text: string }[] = [
  { name: "JSON arrays nested 5000 deep", text: `${"[".repeat(DEPTH)}${"]".repeat(DEPTH)}` },
  { name: "JSON objects nested 5000 deep", text: `${'{"a":'.repeat(DEPTH)}1${"}".repeat(DEPTH)}` },
  {
    name: "a ConfigMap whose data is nested 5000 deep (JSON)",
    text: `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":${'{"a":'.repeat(DEPTH)}1${"}".repeat(DEPTH)}}`,
  },
  { name: "YAML flow sequences nested 5000 deep", text: `a: ${"[".repeat(DEPTH)}${"]".repeat(DEPTH)}\n` },
  { name: "YAML block sequences nested 5000 deep", text: `${"- ".repeat(DEPTH)}x\n` },
  {
    name: "a ConfigMap whose data is nested 5000 deep (YAML)",
    text: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  a: ${"{a: ".repeat(DEPTH)}1${"}".repeat(DEPTH)}\n`,
  },
  {
    name: "an alias bomb",
    text: [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      ...Array.from({ length: 8 }, (_, i) => {
        const prev = String.fromCharCode(97 + i);
        const next = String.fromCharCode(98 + i);
        return `${next}: &${next} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`;
      }),
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata: {x: *i}",
    ].join("\n"),
  },
  { name: "a merge of a scalar", text: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  <<: 5\n  name: m\n" },
  {
    name: "a merge of a list of scalars",
    text: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  <<: [1, 2]\n  name: m\n",
  },
  {
    name: "a merge of an alias to a scalar",
    text: "x: &s 5\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  <<: *s\n  name: m\n",
  },
  {
    name: "a __proto__ key in YAML",
    text: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p\ndata:\n  __proto__: {polluted: yes}\n",
  },
  {
    name: "a __proto__ key in JSON",
    text: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"p","__proto__":{"name":"q"}},"data":{"__proto__":{"a":"b"}}}',
  },
  ...[
    ["a map", '{"f:data":{}}'],
    ["a string", '"fields"'],
    ["a list with a null entry", "[null]"],
    ["a list with a number", "[5]"],
    ["an entry whose fieldsV1 is a list", '[{"manager":"kubectl","operation":"Update","fieldsV1":[1]}]'],
    [
      "an entry with a number as manager and garbage time",
      '[{"manager":5,"operation":7,"time":"yesterday","fieldsV1":{"f:data":{"f:a":{}}}}]',
    ],
    [
      "an entry with malformed field keys",
      '[{"manager":"kubectl","operation":"Update","fieldsV1":{"k:{not json":{},"v:[":{},"f:data":5}}]',
    ],
  ].map(([shape, value]) => ({
    name: `managedFields as ${shape}`,
    text: `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"m","managedFields":${value}},"data":{"a":"b"}}`,
  })),
  ...["5", '"a string"', "[1, 2]", "true", "~", "2026-01-01", "!!binary aGk="].map((value) => ({
    name: `a document that is ${value}`,
    text: `--- ${value}\n`,
  })),
  { name: "a List whose items are not objects", text: "apiVersion: v1\nkind: List\nitems: [1, null, [x]]\n" },
  {
    name: "a Deployment whose pod spec has the wrong shapes",
    text: [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata: {name: d, labels: [a], annotations: {a: 5}}",
      "spec:",
      "  template:",
      "    spec:",
      "      containers: {name: c}",
      "      volumes: [null, 5, {name: {a: 1}}]",
      "      initContainers: [{name: i, volumeMounts: x, ports: [{containerPort: {}}]}]",
    ].join("\n"),
  },
];

/** A value of the wrong shape, to put where the seed has something else. */
export const strangeValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, "", 0, -1, true, [], {}, [null], { "": null }, "1Gi", "100m", "k:{", "f:"),
);

/** Every path to a value of `value`, maps and lists both, root excluded. */
export function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => [[...prefix, i], ...pathsOf(item, [...prefix, i])]);
  }
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => [
      [...prefix, key],
      ...pathsOf(item, [...prefix, key]),
    ]);
  }
  return [];
}

/** A copy of `root` with the value at `at` replaced by `value`. */
export function replaced(root: unknown, at: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const key of at.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = at[at.length - 1];
  if (last !== undefined) node[last] = value;
  return copy;
}

/** A seed object with one value somewhere inside replaced by a value of a strange shape. */
export const reshapedObject: fc.Arbitrary<unknown> = fc
  .tuple(fc.constantFrom(...SEEDS), fc.nat(), strangeValue)
  .map(([seed, pick, value]) => {
    const paths = pathsOf(seed.object);
    return replaced(seed.object, paths[pick % paths.length] ?? [], value);
  });

/** One edit of a text: the cuts and splices that damaged or hand-edited files have. */
const textEdit: fc.Arbitrary<(text: string) => string> = fc.oneof(
  fc.nat().map((n) => (text: string) => {
    const lines = text.split("\n");
    lines.splice(n % lines.length, 1);
    return lines.join("\n");
  }),
  fc.nat().map((n) => (text: string) => {
    const lines = text.split("\n");
    const i = n % lines.length;
    lines.splice(i, 0, lines[i] ?? "");
    return lines.join("\n");
  }),
  fc.tuple(fc.nat(), fc.uint8Array({ maxLength: 12 })).map(([n, bytes]) => (text: string) => {
    const at = n % (text.length + 1);
    return text.slice(0, at) + Buffer.from(bytes).toString("latin1") + text.slice(at);
  }),
  fc.tuple(fc.nat(), fc.string({ unit: "binary", maxLength: 8 })).map(([n, inserted]) => (text: string) => {
    const at = n % (text.length + 1);
    return text.slice(0, at) + inserted + text.slice(at);
  }),
  fc.nat().map((n) => (text: string) => text.slice(0, n % (text.length + 1))),
  fc
    .tuple(
      fc.nat(),
      fc.constantFrom(": ", "- ", "  ", "\t", "---", "&a ", "*a", "<<: ", "!!", "{", "[", '"', "'", "#"),
    )
    .map(([n, token]) => (text: string) => {
      const at = n % (text.length + 1);
      return text.slice(0, at) + token + text.slice(at);
    }),
);

/** Seed text damaged by one to three edits. */
export const damagedText: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...SEEDS), fc.array(textEdit, { minLength: 1, maxLength: 3 }))
  .map(([seed, edits]) => edits.reduce((text, edit) => edit(text), seed.text));

/** A value serialized as kubectl would print it, YAML or JSON. */
export function serialized(value: unknown, asJson: boolean): string {
  return asJson ? JSON.stringify(value, null, 2) : stringify(value, { aliasDuplicateObjects: false });
}
