import { describe, expect, test } from "vitest";
import { ApiServerError, ListExpiredError } from "../../../src/cluster/api-server-error.js";
import type { ListResult, ListScope } from "../../../src/cluster/cluster-reader.js";
import type { ApiResponse, KubeApi } from "../../../src/cluster/kube-api-client.js";
import { KubeClusterReader } from "../../../src/cluster/kube-cluster-reader.js";
import { listPages } from "../../../src/cluster/list-pages.js";
import { ClusterUnreachableError } from "../../../src/errors.js";
import { statusBody as status } from "../../helpers/status-body.js";
import { discoveryFixture } from "./discovery-fixtures.js";

const SERVER = "https://kube.example:6443";

const NOT_FOUND = {
  status: 404,
  body: status(404, "NotFound", "the server could not find the requested resource"),
};

/** ConfigMaps as a LIST returns them: no apiVersion or kind of their own. */
const CONFIG_MAPS = ["cm-0", "cm-1", "cm-2", "cm-3", "cm-4"].map((name, i) => ({
  metadata: {
    name,
    namespace: "shop",
    uid: `0b1c2d3e-0000-4000-8000-00000000000${i}`,
    resourceVersion: String(5810 + i),
    creationTimestamp: "2026-01-12T09:30:00Z",
  },
  data: { index: String(i) },
}));
const CLUSTER_ROLE = {
  metadata: {
    name: "view-widgets",
    labels: { "rbac.example.com/aggregate-to-view": "true" },
    resourceVersion: "812",
  },
  rules: [{ apiGroups: ["example.com"], resources: ["widgets"], verbs: ["get", "list", "watch"] }],
};

/**
 * An API server in miniature: discovery from the fixtures, and ConfigMap LISTs paged the way the real one
 * pages them (an opaque token naming where the next page starts, `remainingItemCount`). `lists` overrides the
 * answer to any other path. Every requested path is recorded.
 */
function fakeApi(lists: Record<string, ApiResponse> = {}): { api: KubeApi; requests: string[] } {
  const requests: string[] = [];
  const discovery: Record<string, unknown> = {
    "/api/v1": discoveryFixture("api-v1"),
    "/apis/rbac.authorization.k8s.io/v1": discoveryFixture("apis-rbac-v1"),
  };
  const api: KubeApi = {
    server: SERVER,
    getJson: async (path) => {
      requests.push(path);
      if (path in lists) return lists[path] as ApiResponse;
      if (path in discovery) return { status: 200, body: discovery[path] };
      const url = new URL(path, SERVER);
      if (url.pathname !== "/api/v1/namespaces/shop/configmaps" && url.pathname !== "/api/v1/configmaps")
        return NOT_FOUND;
      const token = url.searchParams.get("continue");
      const start = token === null ? 0 : Number(Buffer.from(token, "base64").toString("utf8").slice(6));
      const limit = Number(url.searchParams.get("limit") ?? CONFIG_MAPS.length);
      const end = Math.min(start + limit, CONFIG_MAPS.length);
      const more = end < CONFIG_MAPS.length;
      return {
        status: 200,
        body: {
          kind: "ConfigMapList",
          apiVersion: "v1",
          metadata: {
            resourceVersion: "5821",
            ...(more
              ? {
                  continue: Buffer.from(`start=${end}`).toString("base64"),
                  remainingItemCount: CONFIG_MAPS.length - end,
                }
              : {}),
          },
          items: CONFIG_MAPS.slice(start, end),
        },
      };
    },
  };
  return { api, requests };
}

const configMaps = (namespace: string | null): ListScope => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  namespace,
});
const names = (result: ListResult) =>
  result.status === "listed" ? result.items.map((o) => o.metadata.name) : [];

