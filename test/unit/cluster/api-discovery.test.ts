import { describe, expect, test } from "vitest";
import {
  discoveryPath,
  isValidApiVersion,
  parseApiResourceList,
} from "../../../src/cluster/api-discovery.js";
import { builtinKind } from "../../../src/cluster/builtin-kinds.js";
import type { ResourceInfo } from "../../../src/cluster/cluster-reader.js";
import { objectPath } from "../../../src/cluster/kube-cluster-reader.js";
import { discoveryFixture } from "./discovery-fixtures.js";

function served(kinds: Map<string, ResourceInfo> | null): Map<string, ResourceInfo> {
  if (kinds === null) throw new Error("not an APIResourceList");
  return kinds;
}

describe("parseApiResourceList", () => {
  test("core v1: kinds map to their resources; subresources listed before their parent are skipped", () => {
    const kinds = served(parseApiResourceList(discoveryFixture("api-v1"), "v1"));
    expect(kinds.get("Pod")).toEqual({ group: "", version: "v1", resource: "pods", namespaced: true });
    expect(kinds.get("Namespace")).toEqual({
      group: "",
      version: "v1",
      resource: "namespaces",
      namespaced: false,
    });
    expect(kinds.get("Binding")?.resource).toBe("bindings");
    expect(kinds.has("Eviction")).toBe(false);
    expect(kinds.has("PodExecOptions")).toBe(false);
    expect(kinds.has("Scale")).toBe(false);
  });

  test("apps/v1: Deployment is deployments even though deployments/scale comes first", () => {
    const kinds = served(parseApiResourceList(discoveryFixture("apis-apps-v1"), "apps/v1"));
    expect([...kinds.keys()].sort()).toEqual([
      "ControllerRevision",
      "DaemonSet",
      "Deployment",
      "ReplicaSet",
      "StatefulSet",
    ]);
    expect(kinds.get("Deployment")).toEqual({
      group: "apps",
      version: "v1",
      resource: "deployments",
      namespaced: true,
    });
  });

  test("a CRD's group-version", () => {
    const kinds = served(
      parseApiResourceList(
        discoveryFixture("apis-actions.github.com-v1alpha1"),
        "actions.github.com/v1alpha1",
      ),
    );
    expect(kinds.get("AutoscalingRunnerSet")).toEqual({
      group: "actions.github.com",
      version: "v1alpha1",
      resource: "autoscalingrunnersets",
      namespaced: true,
    });
  });

  test("a body that is not an APIResourceList says nothing about what is served: null, not an empty map", () => {
    expect(parseApiResourceList("<html>proxy error</html>", "v1")).toBeNull();
    expect(parseApiResourceList({ kind: "Status", code: 404 }, "v1")).toBeNull();
    expect(parseApiResourceList({ kind: "APIResourceList", groupVersion: "v1" }, "v1")).toBeNull();
  });

  test("an APIResourceList with no resources serves no kinds", () => {
    expect(parseApiResourceList({ kind: "APIResourceList", resources: [] }, "v1")?.size).toBe(0);
  });
});

describe("the built-in kinds table agrees with discovery", () => {
  test.each([
    ["api-v1", "v1"],
    ["apis-apps-v1", "apps/v1"],
    ["apis-rbac-v1", "rbac.authorization.k8s.io/v1"],
  ])("%s: every kind the table knows has the same resource and scope", (fixture, apiVersion) => {
    const kinds = served(parseApiResourceList(discoveryFixture(fixture), apiVersion));
    const known = [...kinds.values()].filter((info) => info.resource !== "bindings");
    expect(known.length).toBeGreaterThan(3);
    for (const [kind, info] of kinds) {
      if (info.resource === "bindings") continue;
      const builtin = builtinKind(info.group, kind);
      expect(builtin, kind).toBeDefined();
      expect({ resource: builtin?.resource, namespaced: builtin?.namespaced }, kind).toEqual({
        resource: info.resource,
        namespaced: info.namespaced,
      });
    }
  });
});

describe("request paths", () => {
  test.each([
    ["v1", "/api/v1"],
    ["apps/v1", "/apis/apps/v1"],
    ["actions.github.com/v1alpha1", "/apis/actions.github.com/v1alpha1"],
  ])("discovery of %s is GET %s", (apiVersion, path) => {
    expect(discoveryPath(apiVersion)).toBe(path);
  });

  test.each(["v1", "apps/v1", "helm.toolkit.fluxcd.io/v2beta2"])("%s is a valid apiVersion", (apiVersion) => {
    expect(isValidApiVersion(apiVersion)).toBe(true);
  });

  test.each(["", "apps/", "../v1", "apps/v1/x", "Apps/v1", "apps/v1?watch=1"])("%j is not", (apiVersion) => {
    expect(isValidApiVersion(apiVersion)).toBe(false);
  });

  test("namespaced objects live under namespaces/NS; names are escaped", () => {
    const info = { group: "apps", version: "v1", resource: "deployments", namespaced: true };
    expect(
      objectPath(info, { apiVersion: "apps/v1", kind: "Deployment", namespace: "prod", name: "web" }),
    ).toBe("/apis/apps/v1/namespaces/prod/deployments/web");
    const secret = { group: "", version: "v1", resource: "secrets", namespaced: true };
    expect(objectPath(secret, { apiVersion: "v1", kind: "Secret", namespace: "a b", name: "x/y" })).toBe(
      "/api/v1/namespaces/a%20b/secrets/x%2Fy",
    );
  });

  test("cluster-scoped objects have no namespace segment, even when the ref carries one", () => {
    const info = {
      group: "rbac.authorization.k8s.io",
      version: "v1",
      resource: "clusterroles",
      namespaced: false,
    };
    expect(
      objectPath(info, {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        namespace: "prod",
        name: "view",
      }),
    ).toBe("/apis/rbac.authorization.k8s.io/v1/clusterroles/view");
  });
});
