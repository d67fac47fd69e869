import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseManifest } from "../../../src/sources/manifest-documents.js";
import { scanIdentities } from "../../../src/sources/manifest-identities.js";
import { mutated, seededRandom, yamlFilesUnder } from "../../helpers/seeded-mutations.js";

/**
 * scanIdentities names a manifest's objects without parsing it. Wherever it answers and the manifest parses,
 * it must name exactly the objects parseManifest finds, in order; where it is unsure it answers null.
 */

const TEST_ROOT = path.resolve(import.meta.dirname, "../..");

function parsedIdentities(manifest: string) {
  try {
    return parseManifest(manifest, "manifest.yaml").map(({ object }) => ({
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: { name: object.metadata.name, namespace: object.metadata.namespace },
    }));
  } catch {
    return null;
  }
}

/** The scanner's answer is null, or the parser's whenever the parser has one. */
function expectAgreement(manifest: string): "scanned" | "left to the parser" {
  const scanned = scanIdentities(manifest);
  if (scanned === null) return "left to the parser";
  const parsed = parsedIdentities(manifest);
  if (parsed !== null) expect({ manifest, scanned }).toEqual({ manifest, scanned: parsed });
  return "scanned";
}

const PODINFO = (
  JSON.parse(
    readFileSync(
      path.join(TEST_ROOT, "fixtures/corpus/flux/helm-release-storage/podinfo-helm-1.decoded.json"),
      "utf8",
    ),
  ) as { manifest: string }
).manifest;

const HELM_SHAPED = `---
# Source: web/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: "apps"
  labels:
    app.kubernetes.io/name: web
---
# Source: web/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: 'web'
  annotations:
    note: |
      name: not-this
      namespace: nor-this
spec:
  template:
    metadata:
      name: inner
---
# Source: web/templates/crd-instance.yaml
apiVersion: actions.github.com/v1alpha1
kind: AutoscalingRunnerSet # the incident's kind
metadata:
  # a comment
  namespace: arc-runners
  name: runners
`;

const CASES: [string, string, "scanned" | "left to the parser"][] = [
  ["a Helm-shaped manifest", HELM_SHAPED, "scanned"],
  ["a real release manifest (podinfo)", PODINFO, "scanned"],
  ["a List", "apiVersion: v1\nkind: List\nitems: []\nmetadata:\n  name: x\n", "left to the parser"],
  [
    "a multi-line plain name",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n    b\n",
    "left to the parser",
  ],
  [
    "a multi-line plain kind",
    "apiVersion: v1\nkind: Config\n  Map\nmetadata:\n  name: a\n",
    "left to the parser",
  ],
  [
    "a name that is a number",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 123\n",
    "left to the parser",
  ],
  [
    "a name that is a boolean",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yes\n",
    "left to the parser",
  ],
  [
    "an anchored metadata",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: a\n",
    "left to the parser",
  ],
  ["a flow metadata", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", "left to the parser"],
  [
    "a block scalar name",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: |\n    a\n",
    "left to the parser",
  ],
  [
    "an escaped quoted name",
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "a\\x62"\n',
    "left to the parser",
  ],
  [
    "a duplicate key",
    "apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata:\n  name: a\n",
    "left to the parser",
  ],
  [
    "a duplicate name",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n",
    "left to the parser",
  ],
  [
    "a document without a name",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {}\n",
    "left to the parser",
  ],
  ["CRLF line ends", "apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: a\r\n", "left to the parser"],
  ["a tab", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: a\n", "left to the parser"],
  [
    "a --- line with a comment",
    "--- # x\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
    "left to the parser",
  ],
  [
    "empty documents",
    "---\n# nothing\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n",
    "scanned",
  ],
];

describe("naming a manifest's objects without parsing it", () => {
  it.each(CASES)("%s: %#", (_name, manifest, expected) => {
    expect(expectAgreement(manifest)).toBe(expected);
  });

  it.each(yamlFilesUnder(TEST_ROOT).map((file) => [path.relative(TEST_ROOT, file), file]))(
    "agrees with the parser on %s",
    (_name, file) => {
      expectAgreement(readFileSync(file, "utf8"));
    },
  );
});

const MUTATIONS = [
  " ",
  "  ",
  "\n",
  "#",
  ":",
  "-",
  "[",
  "{",
  '"',
  "'",
  "|",
  ">",
  "&a ",
  "*a",
  "!",
  "?",
  "...",
  "---",
  "\n---\n",
  "<<: {}\n",
  "name: x\n",
  "  name: y\n",
  "kind: List\n",
  "metadata:\n",
];

describe("seeded mutations of a Helm-shaped manifest", () => {
  it("are named as the parser names them, or left to it", () => {
    const next = seededRandom(20261130);
    let scanned = 0;
    for (let round = 0; round < 4000; round++) {
      const text = mutated(HELM_SHAPED, MUTATIONS, next);
      if (expectAgreement(text) === "scanned") scanned++;
    }
    // Most mutations stay in the plain shape: the agreement above is of the scanner's answers, not of nulls.
    expect(scanned).toBeGreaterThan(1000);
  }, 120_000);
});
