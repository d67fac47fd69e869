import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { InputError } from "../../../src/errors.js";
import { parseManifest } from "../../../src/sources/manifest-documents.js";
import { decodeReleaseRecord } from "../../../src/sources/release-storage.js";
import { corpusPath } from "../../helpers/corpus.js";

const STORAGE = corpusPath("flux/helm-release-storage");

function storedManifest(file: string): string {
  return decodeReleaseRecord(readFileSync(path.join(STORAGE, file), "utf8"), file).manifest;
}

/** The InputError `fn` throws, for assertions on its fields. */
function inputErrorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("expected an InputError");
}

describe("parseManifest on real Helm manifests", () => {
  test("kube-prometheus-stack 35.0.3: every one of the 108 documents keeps its # Source template", () => {
    const documents = parseManifest(storedManifest("prom-stack-1"), "prom-stack-1");
    expect(documents).toHaveLength(108);
    expect(documents.every((d) => d.source?.startsWith("kube-prometheus-stack/"))).toBe(true);
    expect(documents[0]).toMatchObject({
      source: "kube-prometheus-stack/charts/grafana/templates/serviceaccount.yaml",
      object: { kind: "ServiceAccount", metadata: { name: "kube-prometheus-stack-1651689946-grafana" } },
    });
  });

  test("each document's line is where its object starts in the manifest", () => {
    const manifest = storedManifest("istio-base-1");
    const lines = manifest.split("\n");
    const documents = parseManifest(manifest, "istio-base-1");
    expect(documents.map((d) => `${d.object.kind}/${d.object.metadata.name}`)).toContain(
      "ClusterRole/istiod-istio-system",
    );
    for (const document of documents) {
      const firstLine = lines[document.line - 1] ?? "";
      expect(firstLine).not.toMatch(/^(---|#|\s*$)/);
      const above = lines.slice(0, document.line - 1);
      expect(above.findLast((line) => line.startsWith("# Source: "))).toBe(`# Source: ${document.source}`);
    }
  });

  test("a manifest post-rendered by Flux has no # Source comments: source is null", () => {
    const documents = parseManifest(storedManifest("podinfo-helm-1"), "podinfo-helm-1");
    expect(documents.map((d) => [d.object.kind, d.source])).toEqual([
      ["Service", null],
      ["Deployment", null],
    ]);
  });
});

describe("parseManifest document handling", () => {
  test("empty documents and a template that rendered nothing are skipped", () => {
    const text = [
      "---",
      "# Source: app/templates/empty.yaml",
      "---",
      "",
      "---",
      "# Source: app/templates/cm.yaml",
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      "  name: settings",
      "",
    ].join("\n");
    expect(parseManifest(text, "m.yaml")).toEqual([
      {
        object: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" } },
        source: "app/templates/cm.yaml",
        line: 7,
      },
    ]);
  });

  test("a v1 List is expanded into its items, each with its own line and the list's source", () => {
    const text = [
      "# Source: app/templates/list.yaml",
      "apiVersion: v1",
      "kind: List",
      "items:",
      "  - apiVersion: v1",
      "    kind: ConfigMap",
      "    metadata: {name: a}",
      "  - apiVersion: v1",
      "    kind: Secret",
      "    metadata: {name: b}",
    ].join("\n");
    expect(
      parseManifest(text, "m.yaml").map((d) => [d.object.kind, d.object.metadata.name, d.source, d.line]),
    ).toEqual([
      ["ConfigMap", "a", "app/templates/list.yaml", 5],
      ["Secret", "b", "app/templates/list.yaml", 8],
    ]);
  });

  test("anchors and aliases are resolved", () => {
    const text = [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      "  name: web",
      "  labels: &labels {app: web}",
      "spec:",
      "  selector: {matchLabels: *labels}",
    ].join("\n");
    const [document] = parseManifest(text, "m.yaml");
    expect(document?.object.spec).toEqual({ selector: { matchLabels: { app: "web" } } });
  });

  test("scalars read as Kubernetes reads YAML: yes/on are booleans, 0755 is octal, timestamps stay strings", () => {
    const text = [
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      "  name: flags",
      "  creationTimestamp: 2024-01-01T00:00:00Z",
      "spec:",
      "  enabled: yes",
      "  mode: 0755",
      "  port: 1:20",
    ].join("\n");
    const [document] = parseManifest(text, "m.yaml");
    expect(document?.object.spec).toEqual({ enabled: true, mode: 493, port: "1:20" });
    expect(document?.object.metadata.creationTimestamp).toBe("2024-01-01T00:00:00Z");
  });
});

describe("parseManifest errors", () => {
  test("malformed YAML names the origin and the line, without quoting the source", () => {
    const text = ["apiVersion: v1", "kind: Secret", "metadata: {name: db", '  password: "hunter2"', ""].join(
      "\n",
    );
    const error = inputErrorOf(() => parseManifest(text, "release default/db"));
    expect(error.origin).toBe("release default/db");
    expect(error.line).toBe(3);
    expect(error.problem).toMatch(/^malformed YAML: /);
    expect(error.message).not.toContain("hunter2");
  });

  test("a document without kind and metadata.name is named with what it lacks and where", () => {
    const text = [
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata: {name: a}",
      "---",
      "apiVersion: v1",
      "data: {}",
    ].join("\n");
    const error = inputErrorOf(() => parseManifest(text, "m.yaml"));
    expect(error.message).toBe("m.yaml:5: not a Kubernetes object: no kind, no metadata.name");
  });

  test("a document that is a list of strings is not an object", () => {
    expect(() => parseManifest("- a\n- b\n", "m.yaml")).toThrow(
      "m.yaml:1: not a Kubernetes object: the document is a list",
    );
  });

  test("the same object twice is an error at the second, naming the first", () => {
    const object = [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      "  name: web",
      "  namespace: prod",
    ];
    const text = [...object, "---", "# Source: app/templates/again.yaml", ...object].join("\n");
    const error = inputErrorOf(() => parseManifest(text, "m.yaml"));
    expect(error.line).toBe(8);
    expect(error.problem).toBe("duplicate object Deployment/prod/web (first at line 1)");
  });

  test("same name in another namespace or another kind is not a duplicate", () => {
    const text = [
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}",
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: y}",
      "apiVersion: v1\nkind: Secret\nmetadata: {name: a, namespace: x}",
    ].join("\n---\n");
    expect(parseManifest(text, "m.yaml")).toHaveLength(3);
  });
});
