import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Parser } from "yaml";
import { parseYamlStream, parseYamlStreamComposed } from "../../../src/sources/kube-yaml.js";
import { readPlainDocument } from "../../../src/sources/plain-yaml-tokens.js";
import { mutated, seededRandom, yamlFilesUnder } from "../../helpers/seeded-mutations.js";

/**
 * src/sources/plain-yaml-tokens.ts reads plain documents from the parser's tokens instead of composing them.
 * Whatever the input, parseYamlStream must give exactly what composing every document gives: the same values,
 * lines, preambles and List item lines, or the same error. Checked over every YAML file of the repository's
 * fixtures, the Helm release manifests among them, a table of the constructs the reader must hand to the
 * Composer, and seeded mutations of a Helm-shaped manifest.
 */

const TEST_ROOT = path.resolve(import.meta.dirname, "../..");

type Outcome = { error: string } | { documents: unknown[] };

function outcome(read: (text: string, origin: string) => ReturnType<typeof parseYamlStream>, text: string) {
  try {
    return {
      documents: read(text, "input.yaml").map((document) => {
        const items = (document.value as { items?: unknown } | null)?.items;
        const count = Array.isArray(items) ? items.length : 0;
        return {
          value: document.value,
          line: document.line,
          preamble: document.preamble,
          itemLines: Array.from({ length: count }, (_, i) => document.itemLine(i)),
        };
      }),
    } satisfies Outcome;
  } catch (error) {
    return { error: (error as Error).message } satisfies Outcome;
  }
}

function expectSameReading(text: string): void {
  expect(outcome(parseYamlStream, text)).toEqual(outcome(parseYamlStreamComposed, text));
}

/** How many of the stream's documents the token reader takes (the rest go to the Composer). */
function plainShare(text: string): { plain: number; documents: number } {
  let plain = 0;
  let documents = 0;
  for (const token of new Parser().parse(text)) {
    if (token.type !== "document") continue;
    documents++;
    if (readPlainDocument(token)) plain++;
  }
  return { plain, documents };
}

const FIXTURES = yamlFilesUnder(TEST_ROOT).filter((file) => !file.includes("node_modules"));

/** Release manifests as Helm stored them (corpus release records, decoded). */
const RELEASE_MANIFESTS = readdirSync(path.join(TEST_ROOT, "fixtures/corpus/flux/helm-release-storage"))
  .filter((name) => name.endsWith(".decoded.json"))
  .map((name) => {
    const file = path.join(TEST_ROOT, "fixtures/corpus/flux/helm-release-storage", name);
    return { name, manifest: (JSON.parse(readFileSync(file, "utf8")) as { manifest: string }).manifest };
  });

