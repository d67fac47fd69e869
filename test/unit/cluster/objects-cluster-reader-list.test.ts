import { describe, expect, test } from "vitest";
import type { ClusterReader, ListResult, ListScope } from "../../../src/cluster/cluster-reader.js";
import { listPages } from "../../../src/cluster/list-pages.js";
import { ObjectsClusterReader } from "../../../src/cluster/objects-cluster-reader.js";
import type { KubeObject } from "../../../src/model/kube.js";

const configMap = (name: string, namespace: string | undefined, labels?: Record<string, string>) =>
  ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) },
    data: { name },
  }) satisfies KubeObject;
const clusterRole = (name: string, labels?: Record<string, string>) =>
  ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name, ...(labels ? { labels } : {}) },
    rules: [],
  }) satisfies KubeObject;

const FIVE = ["a", "b", "c", "d", "e"].map((name) =>
  configMap(name, "shop", { tier: name < "c" ? "web" : "db" }),
);
const objects: KubeObject[] = [
  ...FIVE,
  configMap("a", "other"),
  configMap("settings", undefined),
  configMap("settings", "staging"),
  clusterRole("view-widgets", { "rbac.example.com/aggregate-to-view": "true" }),
  clusterRole("edit-widgets"),
];
const reader = new ObjectsClusterReader(objects);
const configMaps = (namespace: string | null): ListScope => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  namespace,
});
const names = (result: ListResult) =>
  result.status === "listed"
    ? result.items.map((o) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`)
    : [];

describe("ObjectsClusterReader.list pages", () => {
  test("limit 2 over 5 objects: 3 pages, continue tokens on the first two, every object once in file order", async () => {
    const pages: ListResult[] = [];
    let result = await reader.list(configMaps("shop"), { limit: 2, labelSelector: "tier" });
    pages.push(result);
    while (result.status === "listed" && result.continue !== null) {
      result = await reader.list(configMaps("shop"), {
        limit: 2,
        labelSelector: "tier",
        continue: result.continue,
      });
      pages.push(result);
    }
    expect(pages.map(names)).toEqual([["shop/a", "shop/b"], ["shop/c", "shop/d"], ["shop/e"]]);
    expect(pages.map((page) => page.status === "listed" && typeof page.continue)).toEqual([
      "string",
      "string",
      "object",
    ]);
    expect(pages.map((page) => page.status === "listed" && page.resourceVersion)).toEqual([null, null, null]);
  });

  test("listPages follows the tokens and yields the same pages", async () => {
    const pages: string[][] = [];
    for await (const page of listPages(reader, configMaps("shop"), { limit: 2, labelSelector: "tier" })) {
      pages.push(names(page));
    }
    expect(pages).toEqual([["shop/a", "shop/b"], ["shop/c", "shop/d"], ["shop/e"]]);
  });

  test("listPages asks for no page after the caller stops", async () => {
    let calls = 0;
    const counting: ClusterReader = {
      resolve: (apiVersion, kind) => reader.resolve(apiVersion, kind),
      get: (ref) => reader.get(ref),
      listTypes: (apiVersion, kind) => reader.listTypes(apiVersion, kind),
      list: (scope, options) => {
        calls++;
        return reader.list(scope, options);
      },
    };
    for await (const page of listPages(counting, configMaps("shop"), { limit: 2 })) {
      expect(names(page)).toEqual(["shop/a", "shop/b"]);
      break;
    }
    expect(calls).toBe(1);
  });

  test("without a limit, one page holds everything and has no continue token", async () => {
    const result = await reader.list(configMaps("shop"));
    expect(names(result)).toEqual(["shop/a", "shop/b", "shop/c", "shop/d", "shop/e", "/settings"]);
    expect(result).toMatchObject({ status: "listed", continue: null });
  });

  test("a limit that is not a whole number of at least 1 is refused", async () => {
    await expect(reader.list(configMaps("shop"), { limit: 0 })).rejects.toThrow(RangeError);
    await expect(reader.list(configMaps("shop"), { limit: 2.5 })).rejects.toThrow(
      "list limit must be a whole number of at least 1, not 2.5",
    );
  });

  test("a continue token of another list is refused, not read as an offset", async () => {
    const first = await reader.list(configMaps("shop"), { limit: 2 });
    if (first.status !== "listed" || first.continue === null) throw new Error("expected a second page");
    await expect(reader.list(configMaps("other"), { limit: 2, continue: first.continue })).rejects.toThrow(
      /does not belong to this list/,
    );
    await expect(reader.list(configMaps("shop"), { limit: 2, continue: "garbage" })).rejects.toThrow(
      /does not belong to this list/,
    );
  });
});

describe("ObjectsClusterReader.list scope", () => {
  test.each<[string, ListScope, string | undefined, string[]]>([
    [
      "one namespace: its objects, and one saved without a namespace where none of its name is there",
      configMaps("shop"),
      undefined,
      ["shop/a", "shop/b", "shop/c", "shop/d", "shop/e", "/settings"],
    ],
    [
      "a namespace holding an object of the same name as one saved without namespace lists its own",
      configMaps("staging"),
      undefined,
      ["staging/settings"],
    ],
    [
      "every namespace (null): every object of the kind",
      configMaps(null),
      undefined,
      ["shop/a", "shop/b", "shop/c", "shop/d", "shop/e", "other/a", "/settings", "staging/settings"],
    ],
    ["a label selector", configMaps("shop"), "tier=web", ["shop/a", "shop/b"]],
    ["a set-based label selector", configMaps(null), "tier notin (web),tier", ["shop/c", "shop/d", "shop/e"]],
    [
      "a cluster-scoped kind: the namespace is ignored",
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", namespace: "shop" },
      undefined,
      ["/view-widgets", "/edit-widgets"],
    ],
    [
      "a cluster-scoped kind by label",
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", namespace: null },
      "rbac.example.com/aggregate-to-view=true",
      ["/view-widgets"],
    ],
    [
      "a kind with no object in the file: empty (offline, every kind is served)",
      { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop" },
      undefined,
      [],
    ],
    [
      "another API group with the same kind: empty",
      { apiVersion: "example.com/v1", kind: "ConfigMap", namespace: null },
      undefined,
      [],
    ],
  ])("%s", async (_name, scope, labelSelector, expected) => {
    const result = await reader.list(scope, labelSelector === undefined ? {} : { labelSelector });
    expect(result.status).toBe("listed");
    expect(names(result)).toEqual(expected);
  });

  test("a namespaced list holds exactly what get finds in that namespace, name by name", async () => {
    for (const namespace of ["shop", "other", "staging", "empty"]) {
      const listed = await reader.list(configMaps(namespace));
      if (listed.status !== "listed") throw new Error("listed expected");
      for (const name of ["a", "b", "settings", "missing"]) {
        const got = await reader.get({ apiVersion: "v1", kind: "ConfigMap", namespace, name });
        const inList = listed.items.find((o) => o.metadata.name === name);
        expect(got.status === "found" ? got.object : undefined, `${namespace}/${name}`).toBe(inList);
      }
    }
  });

  test("objects are listed as they are, with their own apiVersion", async () => {
    const result = await reader.list({
      apiVersion: "rbac.authorization.k8s.io/v1beta1",
      kind: "ClusterRole",
      namespace: null,
    });
    expect(result.status === "listed" && result.items[0]).toBe(objects[8]);
  });
});
