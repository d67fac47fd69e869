import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { ClusterReader, GetResult } from "../../../src/cluster/cluster-reader.js";
import { ObjectsClusterReader } from "../../../src/cluster/objects-cluster-reader.js";
import { checkReleases } from "../../../src/core/check-releases.js";
import { HelmDriftError } from "../../../src/errors.js";
import type { KubeObject, ObjectRef } from "../../../src/model/kube.js";
import type { ReleaseData } from "../../../src/model/release.js";
import { renderJson } from "../../../src/report/json-reporter.js";
import { renderText } from "../../../src/report/text-reporter.js";
import { parseLiveObjects } from "../../../src/sources/live-objects.js";
import { corpusPath } from "../../helpers/corpus.js";
import { assertValidReport } from "../../helpers/report-schema.js";

const corpus = corpusPath("live-vs-desired");
const load = (file: string): KubeObject[] =>
  parseLiveObjects(readFileSync(path.join(corpus, file), "utf8"), file);
const fixedNow = () => new Date("2026-11-27T00:00:00.000Z");

function releaseOf(objects: KubeObject[], name = "demo", namespace: string | null = "default"): ReleaseData {
  return {
    name,
    namespace,
    revision: 1,
    chartName: "demo",
    chartVersion: "1.0.0",
    manifest: objects
      .map((o) => `# Source: demo/templates/${o.kind.toLowerCase()}.yaml\n${stringify(o)}`)
      .join("---\n"),
    origin: "test manifest",
  };
}

async function check(desired: KubeObject[], live: KubeObject[], namespace: string | null = "default") {
  const report = await checkReleases(
    { kind: "given", releases: [releaseOf(desired, "demo", namespace)] },
    { reader: new ObjectsClusterReader(live), now: fixedNow },
  );
  assertValidReport(JSON.parse(renderJson(report)));
  return report;
}

describe("the whole pipeline over corpus pairs upstream expects in sync", () => {
  it.each([
    ["gitops-engine/elasticsearch-config.json", "gitops-engine/elasticsearch-live.json"],
    ["gitops-engine/endpoints-config.json", "gitops-engine/endpoints-live.json"],
    ["gitops-engine/grafana-clusterrole-config.json", "gitops-engine/grafana-clusterrole-live.json"],
    ["gitops-engine/mutatingwebhookconfig-config.json", "gitops-engine/mutatingwebhookconfig-live.json"],
    ["gitops-engine/sealedsecret-config.json", "gitops-engine/sealedsecret-live.json"],
    ["gitops-engine/spinnaker-sa-config.json", "gitops-engine/spinnaker-sa-live.json"],
    ["gitops-engine/wordpress-config.json", "gitops-engine/wordpress-live.json"],
    ["gitops-engine/smd-deploy-config.yaml", "gitops-engine/smd-deploy-live.yaml"],
    ["kubectl-apply/rc.yaml", "kubectl-apply/rc-managedfields-lastapplied.yaml"],
  ])("%s is InSync with zero findings", async (desiredFile, liveFile) => {
    const live = load(liveFile);
    const report = await check(load(desiredFile), live, live[0]?.metadata.namespace ?? null);
    expect(report.summary).toMatchObject({ releases: 1, resources: 1, drifted: 0, missing: 0, findings: 0 });
    expect(report.releases[0]?.status).toBe("InSync");
  });
});

describe("secret values never reach any output format", () => {
  const wordpressDesired = load("gitops-engine/wordpress-config.json");
  const wordpressLive = load("gitops-engine/wordpress-live.json");
  const secretValue = "c3VwZXItc2VjcmV0LXBhc3N3b3Jk"; // base64 "super-secret-password"
  const liveValue = "aHVudGVyMg=="; // base64 "hunter2"

  it("a changed, a missing and an extra-looking Secret key are reported masked in text and JSON", async () => {
    const desired = structuredClone(wordpressDesired);
    const secret = desired[0] as KubeObject & {
      data: Record<string, string>;
      stringData?: Record<string, string>;
    };
    secret.data["wordpress-password"] = secretValue;
    secret.stringData = { "api-token": "plain-token-value-123" };
    const live = structuredClone(wordpressLive);
    (live[0] as KubeObject & { data: Record<string, string> }).data["wordpress-password"] = liveValue;
    const report = await check(desired, live, live[0]?.metadata.namespace ?? null);
    expect(report.summary.findings).toBeGreaterThanOrEqual(2);
    const outputs = [
      renderJson(report),
      renderText(report, { color: false }),
      renderText(report, { color: true, verbose: true }),
    ];
    for (const output of outputs) {
      for (const value of [
        secretValue,
        liveValue,
        "super-secret-password",
        "hunter2",
        "plain-token-value-123",
        Buffer.from("plain-token-value-123").toString("base64"),
      ]) {
        expect(output).not.toContain(value);
      }
    }
    const paths = report.releases[0]?.resources[0]?.findings.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["data.wordpress-password", "data.api-token"]));
  });
});

