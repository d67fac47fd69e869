import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { InputError } from "../../../src/errors.js";
import type { KubeObject } from "../../../src/model/kube.js";
import { parseLiveObjects } from "../../../src/sources/live-objects.js";
import { corpusPath } from "../../helpers/corpus.js";

function corpusText(relativePath: string): string {
  return readFileSync(corpusPath(relativePath), "utf8");
}

function identities(objects: KubeObject[]): string[] {
  return objects.map((o) => `${o.apiVersion} ${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`);
}

function inputErrorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("expected an InputError");
}

const dp = corpusText("live-objects/k9s/dp.json");
const sts = corpusText("live-objects/k9s/sts.json");
const editResponse = corpusText("live-objects/kubectl-edit-testcase-edit-subresource-status/0.response");

describe("parseLiveObjects reads what kubectl prints", () => {
  test("one object as `kubectl get -o json` prints it, every field kept as JSON", () => {
    const [object] = parseLiveObjects(dp, "dp.json");
    expect(object).toEqual(JSON.parse(dp));
  });

  test("one object as `kubectl get -o yaml` prints it", () => {
    const text = corpusText("live-objects/gitops-engine-health/statefulset.yaml");
    expect(parseLiveObjects(text, "sts.yaml")).toEqual([parse(text)]);
  });

  test("pretty-printed JSON documents written one after another (two kubectl runs appended to one file)", () => {
    const objects = parseLiveObjects(`${dp}\n${editResponse}${sts}`, "live.json");
    expect(identities(objects)).toEqual([
      `apps/v1 Deployment/${JSON.parse(dp).metadata.namespace}/${JSON.parse(dp).metadata.name}`,
      "apps/v1 Deployment/edit-test/nginx",
      `apps/v1 StatefulSet/${JSON.parse(sts).metadata.namespace}/${JSON.parse(sts).metadata.name}`,
    ]);
  });

  test("a multi-document YAML stream", () => {
    const text = [
      corpusText("live-objects/gitops-engine-health/deployment-progressing.yaml"),
      corpusText("live-objects/kubernetes-fieldmanager/pod.yaml"),
    ].join("\n---\n");
    expect(parseLiveObjects(text, "live.yaml").map((o) => o.kind)).toEqual(["Deployment", "Pod"]);
  });

  test("a v1 List as `kubectl get a b -o yaml` prints it is expanded", () => {
    const list = {
      apiVersion: "v1",
      kind: "List",
      metadata: { resourceVersion: "" },
      items: [JSON.parse(dp), JSON.parse(sts)],
    };
    expect(parseLiveObjects(JSON.stringify(list, null, 4), "list.json").map((o) => o.kind)).toEqual([
      "Deployment",
      "StatefulSet",
    ]);
  });

  test("items of a typed list (as the API returns DeploymentList) get the list's apiVersion and kind", () => {
    const text = [
      "apiVersion: apps/v1",
      "kind: DeploymentList",
      "items:",
      "  - metadata: {name: web, namespace: prod}",
      "    spec: {replicas: 2}",
    ].join("\n");
    expect(parseLiveObjects(text, "list.yaml")).toEqual([
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web", namespace: "prod" },
        spec: { replicas: 2 },
      },
    ]);
  });

  test("a JSON array of objects", () => {
    expect(parseLiveObjects(`[${dp}, ${sts}]`, "a.json").map((o) => o.kind)).toEqual([
      "Deployment",
      "StatefulSet",
    ]);
  });

  test("a byte-order mark before JSON is ignored", () => {
    expect(parseLiveObjects(`\uFEFF${dp}`, "dp.json")).toHaveLength(1);
  });
});

describe("parseLiveObjects errors", () => {
  test("truncated JSON names the file and the line where it ends", () => {
    const cut = dp.slice(0, dp.indexOf('"spec"'));
    const error = inputErrorOf(() => parseLiveObjects(cut, "dp.json"));
    expect(error.origin).toBe("dp.json");
    expect(error.line).toBe(cut.trimEnd().split("\n").length);
    expect(error.problem).toBe("truncated JSON: the input ends inside an object");
  });

  test("a second document that is truncated is reported at the end of the input", () => {
    const text = `${dp}\n{\n  "apiVersion": "v1",\n  "kind": "Secret",\n`;
    const error = inputErrorOf(() => parseLiveObjects(text, "live.json"));
    expect(error.line).toBe(text.trimEnd().split("\n").length);
  });

  test("a syntax error in JSON points at its line and does not quote the input", () => {
    const text = '{\n  "apiVersion": "v1",\n  "kind": "Secret",\n  "data": {"password": "aHVudGVyMg==",}\n}';
    const error = inputErrorOf(() => parseLiveObjects(text, "s.json"));
    expect(error.line).toBe(4);
    expect(error.problem).toMatch(/^malformed JSON/);
    expect(error.message).not.toContain("aHVudGVyMg");
  });

  test("a file that is not Kubernetes objects (a chart's values.yaml) is one clear error", () => {
    const error = inputErrorOf(() =>
      parseLiveObjects(corpusText("arc/gha-runner-scale-set/values.yaml"), "values.yaml"),
    );
    expect(error.message).toMatch(
      /^values\.yaml:\d+: not a Kubernetes object: no apiVersion, no kind, no metadata\.name \(expected what `kubectl get -o yaml` or `-o json` prints\)$/,
    );
  });

  test.each([
    ["an empty file", ""],
    ["only whitespace and comments", "\n# nothing here\n---\n"],
    ["an empty List", '{"apiVersion": "v1", "kind": "List", "items": []}'],
  ])("%s has no objects", (_name, text) => {
    expect(() => parseLiveObjects(text, "live.yaml")).toThrow(new InputError("live.yaml", "no objects"));
  });
});
