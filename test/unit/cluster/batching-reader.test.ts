import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ApiServerError } from "../../../src/cluster/api-server-error.js";
import { BatchingReader, LIST_THRESHOLD } from "../../../src/cluster/batching-reader.js";
import type { ClusterReader } from "../../../src/cluster/cluster-reader.js";
import type { ApiResponse, KubeApi } from "../../../src/cluster/kube-api-client.js";
import { KubeClusterReader } from "../../../src/cluster/kube-cluster-reader.js";
import { checkReleases } from "../../../src/core/check-releases.js";
import { ClusterUnreachableError } from "../../../src/errors.js";
import type { KubeObject, ObjectRef } from "../../../src/model/kube.js";
import type { DriftReport } from "../../../src/model/report.js";
import { statusBody as status } from "../../helpers/status-body.js";
import { discoveryFixture } from "./discovery-fixtures.js";

const SERVER = "https://kube.example:6443";

function configMap(namespace: string, name: string, mode = "fast"): KubeObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name,
      namespace,
      uid: `uid-${namespace}-${name}`,
      resourceVersion: "5810",
      creationTimestamp: "2026-01-12T09:30:00Z",
    },
    data: { mode },
  };
}

/** `count` ConfigMaps cm-0 … in `namespace`. */
const configMaps = (namespace: string, count: number) =>
  Array.from({ length: count }, (_, i) => configMap(namespace, `cm-${i}`));

const ref = (namespace: string, name: string): ObjectRef => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  namespace,
  name,
});

/**
 * An API server in miniature for ConfigMaps: v1 discovery from the fixtures, GET of one, and LISTs of a
 * namespace paged as the real one pages them (`limit`, an opaque `continue`). `fault` answers a path instead,
 * as KubeApiClient hands over the last answer after its retries (`attempts`). Every request is recorded.
 */
function fakeApi(
  objects: KubeObject[],
  fault: (path: string) => ApiResponse | null = () => null,
): { api: KubeApi; requests: string[] } {
  const requests: string[] = [];
  const api: KubeApi = {
    server: SERVER,
    getJson: async (path) => {
      requests.push(path);
      const faulted = fault(path);
      if (faulted !== null) return faulted;
      if (path === "/api/v1") return { status: 200, body: discoveryFixture("api-v1") };
      const url = new URL(path, SERVER);
      const one = /^\/api\/v1\/namespaces\/([^/]+)\/configmaps\/([^/]+)$/.exec(url.pathname);
      if (one) {
        const object = objects.find((o) => o.metadata.namespace === one[1] && o.metadata.name === one[2]);
        return object
          ? { status: 200, body: object }
          : { status: 404, body: status(404, "NotFound", `configmaps "${one[2]}" not found`) };
      }
      const list = /^\/api\/v1\/namespaces\/([^/]+)\/configmaps$/.exec(url.pathname);
      // Across all namespaces, the API server also says how many objects the later pages hold.
      const everywhere = url.pathname === "/api/v1/configmaps";
      if (!list && !everywhere) return { status: 404, body: status(404, "NotFound", "not found") };
      const all = list ? objects.filter((o) => o.metadata.namespace === list[1]) : objects;
      const start = Number(url.searchParams.get("continue") ?? 0);
      const limit = Number(url.searchParams.get("limit") ?? all.length);
      const end = start + limit;
      const more = end < all.length ? { continue: String(end) } : {};
      const remaining = everywhere && end < all.length ? { remainingItemCount: all.length - end } : {};
      return {
        status: 200,
        body: {
          kind: "ConfigMapList",
          apiVersion: "v1",
          metadata: { resourceVersion: "9000", ...more, ...remaining },
          items: all.slice(start, end).map(({ apiVersion: _v, kind: _k, ...item }) => item),
        },
      };
    },
  };
  return { api, requests };
}

