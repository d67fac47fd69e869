import { describe, expect, it } from "vitest";
import { exitCodeFor } from "../../../src/core/exit-code.js";
import type { Finding, Severity } from "../../../src/model/finding.js";
import type { DriftReport, ReleaseReport, ResourceReport } from "../../../src/model/report.js";

const finding = (severity: Severity): Finding => ({
  code: "value-changed",
  type: "changed",
  path: "spec.replicas",
  pointer: "/spec/replicas",
  livePointer: "/spec/replicas",
  severity,
  severityRule: "default",
  desired: 1,
  live: 2,
  owner: null,
  repair: "revert",
  upgrade: "restores",
  upgradeRule: "three-way-merge-resends",
});
const resource = (status: ResourceReport["status"], findings: Finding[] = []): ResourceReport => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  namespace: "ns",
  name: "x",
  source: null,
  manifestLine: null,
  status,
  findings,
  explanations: [],
  healsOnUpgrade: null,
  remediation: null,
});
const release = (status: ReleaseReport["status"], resources: ResourceReport[]): ReleaseReport => ({
  name: "r",
  namespace: "ns",
  revision: 1,
  chart: null,
  status,
  resources,
  ...(status === "Error" ? { error: "boom" } : {}),
});
const report = (...releases: ReleaseReport[]): DriftReport => ({
  apiVersion: "helm-drift/v3",
  kind: "DriftReport",
  generatedAt: "2026-01-01T00:00:00.000Z",
  summary: {
    releases: 0,
    resources: 0,
    drifted: 0,
    missing: 0,
    findings: 0,
    bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    ignored: 0,
  },
  releases,
});

describe("exitCodeFor", () => {
  it.each<[string, DriftReport, Severity, number]>([
    ["nothing drifted is 0", report(release("InSync", [resource("InSync")])), "low", 0],
    [
      "a low finding with --fail-on low is 2",
      report(release("Drifted", [resource("Drifted", [finding("low")])])),
      "low",
      2,
    ],
    [
      "a low finding with --fail-on high is 0",
      report(release("Drifted", [resource("Drifted", [finding("low")])])),
      "high",
      0,
    ],
    [
      "an info finding (HPA-owned replicas) with the default low is 0",
      report(release("Drifted", [resource("Drifted", [finding("info")])])),
      "low",
      0,
    ],
    [
      "an info finding with --fail-on info is 2",
      report(release("Drifted", [resource("Drifted", [finding("info")])])),
      "info",
      2,
    ],
    [
      "a critical finding with --fail-on critical is 2",
      report(release("Drifted", [resource("Drifted", [finding("critical")])])),
      "critical",
      2,
    ],
    [
      "an Error release beats drift: 1",
      report(release("Drifted", [resource("Drifted", [finding("critical")])]), release("Error", [])),
      "low",
      1,
    ],
    [
      "an Unreadable object makes the check incomplete: 1",
      report(release("InSync", [resource("Unreadable"), resource("InSync")])),
      "low",
      1,
    ],
    ["no releases at all is 0", report(), "low", 0],
  ])("%s", (_name, input, failOn, expected) => {
    expect(exitCodeFor(input, failOn)).toBe(expected);
  });
});