const CONSTRUCTS: [string, string][] = [
  ["a comment right after a value", "a: b#c\n"],
  ["a comment after a space", "a: b # c\n"],
  ["a comment right after the colon", "a:#c\n"],
  ["a key without a value", "a:\nb: 1\n"],
  ["empty sequence entries", "a:\n-\n- \n-\n  # c\n- x\n"],
  ["a tab as indentation", "a:\n\tb: c\n"],
  ["a tab after a value", "a: b\t\n"],
  ["duplicate keys", "a: 1\na: 2\n"],
  ["keys equal once resolved", "1: a\n'1': b\n"],
  ["yes and 'true' as keys", "yes: 1\n'true': 2\n"],
  ["octal and decimal keys", "01: a\n1: b\n"],
  ["a merge key", "b: {}\n<<: {a: 1}\n"],
  ["an anchor and an alias", "a: &x 1\nb: *x\n"],
  ["a tag", "a: !!str 1\nb: !!int '2'\n"],
  ["an explicit key", "? a\n: b\n"],
  ["a block mapping on the --- line", "--- a: b\n"],
  ["a block scalar on the --- line", "--- |\n  x\n"],
  ["a folded scalar", "a: >-\n  one\n  two\n\n  three\n"],
  ["a literal scalar kept", "a: |+\n  x\n\nb: 1\n"],
  ["an indentation indicator", "a: |2\n   x\n  y\n"],
  ["a bad block scalar header", "a: |x\n  y\n"],
  ["a multi-line plain scalar", "a: b\n  c\n   d\n"],
  ["a multi-line quoted scalar", "a: \"b\n  c\"\nb: 'd\n\n  e'\n"],
  ["escapes", "a: \"\\t\\u00e9\\x41\\\n  b\"\nb: 'it''s'\n"],
  ["a bad escape", 'a: "\\q"\n'],
  ["flow sequences", "a: [x, \"y\", 'z', 1, yes, ~]\nb: [ ]\nc: {}\nd: []\n"],
  ["a flow sequence with an empty entry", "a: [x,, y]\n"],
  ["a flow sequence with a trailing comma", "a: [x, y,]\n"],
  ["a flow sequence without commas", "a: [x y]\n"],
  ["a flow sequence over lines", "a: [x,\n  y]\n"],
  ["a flow mapping", "a: {b: 1, c: [2]}\n"],
  ["a flow sequence of mappings", "a: [{b: 1}]\nc: [d: 1]\n"],
  ["a flow sequence with a comment after it", "a: [x]#c\nb: [y] # c\n"],
  ["an unclosed flow sequence", "a: [x\nb: 1\n"],
  ["document end markers", "a: 1\n...\n---\nb: 2\n...\n"],
  ["a document end with a comment", "a: 1\n... # done\n"],
  ["a document end alone", "...\n"],
  ["a directive", "%YAML 1.1\n---\na: 1\n"],
  ["a directive after a plain document", "a: 1\n---\nb: 2\n...\n%YAML 1.1\n---\nc: 3\n"],
  ["an error between plain documents", "a: 1\n---\nb: [\n---\nc: 3\n"],
  ["an error after the last document", "a: 1\n---\nb: 2\n]\n"],
  ["a 1 025-character key", `${"k".repeat(1025)}: 1\n`],
  ["a __proto__ key", "__proto__: 1\n"],
  ["a quoted __proto__ key", "'__proto__': {a: 1}\n"],
  ["numbers go-yaml reads its way", "a: 0755\nb: 0x1F\nc: 1e3\nd: 1_000\ne: .5\nf: -0\n"],
  ["an infinite value", "a: .inf\n"],
  ["a float key", "1e300: x\n1.5: y\n"],
  ["a null key", "~: x\n"],
  ["a key above int64", "18446744073709551615: x\n"],
  ["a nested compact mapping", "a: b: c\n"],
  ["mappings in a sequence", "- a: 1\n  b: 2\n- c\n- - d\n  - e\n"],
  [
    "a List",
    "apiVersion: v1\nkind: List\nitems:\n- kind: A\n  apiVersion: v1\n-   kind: B\n    apiVersion: v1\n",
  ],
  ["a List with an empty item", "apiVersion: v1\nkind: List\nitems:\n-\n- kind: A\n"],
  ["a key indented off its mapping", "a: 1\n b: 2\n"],
  ["a value less indented than its key", "a:\n  b: 1\n c: 2\n"],
  ["a comment-only document", "# x\n---\n# y\n"],
  ["an empty document between others", "a: 1\n---\n---\nb: 2\n"],
  ["quoted keys", '"a": 1\n\'b\': 2\n"c\\td": 3\n'],
  ["a byte order mark", "\uFEFFa: 1\n"],
  ["CRLF line ends", "a: 1\r\nb:\r\n  - c\r\n"],
  ["a root scalar", "--- hello\n"],
  ["a root sequence", "- 1\n- two\n"],
  ["a root block scalar", "--- |\n  text\n"],
  ["a key on two lines", '"a\n b": 1\n'],
  ["a trailing comment in a mapping", "a:\n  b: 1\n  # c\nd: 2\n"],
  ["a comment line between entries", "a: 1\n# c\nb: 2\n"],
  ["an alias to nothing", "a: *x\n"],
  ["a reserved indicator", "a: @b\n"],
  ["a plain scalar with a colon", "a: http://x:80/y\nb: c:d\n"],
  ["a document that is only a comment after content", "a: 1 # one\n# end\n"],
  ["deep nesting", `${Array.from({ length: 150 }, (_, i) => `${"  ".repeat(i)}k${i}:`).join("\n")} end\n`],
];

