import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { guessResource, ObjectsClusterReader } from "../../../src/cluster/objects-cluster-reader.js";
import type { KubeObject } from "../../../src/model/kube.js";
import { corpusPath } from "../../helpers/corpus.js";

const load = (file: string) => parse(readFileSync(corpusPath(file), "utf8")) as KubeObject;

const deployment = load("live-objects/k9s/dp.json");
const daemonSet = load("live-objects/k9s/ds.json");
const arsCrd = load("arc/crds/actions.github.com_autoscalingrunnersets.yaml");
const runnerSet: KubeObject = {
  apiVersion: "actions.github.com/v1alpha1",
  kind: "AutoscalingRunnerSet",
  metadata: { name: "arc-runners", namespace: "arc-runners" },
  spec: { githubConfigUrl: "https://github.com/example" },
};
const clusterRole: KubeObject = {
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "ClusterRole",
  metadata: { name: "view-widgets" },
};
const clusterWidget: KubeObject = {
  apiVersion: "example.com/v1",
  kind: "ClusterWidget",
  metadata: { name: "w" },
};
const savedWithoutNamespace: KubeObject = {
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "settings" },
};

const reader = new ObjectsClusterReader([
  deployment,
  daemonSet,
  arsCrd,
  runnerSet,
  clusterRole,
  clusterWidget,
  savedWithoutNamespace,
]);
const ns = (object: KubeObject) => object.metadata.namespace ?? null;

describe("ObjectsClusterReader.resolve", () => {
  test.each([
    ["apps/v1", "Deployment", { group: "apps", version: "v1", resource: "deployments", namespaced: true }],
    [
      "rbac.authorization.k8s.io/v1",
      "ClusterRole",
      { group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterroles", namespaced: false },
    ],
    ["v1", "Namespace", { group: "", version: "v1", resource: "namespaces", namespaced: false }],
    [
      "storage.k8s.io/v1",
      "StorageClass",
      { group: "storage.k8s.io", version: "v1", resource: "storageclasses", namespaced: false },
    ],
  ])("built-in %s %s", async (apiVersion, kind, info) => {
    await expect(reader.resolve(apiVersion, kind)).resolves.toEqual(info);
  });

  test("a custom kind whose CRD is in the file takes plural and scope from it", async () => {
    await expect(reader.resolve("actions.github.com/v1alpha1", "AutoscalingRunnerSet")).resolves.toEqual({
      group: "actions.github.com",
      version: "v1alpha1",
      resource: "autoscalingrunnersets",
      namespaced: true,
    });
  });

  test("a custom kind without its CRD: cluster-scoped when its objects have no namespace", async () => {
    await expect(reader.resolve("example.com/v1", "ClusterWidget")).resolves.toEqual({
      group: "example.com",
      version: "v1",
      resource: "clusterwidgets",
      namespaced: false,
    });
  });

  test("a custom kind with no object in the file is taken as namespaced", async () => {
    await expect(reader.resolve("cert-manager.io/v1", "Certificate")).resolves.toMatchObject({
      resource: "certificates",
      namespaced: true,
    });
  });
});

describe("ObjectsClusterReader.get", () => {
  test("matches group, kind, namespace and name, whatever the version", async () => {
    const ref = {
      apiVersion: "apps/v1beta2",
      kind: "Deployment",
      namespace: ns(deployment),
      name: deployment.metadata.name,
    };
    await expect(reader.get(ref)).resolves.toEqual({ status: "found", object: deployment });
  });

  test("another namespace is not found", async () => {
    const ref = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      namespace: "elsewhere",
      name: deployment.metadata.name,
    };
    await expect(reader.get(ref)).resolves.toEqual({ status: "not-found" });
  });

  test("another group with the same kind is not found", async () => {
    const ref = {
      apiVersion: "extensions.example.com/v1",
      kind: "Deployment",
      namespace: ns(deployment),
      name: deployment.metadata.name,
    };
    await expect(reader.get(ref)).resolves.toEqual({ status: "not-found" });
  });

  test("a cluster-scoped object", async () => {
    const ref = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      namespace: null,
      name: "view-widgets",
    };
    await expect(reader.get(ref)).resolves.toEqual({ status: "found", object: clusterRole });
  });

  test("an object saved without its namespace still matches a namespaced ref", async () => {
    const ref = { apiVersion: "v1", kind: "ConfigMap", namespace: "prod", name: "settings" };
    await expect(reader.get(ref)).resolves.toEqual({ status: "found", object: savedWithoutNamespace });
  });
});

describe("ObjectsClusterReader.listTypes", () => {
  test("from the CRD in the file, for the requested version", async () => {
    const types = await reader.listTypes("actions.github.com/v1alpha1", "AutoscalingRunnerSet");
    expect(types?.get("spec.template.spec.containers")).toEqual({ type: "map", keys: ["name"] });
  });

  test("null for kinds without a CRD in the file", async () => {
    await expect(reader.listTypes("apps/v1", "Deployment")).resolves.toBeNull();
    await expect(reader.listTypes("example.com/v1", "ClusterWidget")).resolves.toBeNull();
  });
});

test.each([
  ["Deployment", "deployments"],
  ["Ingress", "ingresses"],
  ["NetworkPolicy", "networkpolicies"],
  ["AutoscalingRunnerSet", "autoscalingrunnersets"],
])("guessResource(%s) = %s, as kubectl guesses", (kind, resource) => {
  expect(guessResource(kind)).toBe(resource);
});