const isList = (path: string) => /\/configmaps(\?|$)/.test(path);
const isClusterWide = (path: string) => path.startsWith("/api/v1/configmaps");
const isGet = (path: string) => /\/configmaps\/[^/?]+$/.test(path);
const counts = (requests: string[]) => ({
  lists: requests.filter(isList).length,
  gets: requests.filter(isGet).length,
});

const serverError = (): ApiResponse => ({
  status: 500,
  body: status(500, "InternalError", "etcdserver: request timed out"),
  attempts: 5,
});
const forbidden = (): ApiResponse => ({
  status: 403,
  body: status(403, "Forbidden", 'configmaps is forbidden: cannot list resource "configmaps"'),
});

/** The answers to `refs`, read one after another through `reader`. */
async function answers(reader: ClusterReader, refs: ObjectRef[]) {
  return Promise.all(refs.map((r) => reader.get(r).catch((error: Error) => `throws: ${error.message}`)));
}

describe("BatchingReader: one LIST per group of at least LIST_THRESHOLD wanted objects", () => {
  const live = [...configMaps("shop", 10), ...configMaps("blog", 10)];
  const wanted = ["cm-1", "cm-3", "cm-5", "cm-7"].map((name) => ref("shop", name));

  it(`the threshold is ${LIST_THRESHOLD} (bench/list-vs-get.mjs)`, () => {
    expect(LIST_THRESHOLD).toBe(4);
  });

  it("reads a group at the threshold with one LIST and no GET, with the answers GETs give", async () => {
    const batched = fakeApi(live);
    const reader = new BatchingReader(new KubeClusterReader(batched.api));
    reader.prefetch(wanted);
    const got = await answers(reader, wanted);
    const plain = fakeApi(live);
    expect(got).toEqual(await answers(new KubeClusterReader(plain.api), wanted));
    expect(got.map((g) => typeof g !== "string" && g.status)).toEqual(["found", "found", "found", "found"]);
    expect(counts(batched.requests)).toEqual({ lists: 1, gets: 0 });
    expect(counts(plain.requests)).toEqual({ lists: 0, gets: 4 });
  });

  it("reads a group below the threshold with one GET per object", async () => {
    const { api, requests } = fakeApi(live);
    const reader = new BatchingReader(new KubeClusterReader(api));
    const few = wanted.slice(0, LIST_THRESHOLD - 1);
    reader.prefetch(few);
    await answers(reader, few);
    expect(counts(requests)).toEqual({ lists: 0, gets: LIST_THRESHOLD - 1 });
  });

  it("groups by namespace: the same names in another namespace are another group", async () => {
    const { api, requests } = fakeApi(live);
    const reader = new BatchingReader(new KubeClusterReader(api));
    const blog = wanted.slice(0, 2).map((r) => ({ ...r, namespace: "blog" }));
    reader.prefetch([...wanted, ...blog]);
    const got = await answers(reader, [...wanted, ...blog]);
    expect(got.map((g) => typeof g !== "string" && g.status === "found" && g.object.metadata.uid)).toEqual([
      "uid-shop-cm-1",
      "uid-shop-cm-3",
      "uid-shop-cm-5",
      "uid-shop-cm-7",
      "uid-blog-cm-1",
      "uid-blog-cm-3",
    ]);
    expect(counts(requests)).toEqual({ lists: 1, gets: 2 });
  });

  it("answers not-found, without a GET, for a wanted object absent from a complete LIST", async () => {
    const { api, requests } = fakeApi(live);
    const reader = new BatchingReader(new KubeClusterReader(api));
    const withGone = [...wanted, ref("shop", "gone")];
    reader.prefetch(withGone);
    const got = await answers(reader, withGone);
    expect(got.at(-1)).toEqual({ status: "not-found" });
    expect(counts(requests)).toEqual({ lists: 1, gets: 0 });
  });

  it("follows continue tokens: a namespace of 10 read in pages of 3 finds every wanted object", async () => {
    const { api, requests } = fakeApi(live);
    const reader = new BatchingReader(new KubeClusterReader(api), LIST_THRESHOLD, 3);
    const spread = ["cm-0", "cm-4", "cm-8", "cm-9"].map((name) => ref("shop", name));
    reader.prefetch(spread);
    const got = await answers(reader, spread);
    expect(got.every((g) => typeof g !== "string" && g.status === "found")).toBe(true);
    expect(requests.filter(isList)).toEqual([
      "/api/v1/namespaces/shop/configmaps?limit=3",
      "/api/v1/namespaces/shop/configmaps?limit=3&continue=3",
      "/api/v1/namespaces/shop/configmaps?limit=3&continue=6",
      "/api/v1/namespaces/shop/configmaps?limit=3&continue=9",
    ]);
  });

  it("keeps only the wanted objects of a namespace of 500, and hands each out once", async () => {
    const { api, requests } = fakeApi(configMaps("shop", 500));
    const reader = new BatchingReader(new KubeClusterReader(api), LIST_THRESHOLD, 100);
    reader.prefetch(wanted);
    await reader.get(wanted[0] as ObjectRef);
    expect({ held: reader.held, lists: counts(requests).lists }).toEqual({ held: 3, lists: 5 });
    await answers(reader, wanted.slice(1));
    expect(reader.held).toBe(0);
    // A second read of the same object, or one nobody announced, is a GET of its own.
    await answers(reader, [wanted[0] as ObjectRef, ref("shop", "cm-2")]);
    expect(counts(requests)).toEqual({ lists: 5, gets: 2 });
  });

  it("concurrent gets of one group share one LIST", async () => {
    const { api, requests } = fakeApi(live);
    const reader = new BatchingReader(new KubeClusterReader(api));
    reader.prefetch(wanted);
    await Promise.all([...wanted, ...wanted].map((r) => reader.get(r)));
    expect(counts(requests).lists).toBe(1);
  });

  it("a forbidden LIST (RBAC grants get, not list) falls back to GETs with the same answers", async () => {
    const withGone = [...wanted, ref("shop", "gone")];
    const { api, requests } = fakeApi(live, (path) => (isList(path) ? forbidden() : null));
    const reader = new BatchingReader(new KubeClusterReader(api));
    reader.prefetch(withGone);
    const got = await answers(reader, withGone);
    expect(got).toEqual(await answers(new KubeClusterReader(fakeApi(live).api), withGone));
    expect(got.at(-1)).toEqual({ status: "not-found" });
    expect(counts(requests)).toEqual({ lists: 1, gets: 5 });
  });

  it("a LIST that failed after its retries (500) falls back to GETs: never not-found", async () => {
    const withGone = [...wanted, ref("shop", "gone")];
    const { api, requests } = fakeApi(live, (path) => (isList(path) ? serverError() : null));
    const reader = new BatchingReader(new KubeClusterReader(api));
    reader.prefetch(withGone);
    const got = await answers(reader, withGone);
    expect(got).toEqual(await answers(new KubeClusterReader(fakeApi(live).api), withGone));
    expect(counts(requests)).toEqual({ lists: 1, gets: 5 });
  });

  it("a LIST whose second page fails keeps the first page's objects and GETs the rest", async () => {
    const { api, requests } = fakeApi(live, (path) => (path.includes("continue=") ? serverError() : null));
    const reader = new BatchingReader(new KubeClusterReader(api), LIST_THRESHOLD, 4);
    const spread = ["cm-0", "cm-2", "cm-6", "cm-9"].map((name) => ref("shop", name));
    reader.prefetch(spread);
    const got = await answers(reader, spread);
    expect(got.every((g) => typeof g !== "string" && g.status === "found")).toBe(true);
    expect(requests.filter(isGet)).toEqual([
      "/api/v1/namespaces/shop/configmaps/cm-6",
      "/api/v1/namespaces/shop/configmaps/cm-9",
    ]);
  });

  it("refused credentials on the LIST (401) stop the read, as on a GET", async () => {
    const { api } = fakeApi(live, (path) =>
      isList(path) ? { status: 401, body: status(401, "Unauthorized", "Unauthorized") } : null,
    );
    const reader = new BatchingReader(new KubeClusterReader(api));
    reader.prefetch(wanted);
    await expect(reader.get(wanted[0] as ObjectRef)).rejects.toBeInstanceOf(ClusterUnreachableError);
    expect(reader.held).toBe(0);
  });

  it("when LIST and GETs fail (500), every get fails as its GET does", async () => {
    const { api } = fakeApi(live, (path) => (path === "/api/v1" ? null : serverError()));
    const reader = new BatchingReader(new KubeClusterReader(api));
    reader.prefetch(wanted);
    const results = await Promise.allSettled(wanted.map((r) => reader.get(r)));
    expect(results.map((r) => r.status === "rejected" && r.reason instanceof ApiServerError)).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });
});

