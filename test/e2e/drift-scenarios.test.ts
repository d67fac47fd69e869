/**
 * Each kind of drift, made the way people make it (kubectl set image, edit, scale, patch, delete, label, a
 * server-side apply by another tool) on a fresh Helm 3 install, and what helm-drift must report about it:
 * exactly the expected findings (type, code, path, severity, who wrote the field), nothing else, exit code 2.
 * The scenarios are data (scenarios/drift-scenarios.ts); server-agreement.test.ts checks the same drift
 * against the API server's own answer.
 */
import { describe, it, onTestFinished } from "vitest";
import type { Finding } from "../../src/model/finding.js";
import type { DriftReport } from "../../src/model/report.js";
import { cluster, freshNamespaceTimed, helmDriftTimed, parseReport } from "./harness.js";
import { installDriftRelease, makeDrift, uninstallRelease } from "./scenarios/drift-runner.js";
import { DRIFT_RELEASE, DRIFT_SCENARIOS, type ExpectedFinding } from "./scenarios/drift-scenarios.js";

/** A reported finding in the shape of ExpectedFinding: owner reduced to manager, operation, subresource. */
function asExpected(kind: string, name: string, finding: Finding): ExpectedFinding {
  const { owner } = finding;
  return {
    kind,
    name,
    code: finding.code,
    type: finding.type,
    path: finding.path,
    severity: finding.severity,
    owner:
      owner === null
        ? null
        : {
            manager: owner.manager,
            operation: owner.operation as "Update" | "Apply",
            ...(owner.subresource ? { subresource: owner.subresource } : {}),
          },
  };
}

const byPath = (a: ExpectedFinding, b: ExpectedFinding) =>
  `${a.kind}/${a.name}/${a.path}`.localeCompare(`${b.kind}/${b.name}/${b.path}`);

function findingsOf(report: DriftReport): ExpectedFinding[] {
  return report.releases
    .flatMap((release) => release.resources)
    .flatMap((resource) =>
      resource.findings.map((finding) => asExpected(resource.kind, resource.name, finding)),
    )
    .sort(byPath);
}

function base64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

describe.skipIf(!cluster.available)("drift made with kubectl, reported by helm-drift", () => {
  it.for(DRIFT_SCENARIOS.map((scenario) => [scenario.name, scenario] as const))(
    "%s",
    async ([, scenario], { expect }) => {
      // A fresh install of the drift release is in sync (no-false-positives.test.ts checks it under Helm 3 and 4).
      const ns = await freshNamespaceTimed("dr");
      onTestFinished(() => uninstallRelease("helm", DRIFT_RELEASE.name, ns));
      await installDriftRelease(ns);
      await makeDrift(scenario, ns);

      // --fail-on info: every finding, even the autoscaler's replicas, makes the exit code 2.
      const json = await helmDriftTimed([
        "check",
        DRIFT_RELEASE.name,
        "-n",
        ns,
        "--fail-on",
        "info",
        "-o",
        "json",
      ]);
      expect(json.stderr).toBe("");
      const report = parseReport(json.stdout);
      const expected = [...scenario.expected].sort(byPath);
      expect(findingsOf(report)).toEqual(expected);
      const drifted = expected.length > 0;
      expect(json.code).toBe(drifted ? 2 : 0);

      expect(report.releases).toHaveLength(1);
      const release = report.releases[0];
      expect(release?.status).toBe(drifted ? "Drifted" : "InSync");
      const statuses = (release?.resources ?? []).map(
        (resource) => `${resource.kind}/${resource.name} ${resource.status}`,
      );
      const expectedStatuses = (release?.resources ?? []).map((resource) => {
        const id = `${resource.kind}/${resource.name}`;
        return `${id} ${scenario.statuses[id] ?? "InSync"}`;
      });
      expect(statuses).toEqual(expectedStatuses);
      expect(report.summary.findings).toBe(scenario.expected.length);

      // The text report too, where it has something of its own to show: that Secret values stay masked, and
      // that with the default --fail-on low, info findings alone (replicas owned by a scaler) exit 0.
      const onlyInfo = scenario.expected.every((finding) => finding.severity === "info");
      if (scenario.secretValues || onlyInfo) {
        const text = await helmDriftTimed(["check", DRIFT_RELEASE.name, "-n", ns, "-o", "text"]);
        expect(text.stderr).toBe("");
        expect(text.code).toBe(onlyInfo ? 0 : 2);
        for (const { path } of scenario.expected) expect(text.stdout).toContain(path);
        for (const value of scenario.secretValues ?? []) {
          for (const spelling of [value, base64(value)]) {
            expect(json.stdout).not.toContain(spelling);
            expect(text.stdout).not.toContain(spelling);
          }
        }
      }
    },
  );
});
