/**
 * Noise control against the real API server (issue 10): the ignore rules of the Flux HelmRelease that manages
 * a release are read from the cluster and applied; the plan of what is left repairs it without touching the
 * ignored field (the plan's actions executed for real, on Helm 3 and on Helm 4, whose plan is a server-side
 * apply); a reader that may not get HelmReleases says so and reports the field; Flux's opt-out annotation on
 * the live object makes the whole object not drift.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { DriftReport, ResourceReport } from "../../src/model/report.js";
import {
  cluster,
  clusterBin,
  corpusPath,
  crdEstablished,
  freshNamespaceTimed,
  helmDriftTimed,
  kubectlTimed,
  okTimed,
  parseReport,
  repoPath,
  uninstallRelease,
} from "./harness.js";
import { executeAction } from "./incident/steps.js";
import { DRIFT_RELEASE } from "./scenarios/drift-scenarios.js";

const CHART = repoPath(DRIFT_RELEASE.chart);
const VALUES = repoPath(DRIFT_RELEASE.values);
const RELEASE = DRIFT_RELEASE.name;
const DEPLOYMENT = "web-webapp";
const CONTAINER = "webapp";
const DRIFTED_IMAGE = "docker.io/library/nginx:1.27-drifted";
const IMAGE_PATH = `spec.template.spec.containers[name=${CONTAINER}].image`;
const FLUX_CRD = corpusPath("flux/crds/helm.toolkit.fluxcd.io_helmreleases.yaml");
const OPT_OUT = "helm.toolkit.fluxcd.io/driftDetection";

async function establishFluxCrd(): Promise<void> {
  await kubectlTimed(["apply", "--server-side", "--force-conflicts", "-f", FLUX_CRD]);
  await crdEstablished("helmreleases.helm.toolkit.fluxcd.io");
}

function deployment(report: DriftReport): ResourceReport {
  const resource = report.releases[0]?.resources.find((r) => r.kind === "Deployment");
  if (!resource) throw new Error(`no Deployment in the report:\n${JSON.stringify(report, null, 2)}`);
  return resource;
}

describe.skipIf(!cluster.available).each([{ helm: "helm" as const }, { helm: "helm4" as const }])(
  "ignore rules on the real API server, release installed with $helm",
  ({ helm }) => {
    const helmBin = clusterBin(helm);
    /** Flux's helm.toolkit.fluxcd.io labels naming HelmRelease ns/web, as its post-renderer adds them. */
    const fluxLabels = () => [
      "--set-json",
      `extraLabels=${JSON.stringify({ "helm.toolkit.fluxcd.io/name": RELEASE, "helm.toolkit.fluxcd.io/namespace": ns })}`,
    ];
    let ns: string;
    const driftImage = () =>
      kubectlTimed(["set", "image", `deployment/${DEPLOYMENT}`, `${CONTAINER}=${DRIFTED_IMAGE}`, "-n", ns]);
    const check = (...flags: string[]) =>
      helmDriftTimed(["check", RELEASE, "-n", ns, "--helm-bin", helmBin, ...flags], { timeoutMs: 60_000 });

    beforeAll(async () => {
      await establishFluxCrd();
      ns = await freshNamespaceTimed(`ign-${helm}`);
      await okTimed(
        helmBin,
        ["install", RELEASE, CHART, "-n", ns, "-f", VALUES, "--wait=false", ...fluxLabels()],
        {
          timeoutMs: 120_000,
        },
      );
      const helmRelease = {
        apiVersion: "helm.toolkit.fluxcd.io/v2",
        kind: "HelmRelease",
        metadata: { name: RELEASE, namespace: ns },
        spec: {
          interval: "10m",
          releaseName: RELEASE,
          chart: { spec: { chart: "webapp", sourceRef: { kind: "HelmRepository", name: "local" } } },
          driftDetection: {
            mode: "enabled",
            ignore: [{ paths: ["/spec/replicas"], target: { kind: "Deployment" } }],
          },
        },
      };
      await kubectlTimed(["apply", "-f", "-"], { input: stringify(helmRelease) });
    });

    afterAll(async () => {
      if (ns) await uninstallRelease(helmBin, RELEASE, ns);
    });

    it("the HelmRelease's rule ignores the replicas someone scaled; the plan repairs the rest and keeps them", async () => {
      await kubectlTimed(["scale", "deployment", DEPLOYMENT, "-n", ns, "--replicas", "3"]);
      await driftImage();

      const result = await check("-o", "json", "--show-ignored");
      expect(result.code, result.stderr).toBe(2);
      const report = parseReport(result.stdout);
      expect(report.releases[0]?.fluxIgnore).toEqual({ status: "applied", rules: 1, message: null });
      const web = deployment(report);
      expect(web.findings.map((finding) => finding.path)).toContain(IMAGE_PATH);
      expect(web.findings.map((finding) => finding.path)).not.toContain("spec.replicas");
      const ignored = (web as ResourceReport & { ignoredFindings?: unknown[] }).ignoredFindings;
      expect(ignored).toEqual([
        expect.objectContaining({
          finding: expect.objectContaining({ path: "spec.replicas", live: 3 }),
          ignoredBy: expect.objectContaining({
            by: "path-rule",
            origin: { kind: "helm-release", name: RELEASE, namespace: ns },
            index: 0,
            path: "/spec/replicas",
          }),
        }),
      ]);

      // The plan, executed for real: the image comes back, the ignored replicas stay as they are.
      const steps = web.remediation?.steps ?? [];
      expect(steps.length).toBeGreaterThan(0);
      expect(steps.map((step) => step.action)).not.toContain("helm-upgrade");
      // Helm 4 applies server-side: the repair applies the object as Helm, without the ignored field.
      if (helm === "helm4") {
        expect(web.remediation?.strategy).toBe("apply");
        expect(steps.find((step) => step.action === "server-side-apply")).toMatchObject({
          omit: ["/spec/replicas"],
        });
      } else {
        expect(web.remediation?.strategy).toBe("patch");
      }
      let verified = false;
      for (const step of steps) {
        const outcome = await executeAction(step, { chart: CHART, upgradeFlags: [], helm });
        if (outcome !== null) {
          expect(outcome.code, `${outcome.stdout}${outcome.stderr}`).toBe(0);
          verified = true;
        }
      }
      expect(verified).toBe(true);
      const live = JSON.parse(await kubectlTimed(["get", "deployment", DEPLOYMENT, "-n", ns, "-o", "json"]));
      expect(live.spec.replicas).toBe(3);
      expect(live.spec.template.spec.containers[0].image).not.toBe(DRIFTED_IMAGE);
      const after = parseReport((await check("-o", "json")).stdout);
      expect(after.summary).toMatchObject({ findings: 0, ignored: 1 });
    });

    it("a reader that may not get HelmReleases says so, and the replicas are reported", async () => {
      const account = `no-hr-${randomBytes(2).toString("hex")}`;
      await kubectlTimed(["create", "serviceaccount", account, "-n", ns]);
      // Everything the release renders, and its release Secrets; HelmReleases are not granted.
      const role = {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "Role",
        metadata: { name: account, namespace: ns },
        rules: [
          {
            apiGroups: [
              "",
              "apps",
              "policy",
              "networking.k8s.io",
              "autoscaling",
              "batch",
              "rbac.authorization.k8s.io",
            ],
            resources: ["*"],
            verbs: ["get", "list"],
          },
        ],
      };
      await kubectlTimed(["apply", "-f", "-"], { input: stringify(role) });
      await kubectlTimed([
        "create",
        "rolebinding",
        account,
        "-n",
        ns,
        `--role=${account}`,
        `--serviceaccount=${ns}:${account}`,
      ]);
      const token = (await kubectlTimed(["create", "token", account, "-n", ns, "--duration", "1h"])).trim();
      const admin = JSON.parse(
        await kubectlTimed(["config", "view", "--raw", "-o", "json", "--kubeconfig", cluster.kubeconfig]),
      );
      const work = mkdtempSync(path.join(tmpdir(), "helm-drift-ignore-"));
      const kubeconfig = path.join(work, `${account}.kubeconfig`);
      writeFileSync(
        kubeconfig,
        JSON.stringify({
          apiVersion: "v1",
          kind: "Config",
          clusters: admin.clusters,
          contexts: [
            { name: account, context: { cluster: admin.clusters[0].name, user: account, namespace: ns } },
          ],
          "current-context": account,
          users: [{ name: account, user: { token } }],
        }),
        { mode: 0o600 },
      );
      try {
        const flags = ["--kubeconfig", kubeconfig, "--desired-from", "secrets"];
        const json = await helmDriftTimed(["check", RELEASE, "-n", ns, ...flags, "-o", "json"], {
          env: { KUBECONFIG: kubeconfig },
        });
        expect(json.code, json.stderr).toBe(2);
        const report = parseReport(json.stdout);
        expect(report.releases[0]?.fluxIgnore).toMatchObject({ status: "forbidden" });
        expect(deployment(report).findings.map((finding) => finding.path)).toContain("spec.replicas");
        const text = await helmDriftTimed(["check", RELEASE, "-n", ns, ...flags], {
          env: { KUBECONFIG: kubeconfig },
        });
        expect(text.stdout).toMatch(
          new RegExp(
            `! the ignore rules of HelmRelease ${ns}/${RELEASE} \\(spec.driftDetection.ignore\\) could not be read \\(forbidden: `,
          ),
        );
      } finally {
        // A token kubeconfig is a credential: removed.
        rmSync(work, { recursive: true, force: true });
      }
    });

    it("Flux's opt-out annotation on the live object: nothing of it is drift", async () => {
      await driftImage();
      const drifted = await check("-o", "json");
      expect(drifted.code).toBe(2);
      await kubectlTimed(["annotate", "deployment", DEPLOYMENT, "-n", ns, `${OPT_OUT}=disabled`]);
      const result = await check("-o", "json", "--show-ignored");
      expect(result.code, result.stderr).toBe(0);
      const web = deployment(parseReport(result.stdout)) as ResourceReport & {
        ignoredFindings?: { ignoredBy: { by: string } }[];
      };
      expect(web.status).toBe("InSync");
      expect(web.ignoredFindings?.map(({ ignoredBy }) => ignoredBy.by)).toContain("opt-out");
      expect(web.ignoredFindings?.length).toBeGreaterThanOrEqual(2);
    });
  },
);
