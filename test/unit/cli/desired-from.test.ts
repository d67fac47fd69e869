/**
 * `--desired-from auto`: Helm's release storage read directly when the reader may list it, else the helm CLI,
 * decided by the first list; only a refusal (403) falls back. The storage side is the real source and lister
 * over a fake KubeApi (the retries are the client's, so a 500 here is what is left after them); helm is a fake
 * ReleaseSource that records what it was asked.
 */
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { type DesiredSource, desiredSource, withDesiredFrom } from "../../../src/cli/desired-source.js";
import { ApiServerError } from "../../../src/cluster/api-server-error.js";
import type { ApiResponse, KubeApi } from "../../../src/cluster/kube-api-client.js";
import { ObjectsClusterReader } from "../../../src/cluster/objects-cluster-reader.js";
import { checkReleases } from "../../../src/core/check-releases.js";
import type { ReleaseData, ReleaseListing } from "../../../src/model/release.js";
import { renderJson } from "../../../src/report/json-reporter.js";
import { assertValidReport } from "../../helpers/report-schema.js";
import { statusBody } from "../../helpers/status-body.js";

const MANIFEST =
  "---\n# Source: web/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: shop\ndata:\n  mode: blue\n";

/** A release record as Helm's drivers store it: base64(gzip(json)); a Secret's data is base64 once more. */
function stored(kind: "Secret" | "ConfigMap") {
  const record = {
    name: "web",
    namespace: "shop",
    version: 1,
    info: { status: "deployed" },
    chart: { metadata: { name: "web", version: "1.0.0" } },
    manifest: MANIFEST,
  };
  const helmPayload = gzipSync(JSON.stringify(record)).toString("base64");
  return {
    metadata: {
      name: "sh.helm.release.v1.web.v1",
      namespace: "shop",
      labels: { name: "web", owner: "helm", status: "deployed", version: "1" },
    },
    ...(kind === "Secret"
      ? { type: "helm.sh/release.v1", data: { release: Buffer.from(helmPayload).toString("base64") } }
      : { data: { release: helmPayload } }),
  };
}

/** A KubeApi answering every storage list with `response`, recording the paths. */
function api(response: (path: string) => ApiResponse): KubeApi & { paths: string[] } {
  const paths: string[] = [];
  return {
    server: "https://api.test",
    paths,
    getJson: async (path) => {
      paths.push(path);
      return response(path);
    },
  };
}

const listOf = (kind: "Secret" | "ConfigMap") => (): ApiResponse => ({
  status: 200,
  body: { kind: `${kind}List`, apiVersion: "v1", metadata: {}, items: [stored(kind)] },
});
const refused = (): ApiResponse => ({
  status: 403,
  body: statusBody(
    403,
    "Forbidden",
    'secrets is forbidden: User "system:serviceaccount:ci:drift" cannot list resource "secrets"',
  ),
});
const failing = (): ApiResponse => ({
  status: 500,
  body: statusBody(500, "InternalError", "etcdserver: leader changed"),
  attempts: 5,
});

/** The helm CLI, faked: the same release, recording the calls. */
function fakeHelm() {
  const calls: string[] = [];
  return {
    calls,
    pending: () => [],
    list: async (namespace: string | null): Promise<ReleaseListing[]> => {
      calls.push(`list ${namespace}`);
      return [
        {
          name: "web",
          namespace: "shop",
          revision: 1,
          chartName: "web",
          chartVersion: "1.0.0",
          status: "deployed",
        },
      ];
    },
    get: async (name: string, namespace: string): Promise<ReleaseData> => {
      calls.push(`get ${namespace}/${name}`);
      return {
        name,
        namespace,
        revision: 1,
        chartName: "web",
        chartVersion: "1.0.0",
        manifest: MANIFEST,
        origin: `release ${namespace}/${name}`,
        newerRevision: null,
      };
    },
  };
}

const LIVE = [
  {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "web", namespace: "shop" },
    data: { mode: "red" },
  },
];

/** Checks namespace shop through `desired`, as the CLI does, and returns the report with its source. */
async function checkShop(desired: DesiredSource) {
  const report = await checkReleases(
    { kind: "listed", source: desired.source, namespace: "shop" },
    { reader: new ObjectsClusterReader(LIVE), now: () => new Date(0) },
  );
  return withDesiredFrom(report, desired.used());
}

