/**
 * A release whose newest revision failed (issue 7): `helm list --deployed` drops it, because Helm 3.22 and 4.3
 * keep the newest revision per release before filtering by state. Both sources must still list it, check it
 * against its last deployed revision, and say that a newer revision failed; a release that never deployed is
 * an Error under both. Real failures on the real API server, with Helm 3 and Helm 4, through the built CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DriftReport, ReleaseReport } from "../../src/model/report.js";
import {
  cluster,
  clusterBin,
  freshNamespaceTimed,
  helmDriftTimed,
  kubectlTimed,
  parseReport,
  type Result,
  repoPath,
  shTimed,
} from "./harness.js";
import { uninstallRelease } from "./scenarios/drift-runner.js";
import { DRIFT_RELEASE } from "./scenarios/drift-scenarios.js";

const CHART = repoPath(DRIFT_RELEASE.chart);
const VALUES = repoPath(DRIFT_RELEASE.values);
const WEB = DRIFT_RELEASE.name;
/** A release whose install fails: the API server rejects its Deployment. */
const BROKEN = "broken";
const DRIFTED_IMAGE = "docker.io/bitnami/nginx:1.27.4-debian-12-r1";

interface HelmVariant {
  helm: "helm" | "helm4";
  /** Flags that make `helm upgrade --reuse-values` of the drifted release fail for real. */
  failingUpgrade: string[];
  /** What Helm records as the failed revision's description. */
  failure: RegExp;
}

const VARIANTS: HelmVariant[] = [
  {
    // Helm 3 patches with a three-way merge, so kubectl's image edit is no conflict; a negative replica count
    // is rejected by the API server's validation instead.
    helm: "helm",
    failingUpgrade: ["--set", "replicaCount=-1"],
    failure:
      /^Upgrade "web" failed: cannot patch "web-webapp" with kind Deployment: .*spec\.replicas: Invalid value: -1/,
  },
  {
    // Helm 4 applies server-side without forcing conflicts: the image kubectl-set owns now is one.
    helm: "helm4",
    failingUpgrade: [],
    failure: /^Upgrade "web" failed: conflict occurred while applying object .*conflict with "kubectl-set"/,
  },
];

/** The report without its timestamp: what two runs over the same cluster state must agree on. */
function withoutTime({ generatedAt: _, desiredFrom: _source, ...rest }: DriftReport) {
  return rest;
}

function releaseNamed(report: DriftReport, namespace: string, name: string): ReleaseReport {
  const release = report.releases.find((r) => r.namespace === namespace && r.name === name);
  if (release === undefined) {
    const listed = report.releases.map((r) => `${r.namespace}/${r.name}`).join(", ") || "none";
    throw new Error(`the report has no release ${namespace}/${name} (releases: ${listed})`);
  }
  return release;
}

function inNamespace(report: DriftReport, namespace: string): ReleaseReport[] {
  return report.releases.filter((r) => r.namespace === namespace);
}