describe("failures stay where they happen", () => {
  const desired = load("gitops-engine/smd-deploy-config.yaml");
  const live = load("gitops-engine/smd-deploy-live.yaml");
  const configMap: KubeObject = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "settings" },
    data: { a: "1" },
  };

  /** The project's own ClusterReader interface, failing for one object the way a 500 from the server does. */
  class FailingForOne implements ClusterReader {
    inner = new ObjectsClusterReader(live);
    resolve = (apiVersion: string, kind: string) => this.inner.resolve(apiVersion, kind);
    listTypes = () => Promise.resolve(null);
    list: ClusterReader["list"] = (scope, options) => this.inner.list(scope, options);
    async get(ref: ObjectRef): Promise<GetResult> {
      if (ref.kind === "ConfigMap") throw new HelmDriftError("the server answered 500 Internal Server Error");
      return this.inner.get(ref);
    }
  }

  it("one unreadable object does not stop the others", async () => {
    const report = await checkReleases(
      {
        kind: "given",
        releases: [releaseOf([...desired, configMap], "demo", live[0]?.metadata.namespace ?? null)],
      },
      { reader: new FailingForOne(), now: fixedNow },
    );
    const statuses = report.releases[0]?.resources.map((r) => [r.kind, r.status, r.reason ?? null]);
    expect(statuses).toEqual([
      ["Deployment", "InSync", null],
      [
        "ConfigMap",
        "Unreadable",
        { code: "read-failed", detail: "the server answered 500 Internal Server Error" },
      ],
    ]);
  });

  it("an object absent live is Missing with an object-missing finding and a helm upgrade plan", async () => {
    const report = await check([...desired, configMap], live, live[0]?.metadata.namespace ?? null);
    const missing = report.releases[0]?.resources.find((r) => r.kind === "ConfigMap");
    expect(missing?.status).toBe("Missing");
    expect(missing?.findings.map((f) => [f.code, f.type, f.severity])).toEqual([
      ["object-missing", "missing", "high"],
    ]);
    expect(missing?.healsOnUpgrade).toBe("yes");
    expect(missing?.remediation?.steps).toContainEqual({
      action: "helm-upgrade",
      release: "demo",
      namespace: live[0]?.metadata.namespace,
      chart: "demo",
      chartName: "demo",
      chartRefKnown: false,
      version: "1.0.0",
      reuseValues: true,
      forceConflicts: false,
    });
    expect(report.releases[0]?.status).toBe("Drifted");
  });

  it("a release whose manifest cannot be read is an Error entry; the next release is still checked", async () => {
    const broken: ReleaseData = {
      ...releaseOf(desired),
      name: "broken",
      manifest: "kind: [",
      origin: "release default/broken",
    };
    const report = await checkReleases(
      {
        kind: "named",
        source: {
          list: async () => [],
          get: async (name) =>
            name === "broken" ? broken : releaseOf(desired, name, live[0]?.metadata.namespace ?? null),
        },
        releases: [
          { name: "broken", namespace: "default" },
          { name: "good", namespace: "default" },
        ],
      },
      { reader: new ObjectsClusterReader(live), now: fixedNow },
    );
    expect(report.releases.map((r) => [r.name, r.status])).toEqual([
      ["broken", "Error"],
      ["good", "InSync"],
    ]);
    expect(report.releases[0]?.error).toMatch(/^release default\/broken:1:\d+: /);
  });
});

describe("reads are bounded", () => {
  it("never has more than --concurrency requests in flight across releases and objects", async () => {
    const objects: KubeObject[] = Array.from({ length: 40 }, (_, i) => ({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: `cm-${i}`, namespace: "default" },
      data: { i: String(i) },
    }));
    let inFlight = 0;
    let peak = 0;
    const inner = new ObjectsClusterReader(objects);
    const slow = async <T>(work: () => Promise<T>) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight--;
      return work();
    };
    const reader: ClusterReader = {
      resolve: (a, k) => slow(() => inner.resolve(a, k)),
      get: (ref) => slow(() => inner.get(ref)),
      list: (scope, options) => slow(() => inner.list(scope, options)),
      listTypes: () => Promise.resolve(null),
    };
    const releases = [0, 1, 2].map((n) => releaseOf(objects.slice(n * 13, n * 13 + 13), `r${n}`));
    const report = await checkReleases(
      { kind: "given", releases },
      { reader, concurrency: 4, now: fixedNow },
    );
    expect(report.summary.resources).toBe(39);
    expect(report.summary.findings).toBe(0);
    expect(peak).toBe(4);
  });
});