describe("--desired-from auto", () => {
  it("the storage may be listed: the release Secrets answer, helm never runs, the report says secrets", async () => {
    const kube = api(listOf("Secret"));
    const helm = fakeHelm();
    const report = await checkShop(desiredSource("auto", "secrets", kube, () => helm));
    assertValidReport(JSON.parse(renderJson(report)));
    expect(report.desiredFrom).toBe("secrets");
    expect(Object.keys(report)).toEqual([
      "apiVersion",
      "kind",
      "generatedAt",
      "desiredFrom",
      "summary",
      "releases",
    ]);
    expect(report.releases.map((r) => [r.name, r.status, r.resources[0]?.findings[0]?.path])).toEqual([
      ["web", "Drifted", "data.mode"],
    ]);
    expect(helm.calls).toEqual([]);
    // One list of the namespace's release Secrets: the release is not listed again to get its manifest.
    expect(kube.paths).toEqual(["/api/v1/namespaces/shop/secrets?labelSelector=owner%3Dhelm&limit=25"]);
  });

  it("listing the storage is refused (403): the helm CLI answers the same check, the report says helm", async () => {
    const kube = api(refused);
    const helm = fakeHelm();
    const desired = desiredSource("auto", "secrets", kube, () => helm);
    const report = await checkShop(desired);
    assertValidReport(JSON.parse(renderJson(report)));
    expect(report.desiredFrom).toBe("helm");
    expect(helm.calls).toEqual(["list shop", "get shop/web"]);
    expect(kube.paths).toHaveLength(1);
    const fromSecrets = await checkShop(desiredSource("auto", "secrets", api(listOf("Secret")), fakeHelm));
    const { desiredFrom: _a, ...viaHelm } = report;
    const { desiredFrom: _b, ...direct } = fromSecrets;
    expect(viaHelm).toEqual(direct);
  });

  it("a named release whose own list is refused: helm gets it", async () => {
    const helm = fakeHelm();
    const desired = desiredSource("auto", "secrets", api(refused), () => helm);
    await expect(desired.source.get("web", "shop")).resolves.toMatchObject({ manifest: MANIFEST });
    expect(helm.calls).toEqual(["get shop/web"]);
    expect(desired.used()).toBe("helm");
  });

  it("a 500 still there after the retries is a failed read naming the storage, never the helm answer", async () => {
    const helm = fakeHelm();
    const desired = desiredSource("auto", "secrets", api(failing), () => helm);
    const check = checkShop(desired);
    await expect(check).rejects.toBeInstanceOf(ApiServerError);
    await expect(check).rejects.toThrow(
      'cannot list Secrets in namespace "shop" at https://api.test (reading Helm\'s release storage needs "list secrets"): HTTP 500: etcdserver: leader changed (tried 5 times)',
    );
    expect(helm.calls).toEqual([]);
    expect(desired.used()).toBe("secrets");
  });

  it("HELM_DRIVER=configmap: the release ConfigMaps are read, the report says configmaps", async () => {
    const kube = api(listOf("ConfigMap"));
    const report = await checkShop(desiredSource("auto", "configmaps", kube, fakeHelm));
    expect(report.desiredFrom).toBe("configmaps");
    expect(report.releases.map((r) => [r.name, r.revision, r.chart, r.status])).toEqual([
      ["web", 1, "web-1.0.0", "Drifted"],
    ]);
    expect(kube.paths).toEqual(["/api/v1/namespaces/shop/configmaps?labelSelector=owner%3Dhelm&limit=25"]);
  });

  it("a storage helm-drift cannot read (sql, memory: no storage): helm, without asking the API", async () => {
    const kube = api(listOf("Secret"));
    const helm = fakeHelm();
    const report = await checkShop(desiredSource("auto", null, kube, () => helm));
    expect(report.desiredFrom).toBe("helm");
    expect(kube.paths).toEqual([]);
  });
});

describe("--desired-from helm and secrets stay as they are", () => {
  it("helm: the helm CLI only, even when the storage may be listed", async () => {
    const kube = api(listOf("Secret"));
    const report = await checkShop(desiredSource("helm", "secrets", kube, fakeHelm));
    expect(report.desiredFrom).toBe("helm");
    expect(kube.paths).toEqual([]);
  });

  it("secrets: a refusal is the read's failure, not a fallback", async () => {
    const helm = fakeHelm();
    let made = false;
    const desired = desiredSource("secrets", "secrets", api(refused), () => {
      made = true;
      return helm;
    });
    await expect(checkShop(desired)).rejects.toThrow(/^cannot list Secrets in namespace "shop".*HTTP 403/);
    expect(made).toBe(false);
  });
});