describe("BatchingReader: one LIST across namespaces when a kind is wanted in several and the cluster holds few more", () => {
  /** `wantedPer` of the 10 ConfigMaps in each of `namespaces` namespaces are wanted. */
  function fleet(namespaces: number, wantedPer: number, extra: KubeObject[] = []) {
    const names = Array.from({ length: namespaces }, (_, i) => `app-${i}`);
    const live = [...names.flatMap((ns) => configMaps(ns, wantedPer)), ...extra];
    const wanted = names.flatMap((ns) => Array.from({ length: wantedPer }, (_, i) => ref(ns, `cm-${i}`)));
    return { live, wanted };
  }

  it("20 namespaces of 5 wanted each: a count (limit=1) and one paged LIST, not 20, with the answers GETs give", async () => {
    const { live, wanted } = fleet(20, 5);
    const withGone = [...wanted, ref("app-3", "gone")];
    const batched = fakeApi(live);
    const reader = new BatchingReader(new KubeClusterReader(batched.api), LIST_THRESHOLD, 40);
    reader.prefetch(withGone);
    const got = await answers(reader, withGone);
    expect(got).toEqual(await answers(new KubeClusterReader(fakeApi(live).api), withGone));
    expect(got.at(-1)).toEqual({ status: "not-found" });
    // The count, then 100 objects in pages of 40.
    expect(batched.requests.filter(isList)).toEqual([
      "/api/v1/configmaps?limit=1",
      "/api/v1/configmaps?limit=40",
      "/api/v1/configmaps?limit=40&continue=40",
      "/api/v1/configmaps?limit=40&continue=80",
    ]);
    expect(counts(batched.requests).gets).toBe(0);
    expect(reader.held).toBe(0);
  });

  it("a cluster holding more than twice the wanted objects of the kind is listed per namespace", async () => {
    const others = Array.from({ length: 30 }, (_, i) => configMap("kube-system", `other-${i}`));
    const { live, wanted } = fleet(3, 4, others);
    const { api, requests } = fakeApi(live);
    const reader = new BatchingReader(new KubeClusterReader(api));
    reader.prefetch(wanted);
    const got = await answers(reader, wanted);
    expect(got.every((g) => typeof g !== "string" && g.status === "found")).toBe(true);
    expect(requests.filter(isClusterWide)).toEqual(["/api/v1/configmaps?limit=1"]);
    expect(counts(requests)).toEqual({ lists: 4, gets: 0 });
  });

  it("a kind listed in one namespace only is never counted across the cluster", async () => {
    const { live, wanted } = fleet(1, 6);
    const { api, requests } = fakeApi(live);
    const reader = new BatchingReader(new KubeClusterReader(api));
    reader.prefetch(wanted);
    await answers(reader, wanted);
    expect(requests.filter(isClusterWide)).toEqual([]);
    expect(counts(requests)).toEqual({ lists: 1, gets: 0 });
  });

  it("a cluster-wide LIST that is forbidden (list granted per namespace only) falls back to one LIST per namespace", async () => {
    const { live, wanted } = fleet(3, 4);
    const { api, requests } = fakeApi(live, (path) => (isClusterWide(path) ? forbidden() : null));
    const reader = new BatchingReader(new KubeClusterReader(api));
    reader.prefetch(wanted);
    const got = await answers(reader, wanted);
    expect(got.every((g) => typeof g !== "string" && g.status === "found")).toBe(true);
    expect(counts(requests)).toEqual({ lists: 4, gets: 0 });
  });

  it("a cluster-wide LIST that fails on a later page concludes nothing from it: per namespace, never not-found", async () => {
    const { live, wanted } = fleet(4, 5);
    const { api, requests } = fakeApi(live, (path) =>
      path.includes("continue=") && isClusterWide(path) ? serverError() : null,
    );
    const reader = new BatchingReader(new KubeClusterReader(api), LIST_THRESHOLD, 8);
    reader.prefetch(wanted);
    const got = await answers(reader, wanted);
    expect(got).toEqual(await answers(new KubeClusterReader(fakeApi(live).api), wanted));
    expect(requests.filter((path) => isList(path) && !isClusterWide(path))).toHaveLength(4);
    expect(reader.held).toBe(0);
  });
});

