/**
 * Batched reads (src/cluster/batching-reader.ts) against the real kube-apiserver: six releases of the webapp
 * chart in one namespace, one of them drifted, checked by the built CLI with and without batching
 * (HELM_DRIFT_NO_BATCH, one GET per object as before). The reports must be the same; the requests, counted
 * by a proxy in front of the API server (fault-proxy.ts, no fault), must drop.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import type { DriftReport } from "../../src/model/report.js";
import { FaultProxy, serverCertificate, type TlsFiles } from "./fault-proxy.js";
import {
  cluster,
  freshNamespaceTimed,
  helmDriftTimed,
  kubectlTimed,
  parseReport,
  type Result,
} from "./harness.js";
import { installRelease, uninstallRelease } from "./scenarios/drift-runner.js";

const RELEASES = ["ba", "bb", "bc", "bd", "be", "bf"];
const CHART = "test/e2e/charts/webapp";
const VALUES = "test/e2e/charts/webapp/ci/drift-values.yaml";
const DRIFTED = "bc-webapp";

/** The report without what changes from run to run. */
function answerOf(result: Result): Omit<DriftReport, "generatedAt"> {
  const { generatedAt: _when, ...rest } = parseReport(result.stdout);
  return rest;
}

/** Requests by what they are: discovery, object GETs, LISTs (a collection, with or without a query). */
function requestKinds(requests: string[]): { discovery: number; gets: number; lists: number; total: number } {
  const paths = requests.map((r) => r.replace(/^GET /, "").split("?")[0] as string);
  const discovery = paths.filter((p) => /^\/(api|apis)(\/[^/]+){0,2}$/.test(p) && !/\/namespaces$/.test(p));
  const named = paths.filter((p) => !discovery.includes(p));
  // /api/v1/namespaces/NS/RES/NAME (core) or /apis/G/V/namespaces/NS/RES/NAME: a GET of one object.
  const gets = named.filter((p) =>
    /^\/api\/v1\/namespaces\/[^/]+\/[^/]+\/[^/]+$|^\/apis\/[^/]+\/[^/]+\/namespaces\/[^/]+\/[^/]+\/[^/]+$/.test(
      p,
    ),
  );
  return {
    discovery: discovery.length,
    gets: gets.length,
    lists: named.length - gets.length,
    total: requests.length,
  };
}

describe.skipIf(!cluster.available)("batched reads: the same report with fewer requests", () => {
  let work: string;
  let ns: string;
  let tls: TlsFiles;
  let upstream: string;
  let kubeconfig: { clusters: { cluster: { server: string } }[] };
  const installed: string[] = [];

  /** The built CLI's check of the namespace through a counting proxy; `env` adds HELM_DRIFT_NO_BATCH. */
  async function checkThroughProxy(
    name: string,
    env: NodeJS.ProcessEnv,
  ): Promise<{ result: Result; requests: string[] }> {
    const proxy = await FaultProxy.start(upstream, tls, []);
    try {
      const config = structuredClone(kubeconfig);
      for (const entry of config.clusters) entry.cluster.server = proxy.url;
      const file = path.join(work, `${name}.kubeconfig`);
      writeFileSync(file, stringify(config), { mode: 0o600 });
      const result = await helmDriftTimed(
        ["check", "-n", ns, "--kubeconfig", file, "--desired-from", "secrets", "-o", "json"],
        { env: { KUBECONFIG: file, ...env }, timeoutMs: 60_000 },
      );
      return { result, requests: [...proxy.requests] };
    } finally {
      await proxy.close();
    }
  }

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "batched-reads-"));
    tls = serverCertificate(path.join(path.dirname(cluster.kubeconfig), "pki"), work);
    kubeconfig = parse(readFileSync(cluster.kubeconfig, "utf8"));
    upstream = kubeconfig.clusters[0]?.cluster.server as string;
    ns = await freshNamespaceTimed("batched-reads");
    for (const name of RELEASES) {
      installed.push(name);
      await installRelease({ name, chart: CHART, values: VALUES }, ns);
    }
    await kubectlTimed([
      "set",
      "image",
      "-n",
      ns,
      `deployment/${DRIFTED}`,
      "webapp=docker.io/bitnami/nginx:1.27.4-debian-12-r1",
    ]);
  }, 600_000);

  afterAll(async () => {
    for (const name of installed) await uninstallRelease("helm", name, ns).catch(() => undefined);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("--desired-from secrets: the same report, exit 2 with the one drift, and fewer requests", async () => {
    const unbatched = await checkThroughProxy("unbatched", { HELM_DRIFT_NO_BATCH: "1" });
    const batched = await checkThroughProxy("batched", {});
    expect({ code: batched.result.code, stderr: batched.result.stderr }).toEqual({ code: 2, stderr: "" });
    expect(unbatched.result.code).toBe(2);
    expect(answerOf(batched.result)).toEqual(answerOf(unbatched.result));
    const report = answerOf(batched.result);
    expect(report.releases.map((r) => `${r.name}: ${r.status}`)).toEqual(
      RELEASES.map((name) => `${name}: ${`${name}-webapp` === DRIFTED ? "Drifted" : "InSync"}`),
    );
    const before = requestKinds(unbatched.requests);
    const after = requestKinds(batched.requests);
    console.log(
      `requests for ${RELEASES.length} releases, ${report.summary.resources} objects: without batching ${JSON.stringify(before)}, batched ${JSON.stringify(after)}`,
    );
    // Every rendered object was a GET; now each (kind, namespace) of at least 4 is one LIST.
    expect(before.gets).toBeGreaterThanOrEqual(report.summary.resources);
    expect(after.total).toBeLessThan(before.total / 2);
    expect(after.discovery).toBe(before.discovery);
  });

  it("--desired-from helm: the same report batched or not", async () => {
    const args = ["check", "-n", ns, "-o", "json"];
    const unbatched = await helmDriftTimed(args, { env: { HELM_DRIFT_NO_BATCH: "1" }, timeoutMs: 60_000 });
    const batched = await helmDriftTimed(args, { timeoutMs: 60_000 });
    expect({ code: batched.code, stderr: batched.stderr }).toEqual({ code: 2, stderr: "" });
    expect(answerOf(batched)).toEqual(answerOf(unbatched));
  });
});