describe("KubeClusterReader.list", () => {
  test("limit 2 over 5 ConfigMaps: 3 pages, each request carrying the previous page's continue token", async () => {
    const { api, requests } = fakeApi();
    const reader = new KubeClusterReader(api);
    const pages: ListResult[] = [];
    for await (const page of listPages(reader, configMaps("shop"), { limit: 2 })) pages.push(page);
    expect(pages.map(names)).toEqual([["cm-0", "cm-1"], ["cm-2", "cm-3"], ["cm-4"]]);
    const tokens = pages.map((page) => (page.status === "listed" ? page.continue : "not listed"));
    expect(tokens).toEqual([
      Buffer.from("start=2").toString("base64"),
      Buffer.from("start=4").toString("base64"),
      null,
    ]);
    expect(requests).toEqual([
      "/api/v1",
      "/api/v1/namespaces/shop/configmaps?limit=2",
      `/api/v1/namespaces/shop/configmaps?limit=2&continue=${encodeURIComponent(tokens[0] ?? "")}`,
      `/api/v1/namespaces/shop/configmaps?limit=2&continue=${encodeURIComponent(tokens[1] ?? "")}`,
    ]);
  });

  test("items get the list's apiVersion and its kind minus List; the list's resourceVersion is kept", async () => {
    const result = await new KubeClusterReader(fakeApi().api).list(configMaps("shop"));
    expect(result).toMatchObject({ status: "listed", continue: null, resourceVersion: "5821" });
    if (result.status !== "listed") throw new Error("listed expected");
    expect(result.items).toHaveLength(5);
    expect(result.items[0]).toEqual({ apiVersion: "v1", kind: "ConfigMap", ...CONFIG_MAPS[0] });
  });

  test("every namespace (null) lists at the kind's root path", async () => {
    const { api, requests } = fakeApi();
    const result = await new KubeClusterReader(api).list(configMaps(null), { limit: 3 });
    expect(names(result)).toEqual(["cm-0", "cm-1", "cm-2"]);
    expect(requests.at(-1)).toBe("/api/v1/configmaps?limit=3");
  });

  test("a cluster-scoped kind lists without a namespace, whatever the scope says; the selector is sent", async () => {
    const path =
      "/apis/rbac.authorization.k8s.io/v1/clusterroles?labelSelector=rbac.example.com%2Faggregate-to-view%3Dtrue";
    const { api, requests } = fakeApi({
      [path]: {
        status: 200,
        body: {
          kind: "ClusterRoleList",
          apiVersion: "rbac.authorization.k8s.io/v1",
          metadata: { resourceVersion: "900" },
          items: [CLUSTER_ROLE],
        },
      },
    });
    const result = await new KubeClusterReader(api).list(
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", namespace: "shop" },
      { labelSelector: "rbac.example.com/aggregate-to-view=true" },
    );
    expect(requests.at(-1)).toBe(path);
    expect(result).toEqual({
      status: "listed",
      items: [{ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", ...CLUSTER_ROLE }],
      continue: null,
      resourceVersion: "900",
    });
  });

  test("403 is forbidden with the API server's message", async () => {
    const message =
      'configmaps is forbidden: User "system:serviceaccount:ci:reader" cannot list resource "configmaps" in API group "" in the namespace "shop"';
    const { api } = fakeApi({
      "/api/v1/namespaces/shop/configmaps?limit=2": { status: 403, body: status(403, "Forbidden", message) },
    });
    await expect(new KubeClusterReader(api).list(configMaps("shop"), { limit: 2 })).resolves.toEqual({
      status: "forbidden",
      reason: message,
    });
  });

  test.each<[string, ListScope, string]>([
    [
      "a group-version the cluster does not serve",
      { apiVersion: "example.com/v1", kind: "Widget", namespace: "shop" },
      "the cluster does not serve example.com/v1 (kind Widget)",
    ],
    [
      "a kind its group-version does not have",
      { apiVersion: "v1", kind: "Widget", namespace: "shop" },
      "the cluster serves v1 but not kind Widget",
    ],
  ])("%s is kind-not-served, and nothing is listed", async (_name, scope, reason) => {
    const { api, requests } = fakeApi();
    await expect(new KubeClusterReader(api).list(scope)).resolves.toEqual({
      status: "kind-not-served",
      reason,
    });
    expect(requests).toHaveLength(1);
  });

  test("404 for the list itself (the resource went away since discovery) is kind-not-served", async () => {
    const { api } = fakeApi({ "/api/v1/namespaces/shop/podtemplates": NOT_FOUND });
    await expect(
      new KubeClusterReader(api).list({ apiVersion: "v1", kind: "PodTemplate", namespace: "shop" }),
    ).resolves.toEqual({
      status: "kind-not-served",
      reason: `the API server at ${SERVER} answered GET /api/v1/namespaces/shop/podtemplates with HTTP 404: the server could not find the requested resource`,
    });
  });

  test("410 Gone for an expired continue token is ListExpiredError saying to start again", async () => {
    const path = "/api/v1/namespaces/shop/configmaps?limit=2&continue=c3RhcnQ9Mg%3D%3D";
    const { api } = fakeApi({
      [path]: {
        status: 410,
        body: status(
          410,
          "Expired",
          "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
        ),
      },
    });
    const list = new KubeClusterReader(api).list(configMaps("shop"), { limit: 2, continue: "c3RhcnQ9Mg==" });
    await expect(list).rejects.toBeInstanceOf(ListExpiredError);
    await expect(list).rejects.toThrow(
      `the API server at ${SERVER} can no longer continue GET ${path}: the continue token has expired (HTTP 410 Gone); list again from the first page`,
    );
  });

  test.each<[string, ApiResponse, string]>([
    [
      "500",
      { status: 500, body: status(500, "InternalError", "etcdserver: request timed out") },
      "answered GET /api/v1/namespaces/shop/configmaps with HTTP 500: etcdserver: request timed out",
    ],
    [
      "a 200 that is not a list",
      { status: 200, body: null },
      "answered GET /api/v1/namespaces/shop/configmaps with something that is not a list",
    ],
    [
      "a list whose item is not an object",
      { status: 200, body: { kind: "ConfigMapList", apiVersion: "v1", metadata: {}, items: [{ data: {} }] } },
      "answered GET /api/v1/namespaces/shop/configmaps with something that is not a list",
    ],
  ])("%s is ApiServerError naming the request", async (_name, response, message) => {
    const { api } = fakeApi({ "/api/v1/namespaces/shop/configmaps": response });
    const list = new KubeClusterReader(api).list(configMaps("shop"));
    await expect(list).rejects.toBeInstanceOf(ApiServerError);
    await expect(list).rejects.toThrow(`the API server at ${SERVER} ${message}`);
  });

  test("an empty list written as items: null is empty", async () => {
    const { api } = fakeApi({
      "/api/v1/namespaces/shop/configmaps": {
        status: 200,
        body: { kind: "ConfigMapList", apiVersion: "v1", metadata: { resourceVersion: "1" }, items: null },
      },
    });
    await expect(new KubeClusterReader(api).list(configMaps("shop"))).resolves.toEqual({
      status: "listed",
      items: [],
      continue: null,
      resourceVersion: "1",
    });
  });

  test("401 is ClusterUnreachableError: no other request would work either", async () => {
    const { api } = fakeApi({
      "/api/v1/namespaces/shop/configmaps": {
        status: 401,
        body: status(401, "Unauthorized", "Unauthorized"),
      },
    });
    await expect(new KubeClusterReader(api).list(configMaps("shop"))).rejects.toBeInstanceOf(
      ClusterUnreachableError,
    );
  });

  test("a limit that is not a whole number of at least 1 is refused before any LIST", async () => {
    const { api, requests } = fakeApi();
    await expect(new KubeClusterReader(api).list(configMaps("shop"), { limit: -1 })).rejects.toThrow(
      RangeError,
    );
    expect(requests.filter((path) => path.includes("configmaps"))).toEqual([]);
  });

  test("listPages stops with an error when the server hands out the same continue token again", async () => {
    const looping: ApiResponse = {
      status: 200,
      body: { kind: "ConfigMapList", apiVersion: "v1", metadata: { continue: "again" }, items: [] },
    };
    const { api } = fakeApi({
      "/api/v1/namespaces/shop/configmaps?limit=1": looping,
      "/api/v1/namespaces/shop/configmaps?limit=1&continue=again": looping,
    });
    const pages: ListResult[] = [];
    const read = async () => {
      for await (const page of listPages(new KubeClusterReader(api), configMaps("shop"), { limit: 1 }))
        pages.push(page);
    };
    await expect(read()).rejects.toThrow(
      new ApiServerError("listing ConfigMap: the same continue token came back twice"),
    );
    expect(pages).toHaveLength(2);
  });
});
