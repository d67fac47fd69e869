/**
 * ClusterReader.list (KubeClusterReader) against the real API server: pages of a namespaced LIST follow the
 * server's continue tokens, items carry the apiVersion and kind the LIST leaves out, a cluster-scoped kind
 * lists by label whatever namespace is asked, a ServiceAccount without RBAC is told forbidden in the
 * server's words, a kind nobody serves is kind-not-served, and a continue token the server did not make is
 * refused with its message.
 */
import { randomBytes } from "node:crypto";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiServerError } from "../../src/cluster/api-server-error.js";
import type { ListResult, ListScope } from "../../src/cluster/cluster-reader.js";
import { KubeClusterReader } from "../../src/cluster/kube-cluster-reader.js";
import { loadKubeConfig } from "../../src/cluster/kube-config.js";
import { listPages } from "../../src/cluster/list-pages.js";
import type { KubeObject } from "../../src/model/kube.js";
import { cluster, freshNamespaceTimed, kubectlTimed } from "./harness.js";

const CONFIG_MAPS = 7;
const PAGE = 3;
const LABEL = "helm-drift.e2e/cluster-list";

/** Every page of a list, and the names in them, in the order the server returned them. */
async function readAll(reader: KubeClusterReader, scope: ListScope, labelSelector?: string) {
  const pages: ListResult[] = [];
  for await (const page of listPages(reader, scope, { limit: PAGE, labelSelector })) pages.push(page);
  const items = pages.flatMap((page) => (page.status === "listed" ? page.items : []));
  return { pages, items };
}

const identity = (o: KubeObject) => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  namespace: o.metadata.namespace ?? null,
  name: o.metadata.name,
});

describe.skipIf(!cluster.available)("KubeClusterReader.list on the real API server", () => {
  let ns: string;
  let run: string;
  let admin: KubeConfig;
  let reader: KubeClusterReader;
  const configMapNames = Array.from({ length: CONFIG_MAPS }, (_, i) => `settings-${i}`);
  const clusterRoleNames = () => [`${run}-view`, `${run}-edit`];

  beforeAll(async () => {
    ns = await freshNamespaceTimed("cluster-list");
    run = `cluster-list-${randomBytes(3).toString("hex")}`;
    await kubectlTimed(["apply", "-f", "-"], {
      input: JSON.stringify({
        apiVersion: "v1",
        kind: "List",
        items: [
          ...configMapNames.map((name, i) => ({
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name, namespace: ns, labels: { [LABEL]: run } },
            data: { index: String(i) },
          })),
          ...clusterRoleNames().map((name) => ({
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRole",
            metadata: { name, labels: { [LABEL]: run } },
            rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }],
          })),
          { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "no-rbac", namespace: ns } },
        ],
      }),
    });
    admin = loadKubeConfig({ kubeconfig: cluster.kubeconfig, env: {} });
    reader = new KubeClusterReader(admin);
  });

  afterAll(async () => {
    // Cluster-scoped objects of a shared cluster are removed; the namespace stays (it never finishes deleting).
    if (run) await kubectlTimed(["delete", "clusterrole", ...clusterRoleNames(), "--ignore-not-found"]);
  });

  it(`lists ${CONFIG_MAPS} ConfigMaps of a namespace ${PAGE} at a time: 3 pages, every name once`, async () => {
    const { pages, items } = await readAll(reader, { apiVersion: "v1", kind: "ConfigMap", namespace: ns });
    expect(pages.map((page) => (page.status === "listed" ? page.items.length : page.status))).toEqual([
      3, 3, 1,
    ]);
    expect(pages.map((page) => page.status === "listed" && page.continue !== null)).toEqual([
      true,
      true,
      false,
    ]);
    expect(items.map((o) => o.metadata.name).sort()).toEqual(configMapNames);
    for (const page of pages) {
      expect(page.status === "listed" && page.resourceVersion).toMatch(/^\d+$/);
    }
  });

  it("gives every item the apiVersion and kind the LIST response leaves out", async () => {
    const { items } = await readAll(reader, { apiVersion: "v1", kind: "ConfigMap", namespace: ns });
    expect(items.map(identity)).toEqual(
      items.map((o) => ({ apiVersion: "v1", kind: "ConfigMap", namespace: ns, name: o.metadata.name })),
    );
    expect(items.find((o) => o.metadata.name === "settings-4")?.data).toEqual({ index: "4" });
  });

  it("lists every namespace (null) by label, pages of at most 3", async () => {
    const { pages, items } = await readAll(
      reader,
      { apiVersion: "v1", kind: "ConfigMap", namespace: null },
      `${LABEL}=${run}`,
    );
    expect(pages.every((page) => page.status === "listed" && page.items.length <= PAGE)).toBe(true);
    expect(items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual(
      configMapNames.map((name) => `${ns}/${name}`),
    );
  });

  it("lists a cluster-scoped kind by label, ignoring the namespace asked for", async () => {
    const result = await reader.list(
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", namespace: ns },
      { labelSelector: `${LABEL}=${run}` },
    );
    expect(result.status).toBe("listed");
    if (result.status !== "listed") return;
    expect(result.continue).toBeNull();
    expect(result.items.map(identity).sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      clusterRoleNames()
        .sort()
        .map((name) => ({
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "ClusterRole",
          namespace: null,
          name,
        })),
    );
  });

  it("tells a ServiceAccount without RBAC that listing is forbidden, in the API server's words", async () => {
    const token = (await kubectlTimed(["create", "token", "no-rbac", "-n", ns, "--duration", "10m"])).trim();
    const server = admin.getCurrentCluster();
    if (server === null) throw new Error("the e2e kubeconfig names no cluster");
    const restricted = new KubeConfig();
    restricted.loadFromOptions({
      clusters: [server],
      users: [{ name: "no-rbac", token }],
      contexts: [{ name: "no-rbac", cluster: server.name, user: "no-rbac" }],
      currentContext: "no-rbac",
    });
    const result = await new KubeClusterReader(restricted).list(
      { apiVersion: "v1", kind: "ConfigMap", namespace: ns },
      { limit: PAGE },
    );
    expect(result).toEqual({
      status: "forbidden",
      reason:
        `configmaps is forbidden: User "system:serviceaccount:${ns}:no-rbac" cannot list resource ` +
        `"configmaps" in API group "" in the namespace "${ns}"`,
    });
  });

  it("says a kind nobody serves is not served", async () => {
    await expect(
      reader.list({ apiVersion: "widgets.helm-drift.example/v1", kind: "Widget", namespace: ns }),
    ).resolves.toEqual({
      status: "kind-not-served",
      reason: "the cluster does not serve widgets.helm-drift.example/v1 (kind Widget)",
    });
  });

  it("refuses a continue token the server did not make with the server's message", async () => {
    const list = reader.list(
      { apiVersion: "v1", kind: "ConfigMap", namespace: ns },
      { limit: PAGE, continue: "not-a-token" },
    );
    await expect(list).rejects.toBeInstanceOf(ApiServerError);
    await expect(list).rejects.toThrow(
      /answered GET \/api\/v1\/namespaces\/.+\/configmaps\?limit=3&continue=not-a-token with HTTP 400: /,
    );
  });
});
