import { describe, expect, test } from "vitest";
import { ObjectsClusterReader } from "../../../src/cluster/objects-cluster-reader.js";
import type { KubeObject } from "../../../src/model/kube.js";
import { corpusObject } from "../explain/corpus.js";

const COUNT = 20_000;

/**
 * `objects` wrapped so that every read of a property of an object, or of its metadata, is counted: a reader
 * that scans the objects on each look-up reads tens of thousands of them; an indexed one reads a handful.
 */
function counted(objects: KubeObject[]): { objects: KubeObject[]; reads: () => number; reset: () => void } {
  let reads = 0;
  const count = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(inner, property, receiver) {
        reads++;
        return Reflect.get(inner, property, receiver);
      },
    });
  const wrapped = objects.map((object) => count({ ...object, metadata: count(object.metadata) }));
  return {
    objects: wrapped,
    reads: () => reads,
    reset: () => {
      reads = 0;
    },
  };
}

describe("ObjectsClusterReader look-ups do not scan the objects", () => {
  const runnerSet = {
    apiVersion: "actions.github.com/v1alpha1",
    kind: "AutoscalingRunnerSet",
    metadata: { name: "arc-runners", namespace: "arc-runners" },
  };
  const files = counted([
    ...Array.from({ length: COUNT }, (_, i) => ({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: `cm-${i}`, namespace: `ns-${i % 50}` },
    })),
    corpusObject("arc/crds/actions.github.com_autoscalingrunnersets.yaml"),
    runnerSet,
    { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } },
  ]);
  const reader = new ObjectsClusterReader(files.objects);
  const LOOKUPS = 1_000;

  test(`${LOOKUPS} gets among ${COUNT} objects read a few properties each, not the whole file`, async () => {
    files.reset();
    for (let i = 0; i < LOOKUPS; i++) {
      const n = (i * 17) % COUNT;
      const result = await reader.get({
        apiVersion: "v1",
        kind: "ConfigMap",
        namespace: `ns-${n % 50}`,
        name: `cm-${n}`,
      });
      expect(result.status === "found" && result.object.metadata.name).toBe(`cm-${n}`);
    }
    // The test's own check reads metadata and name once per look-up; get reads the candidate's namespace.
    expect(files.reads()).toBeLessThanOrEqual(LOOKUPS * 4);
  });

  test("a miss reads nothing at all", async () => {
    files.reset();
    for (let i = 0; i < LOOKUPS; i++) {
      await expect(
        reader.get({ apiVersion: "v1", kind: "ConfigMap", namespace: "ns-0", name: `absent-${i}` }),
      ).resolves.toEqual({ status: "not-found" });
    }
    expect(files.reads()).toBe(0);
  });

  test("resolve and listTypes read only the CRD they need", async () => {
    files.reset();
    for (let i = 0; i < LOOKUPS; i++) {
      await reader.resolve("example.com/v1", "Widget");
      await reader.resolve("v1", "ConfigMap");
    }
    expect(files.reads()).toBe(0);
    const info = await reader.resolve("actions.github.com/v1alpha1", "AutoscalingRunnerSet");
    expect(info).toMatchObject({ resource: "autoscalingrunnersets", namespaced: true });
    const types = await reader.listTypes("actions.github.com/v1alpha1", "AutoscalingRunnerSet");
    expect(types?.get("spec.template.spec.containers")).toEqual({ type: "map", keys: ["name"] });
    // Only the CRD's own fields: a scan would have read kind and apiVersion of 20 000 ConfigMaps.
    expect(files.reads()).toBeLessThan(50);
  });
});
