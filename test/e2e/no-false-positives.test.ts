/**
 * No false positives on real defaults: fresh installs of real and realistic charts, each in its own namespace,
 * under Helm 3 (client-side, three-way merge) and Helm 4 (server-side apply for new installs), are reported
 * InSync with zero findings and exit code 0. Every default the API server adds, every value it canonicalizes
 * (quantities, octal modes, stringData), every zero value it drops, must be recognised as no drift. The server
 * is asked too: a server-side apply dry run of the rendered objects (ssa-dry-run.ts) must change nothing.
 *
 * Charts: the real ARC gha-runner-scale-set with its own CI values, and the charts of test/e2e/charts, written
 * the way widely used charts are (bitnami, node-local-dns, cert-manager-style webhooks).
 */
import { beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { DriftReport } from "../../src/model/report.js";
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
} from "./harness.js";
import { uninstallRelease } from "./scenarios/drift-runner.js";
import { DRIFT_RELEASE } from "./scenarios/drift-scenarios.js";
import { serverSideApplyDryRun } from "./ssa-dry-run.js";

interface ChartCase {
  /** Test name and namespace prefix. */
  name: string;
  release: string;
  chart: string;
  args: string[];
}

const ARC_CHART = corpusPath("arc/gha-runner-scale-set");

const CHARTS: readonly ChartCase[] = [
  {
    name: "arc",
    release: "arc-runner-set",
    chart: ARC_CHART,
    args: [
      "-f",
      `${ARC_CHART}/ci/ci-values.yaml`,
      // Set explicitly, so the chart does not `lookup` a gha-rs-controller Deployment (templates/_helpers.tpl).
      "--set",
      "controllerServiceAccount.name=arc-gha-rs-controller",
      "--set",
      "controllerServiceAccount.namespace=arc-systems",
    ],
  },
  { name: "webapp", release: "web", chart: repoPath("test/e2e/charts/webapp"), args: [] },
  {
    name: "webapp-drift-values",
    release: DRIFT_RELEASE.name,
    chart: repoPath(DRIFT_RELEASE.chart),
    args: ["-f", repoPath(DRIFT_RELEASE.values)],
  },
  { name: "database", release: "pg", chart: repoPath("test/e2e/charts/database"), args: [] },
  { name: "node-dns", release: "nodelocaldns", chart: repoPath("test/e2e/charts/node-dns"), args: [] },
  { name: "admission", release: "policy", chart: repoPath("test/e2e/charts/admission"), args: [] },
];

const HELMS = [
  { name: "Helm 3", bin: "helm" },
  { name: "Helm 4", bin: "helm4" },
] as const;

/** The kinds the charts above must cover between them (so that a chart edit cannot quietly drop one). */
const REQUIRED_KINDS = [
  "AutoscalingRunnerSet",
  "ClusterRole",
  "ClusterRoleBinding",
  "ConfigMap",
  "CronJob",
  "DaemonSet",
  "Deployment",
  "HorizontalPodAutoscaler",
  "Ingress",
  "Job",
  "MutatingWebhookConfiguration",
  "NetworkPolicy",
  "PersistentVolumeClaim",
  "PodDisruptionBudget",
  "PriorityClass",
  "Role",
  "RoleBinding",
  "Secret",
  "Service",
  "ServiceAccount",
  "StatefulSet",
  "ValidatingWebhookConfiguration",
];

const SERVICE_TYPES = ["ClusterIP", "NodePort", "LoadBalancer"];

describe.skipIf(!cluster.available)("fresh installs are in sync", () => {
  const kindsSeen = new Set<string>();

  beforeAll(async () => {
    // The ARC CRD may already be installed (by another suite): a server-side apply of the same file is a no-op.
    await kubectlTimed([
      "apply",
      "--server-side",
      "--field-manager=helm-drift-e2e",
      "--force-conflicts",
      "-f",
      corpusPath("arc/crds"),
    ]);
    await crdEstablished("autoscalingrunnersets.actions.github.com");
  });

  const cases = HELMS.flatMap((helm) => CHARTS.map((chart) => ({ helm, chart })));
  it.for(cases.map((c) => [`${c.helm.name}: ${c.chart.name}`, c] as const))(
    "%s",
    async ([, { helm, chart }]) => {
      const ns = await freshNamespaceTimed(`fp-${chart.name}`);
      onTestFinished(() => uninstallRelease(helm.bin, chart.release, ns));
      await okTimed(clusterBin(helm.bin), ["install", chart.release, chart.chart, "-n", ns, ...chart.args]);
      const manifest = await okTimed(clusterBin(helm.bin), ["get", "manifest", chart.release, "-n", ns]);
      const documents = manifest.split(/^---$/m).filter((document) => /^kind: /m.test(document)).length;
      for (const [, kind] of manifest.matchAll(/^kind: (\w+)$/gm)) kindsSeen.add(kind ?? "");
      for (const type of SERVICE_TYPES) {
        if (new RegExp(`^  type: ${type}$`, "m").test(manifest)) kindsSeen.add(`Service type ${type}`);
      }

      // Rendered objects from the helm CLI that installed the release, and from its release Secret read directly;
      // beside them, the server's own answer (all three only read).
      const check = (...flags: string[]) =>
        helmDriftTimed(["check", chart.release, "-n", ns, "-o", "json", "--fail-on", "info", ...flags]);
      const [fromHelm, fromSecrets, answers] = await Promise.all([
        check("--desired-from", "helm", "--helm-bin", clusterBin(helm.bin)),
        check("--desired-from", "secrets"),
        serverSideApplyDryRun(ns, manifest),
      ]);

      for (const result of [fromHelm, fromSecrets]) {
        expect(result.stderr).toBe("");
        const report: DriftReport = parseReport(result.stdout);
        const resources = report.releases.flatMap((release) => release.resources);
        // Findings first: on failure the message names the false positives.
        const falsePositives = resources.flatMap((resource) =>
          resource.findings.map(({ code, path, desired, live }) => ({
            object: `${resource.kind}/${resource.name}`,
            code,
            path,
            desired,
            live,
          })),
        );
        expect(falsePositives).toEqual([]);
        expect(resources.map((resource) => `${resource.kind}/${resource.name} ${resource.status}`)).toEqual(
          resources.map((resource) => `${resource.kind}/${resource.name} InSync`),
        );
        expect(resources).toHaveLength(documents);
        expect(report.releases.map((release) => [release.name, release.status])).toEqual([
          [chart.release, "InSync"],
        ]);
        expect(report.summary.findings).toBe(0);
        expect(result.code).toBe(0);
      }

      // The server agrees: applying the rendered objects server-side (dry run) would change nothing.
      const serverChanges = answers.flatMap((answer) =>
        answer.created
          ? [`${answer.object.kind}/${answer.object.name} (created)`]
          : answer.changed.map((path) => `${answer.object.kind}/${answer.object.name} ${path}`),
      );
      expect(serverChanges).toEqual([]);
    },
  );

  it("the charts cover every kind and Service type they are meant to", () => {
    expect([...kindsSeen].sort()).toEqual(
      expect.arrayContaining([...REQUIRED_KINDS, ...SERVICE_TYPES.map((type) => `Service type ${type}`)]),
    );
  });
});
