import { describe, expect, it } from "vitest";
import type { ClusterReader, ListOptions, ListScope } from "../../../src/cluster/cluster-reader.js";
import { ObjectsClusterReader } from "../../../src/cluster/objects-cluster-reader.js";
import { ClusterAutoscalers } from "../../../src/core/cluster-autoscalers.js";
import { createLimiter } from "../../../src/core/limiter.js";
import type { KubeObject, ObjectRef } from "../../../src/model/kube.js";

function hpa(namespace: string, name: string, target: string): KubeObject {
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name, namespace },
    spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: target } },
  };
}

const deployment = (namespace: string, name: string): ObjectRef => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  namespace,
  name,
});

/** The objects as a cluster, counting the LISTs per kind and namespace. */
function countingReader(objects: KubeObject[]): { reader: ClusterReader; lists: string[] } {
  const inner = new ObjectsClusterReader(objects);
  const lists: string[] = [];
  const reader: ClusterReader = {
    resolve: (apiVersion, kind) => inner.resolve(apiVersion, kind),
    get: (ref) => inner.get(ref),
    listTypes: (apiVersion, kind) => inner.listTypes(apiVersion, kind),
    list: (scope: ListScope, options?: ListOptions) => {
      lists.push(`${scope.kind} ${scope.namespace}`);
      return inner.list(scope, options);
    },
  };
  return { reader, lists };
}

describe("ClusterAutoscalers: the live autoscalers of a namespace, listed once for the run", () => {
  it("answers every object of a namespace from one LIST per autoscaler kind", async () => {
    const { reader, lists } = countingReader([hpa("shop", "web", "web"), hpa("blog", "api", "api")]);
    const autoscalers = new ClusterAutoscalers(reader, createLimiter(4));
    const asked = [
      deployment("shop", "web"),
      deployment("shop", "worker"),
      deployment("shop", "api"),
      deployment("blog", "api"),
    ];
    expect(await Promise.all(asked.map((ref) => autoscalers.target(ref)))).toEqual([
      true,
      false,
      false,
      true,
    ]);
    expect(await autoscalers.target(deployment("shop", "web"))).toBe(true);
    expect(lists.sort()).toEqual([
      "HorizontalPodAutoscaler blog",
      "HorizontalPodAutoscaler shop",
      "ScaledObject blog",
      "ScaledObject shop",
    ]);
  });

  it("never lists for a cluster-scoped object", async () => {
    const { reader, lists } = countingReader([]);
    const autoscalers = new ClusterAutoscalers(reader, createLimiter(4));
    expect(await autoscalers.target({ ...deployment("x", "web"), namespace: null })).toBe(false);
    expect(lists).toEqual([]);
  });
});