describe("reading plain documents from the parser's tokens", () => {
  it.each(CONSTRUCTS)("reads %s as composing does", (_name, text) => {
    expectSameReading(text);
  });

  it.each(FIXTURES.map((file) => [path.relative(TEST_ROOT, file), file]))(
    "reads %s as composing does",
    (_name, file) => {
      expectSameReading(readFileSync(file, "utf8"));
    },
  );

  it.each(RELEASE_MANIFESTS.map(({ name, manifest }) => [name, manifest]))(
    "reads the manifest of %s as composing does, every document from the tokens",
    (_name, manifest) => {
      expectSameReading(manifest);
      const share = plainShare(manifest);
      expect(share.documents).toBeGreaterThan(0);
      expect(share.plain).toBe(share.documents);
    },
  );

  it("takes the plain constructs from the tokens and hands the others to the Composer", () => {
    const plain = ["a: b # c\n", "a: [x, 'y']\nb: {}\n", "a: |\n  x\n", "- a: 1\n  b: ~\n", "a:\n"];
    const composed = ["a: &x 1\n", "a: !!str 1\n", "? a\n: b\n", "<<: {a: 1}\n", "a: [x,\n y]\n"];
    expect(plain.map((text) => plainShare(text).plain)).toEqual(plain.map(() => 1));
    expect(composed.map((text) => plainShare(text).plain)).toEqual(composed.map(() => 0));
  });
});

const HELM_SHAPED = `---
# Source: web/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/name: "web"
    helm.sh/chart: web-1.0.0
spec:
  replicas: 2
  selector:
    matchLabels: {}
  template:
    spec:
      containers:
        - name: web # the only one
          image: 'nginx:1.27'
          args: ["--port", "8080", yes]
          env:
            - name: MODE
              value: |
                one
                two
          ports:
            - containerPort: 8080
              protocol: TCP
---
# Source: web/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  mode: 0755
  empty:
  folded: >-
    a
    b
`;

/** Characters that change what YAML means: indicators, quotes, white space of every kind, line ends. */
const MUTATIONS = [
  " ",
  "  ",
  "\t",
  "\n",
  "#",
  ":",
  "-",
  "[",
  "]",
  "{",
  "}",
  ",",
  '"',
  "'",
  "|",
  ">",
  "&a ",
  "*a",
  "!",
  "?",
  "%",
  "@",
  "`",
  "\\",
  "...",
  "---",
  "<<: {}\n",
  "\r\n",
];

describe("seeded mutations of a Helm-shaped manifest", () => {
  it("read as composing reads them, whatever is inserted, deleted or swapped", () => {
    const next = seededRandom(20261130);
    let plainDocuments = 0;
    for (let round = 0; round < 3000; round++) {
      const text = mutated(HELM_SHAPED, MUTATIONS, next);
      const composed = outcome(parseYamlStreamComposed, text);
      const read = outcome(parseYamlStream, text);
      if (JSON.stringify(read) !== JSON.stringify(composed)) {
        expect({ text, read }).toEqual({ text, read: composed });
      }
      plainDocuments += plainShare(text).plain;
    }
    // The mutations leave most documents plain: the comparison above is of the token reader, not the Composer.
    expect(plainDocuments).toBeGreaterThan(3000);
  }, 120_000);
});