describe("checkReleases through a BatchingReader: the same report with fewer requests", () => {
  /** Two releases in shop: 3 ConfigMaps each (6 in the namespace, over the threshold), one drifted, one gone. */
  const releases = ["one", "two"].map((release) => ({
    name: release,
    namespace: "shop",
    revision: 1,
    chartName: "demo",
    chartVersion: "1.0.0",
    manifest: [0, 1, 2]
      .map(
        (i) =>
          `# Source: demo/templates/cm-${i}.yaml\n${stringify({
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: `${release}-${i}` },
            data: { mode: "fast" },
          })}`,
      )
      .join("---\n"),
    origin: `release shop/${release}`,
  }));
  const live = [
    configMap("shop", "one-0"),
    configMap("shop", "one-1", "slow"),
    configMap("shop", "one-2"),
    configMap("shop", "two-0"),
    configMap("shop", "two-1"),
    ...configMaps("shop", 20),
  ];

  const check = async (reader: ClusterReader): Promise<DriftReport> =>
    checkReleases({ kind: "given", releases }, { reader, now: () => new Date(0) });
  const statuses = (report: DriftReport) =>
    report.releases.flatMap((r) => r.resources.map((o) => `${o.name}: ${o.status}`));

  it("one LIST instead of six GETs; Drifted and Missing as before", async () => {
    const plain = fakeApi(live);
    const batched = fakeApi(live);
    const expected = await check(new KubeClusterReader(plain.api));
    const report = await check(new BatchingReader(new KubeClusterReader(batched.api)));
    expect(report).toEqual(expected);
    expect(statuses(report)).toEqual([
      "one-0: InSync",
      "one-1: Drifted",
      "one-2: InSync",
      "two-0: InSync",
      "two-1: InSync",
      "two-2: Missing",
    ]);
    expect(counts(plain.requests)).toEqual({ lists: 0, gets: 6 });
    expect(counts(batched.requests)).toEqual({ lists: 1, gets: 0 });
    // Discovery once per group-version for the run, batched or not.
    expect(batched.requests.filter((p) => p === "/api/v1")).toHaveLength(1);
  });

  it("a LIST and GETs that fail after their retries make the objects Unreadable, not Missing", async () => {
    const { api } = fakeApi(live, (path) => (path === "/api/v1" ? null : serverError()));
    const report = await check(new BatchingReader(new KubeClusterReader(api)));
    expect(new Set(statuses(report).map((s) => s.split(": ")[1]))).toEqual(new Set(["Unreadable"]));
    expect(report.releases.map((r) => r.status)).toEqual(["Incomplete", "Incomplete"]);
  });
});