describe.skipIf(!cluster.available).each(VARIANTS)(
  "a release whose upgrade failed, installed with $helm",
  ({ helm, failingUpgrade, failure }) => {
    let ns: string;
    const helmBin = clusterBin(helm);
    /** `helm-drift check …` reading rendered manifests through this variant's helm binary, or from Secrets. */
    const fromHelm = (args: string[]) =>
      helmDriftTimed([...args, "--desired-from", "helm", "--helm-bin", helmBin], { timeoutMs: 60_000 });
    const fromSecrets = (args: string[]) =>
      helmDriftTimed([...args, "--desired-from", "secrets", "--helm-bin", "/nonexistent/helm"], {
        timeoutMs: 60_000,
      });

    beforeAll(async () => {
      ns = await freshNamespaceTimed(`failrel-${helm}`);
      const install = ["install", WEB, CHART, "-n", ns, "-f", VALUES];
      expect((await shTimed(helmBin, install, { timeoutMs: 60_000 })).code).toBe(0);
      await kubectlTimed(["set", "image", `deployment/${WEB}-webapp`, `webapp=${DRIFTED_IMAGE}`, "-n", ns]);
      const upgrade = ["upgrade", WEB, CHART, "-n", ns, "--reuse-values", ...failingUpgrade];
      const upgraded = await shTimed(helmBin, upgrade, { timeoutMs: 60_000 });
      expect(upgraded.stderr).toMatch(/Error: UPGRADE FAILED: /);
      expect(upgraded.code).toBe(1);
      const broken = ["install", BROKEN, CHART, "-n", ns, "-f", VALUES, "--set", "replicaCount=-1"];
      const installed = await shTimed(helmBin, broken, { timeoutMs: 60_000 });
      expect(installed.stderr).toMatch(/Error: INSTALLATION FAILED: /);
      expect(installed.code).toBe(1);
    }, 240_000);

    afterAll(async () => {
      if (!ns) return;
      await uninstallRelease(helm, WEB, ns);
      await uninstallRelease(helm, BROKEN, ns);
    }, 120_000);

    it("the upgrade failed for real: revision 2 is failed, revision 1 still deployed, and helm list --deployed drops it", async () => {
      const history = JSON.parse(
        (await shTimed(helmBin, ["history", WEB, "-n", ns, "-o", "json"])).stdout,
      ) as { revision: number; status: string; description: string }[];
      expect(history.map((h) => [h.revision, h.status])).toEqual([
        [1, "deployed"],
        [2, "failed"],
      ]);
      expect(history[1]?.description).toMatch(failure);
      // The defect: the state filter applies after keeping the newest revision per release.
      const deployed = await shTimed(helmBin, ["list", "-n", ns, "--deployed", "-o", "json"]);
      expect(JSON.parse(deployed.stdout)).toEqual([]);
    });

    it("check -n: both sources list it, check revision 1, find the image drift and name the failed revision 2", async () => {
      const [helmRun, secretsRun] = await Promise.all([
        fromHelm(["check", "-n", ns, "-o", "json"]),
        fromSecrets(["check", "-n", ns, "-o", "json"]),
      ]);
      expect([helmRun.stderr, secretsRun.stderr]).toEqual(["", ""]);
      // The never-deployed release is an Error, and an error beats drift.
      expect([helmRun.code, secretsRun.code]).toEqual([1, 1]);
      const report = parseReport(helmRun.stdout);
      expect(withoutTime(parseReport(secretsRun.stdout))).toEqual(withoutTime(report));

      const web = releaseNamed(report, ns, WEB);
      expect(web).toMatchObject({ revision: 1, chart: "webapp-1.4.2", status: "Drifted" });
      expect(web.newerRevision).toEqual({ revision: 2, status: "failed", description: expect.any(String) });
      expect(web.newerRevision?.description).toMatch(failure);
      const drifted = web.resources.filter((r) => r.status !== "InSync");
      expect(drifted.map((r) => `${r.kind}/${r.name} ${r.status}`)).toEqual([
        `Deployment/${WEB}-webapp Drifted`,
      ]);
      expect(drifted[0]?.findings.map((f) => [f.code, f.path, f.live])).toEqual([
        ["value-changed", "spec.template.spec.containers[name=webapp].image", DRIFTED_IMAGE],
      ]);

      expect(releaseNamed(report, ns, BROKEN)).toEqual({
        name: BROKEN,
        namespace: ns,
        revision: null,
        chart: null,
        chartName: null,
        chartVersion: null,
        status: "Error",
        error: `release ${ns}/${BROKEN} has no deployed revision (revision 1 is failed)`,
        resources: [],
      });
    });

    it("check -A: both sources list both releases, with the same reports as check -n", async () => {
      const [helmRun, secretsRun, namespaceRun] = await Promise.all([
        fromHelm(["check", "-A", "-o", "json"]),
        fromSecrets(["check", "-A", "-o", "json"]),
        fromSecrets(["check", "-n", ns, "-o", "json"]),
      ]);
      expect([helmRun.stderr, secretsRun.stderr, namespaceRun.stderr]).toEqual(["", "", ""]);
      expect([helmRun.code, secretsRun.code]).toEqual([1, 1]);
      // Other suites share the cluster: only this namespace's releases are compared.
      const expected = inNamespace(parseReport(namespaceRun.stdout), ns);
      expect(expected.map((r) => `${r.name} ${r.status}`).sort()).toEqual([
        `${BROKEN} Error`,
        `${WEB} Drifted`,
      ]);
      const sorted = (releases: ReleaseReport[]) =>
        [...releases].sort((a, b) => (a.name ?? "").localeCompare(b.name ?? ""));
      expect(sorted(inNamespace(parseReport(helmRun.stdout), ns))).toEqual(sorted(expected));
      expect(sorted(inNamespace(parseReport(secretsRun.stdout), ns))).toEqual(sorted(expected));
    });

    it("named checks agree with the listing: the failed release at revision 1, the never-deployed one an Error", async () => {
      const runs = await Promise.all([
        fromHelm(["check", WEB, "-n", ns, "-o", "json"]),
        fromSecrets(["check", WEB, "-n", ns, "-o", "json"]),
        fromHelm(["check", BROKEN, "-n", ns, "-o", "json"]),
        fromSecrets(["check", BROKEN, "-n", ns, "-o", "json"]),
      ]);
      expect(runs.map((run: Result) => run.code)).toEqual([2, 2, 1, 1]);
      const [webHelm, webSecrets, brokenHelm, brokenSecrets] = runs.map((run) => parseReport(run.stdout));
      expect(withoutTime(webSecrets as DriftReport)).toEqual(withoutTime(webHelm as DriftReport));
      expect(withoutTime(brokenSecrets as DriftReport)).toEqual(withoutTime(brokenHelm as DriftReport));
      expect(webHelm?.releases[0]).toMatchObject({
        revision: 1,
        status: "Drifted",
        newerRevision: { revision: 2, status: "failed" },
      });
      expect(brokenHelm?.releases[0]?.error).toBe(
        `release ${ns}/${BROKEN} has no deployed revision (revision 1 is failed)`,
      );
    });

    it("the text report says so under the release, identically from both sources", async () => {
      const [helmRun, secretsRun] = await Promise.all([
        fromHelm(["check", "-n", ns]),
        fromSecrets(["check", "-n", ns]),
      ]);
      // The same report, apart from the last line: where the manifests came from.
      const [helmLines, secretsLines] = [helmRun, secretsRun].map((run) => run.stdout.trimEnd().split("\n"));
      expect([helmLines?.pop(), secretsLines?.pop()]).toEqual([
        "Rendered manifests from the helm CLI.",
        "Rendered manifests from Helm's release Secrets, read directly.",
      ]);
      expect(secretsLines).toEqual(helmLines);
      const lines = helmRun.stdout.split("\n");
      const header = lines.findIndex((line) => line.startsWith(`✗ release ${WEB} (ns ${ns}, rev 1, `));
      expect(header).toBeGreaterThanOrEqual(0);
      expect(lines[header + 1]).toBe(
        `  ! revision 2 is failed: checked against revision 1, the last deployed one; the upgrade or rollback ` +
          `that wrote it failed, possibly after changing some objects (helm history ${WEB} -n ${ns})`,
      );
      expect(lines).toContain(
        `! release ${BROKEN} (ns ${ns}): Error: release ${ns}/${BROKEN} has no deployed revision (revision 1 is failed)`,
      );
    });
  },
);
