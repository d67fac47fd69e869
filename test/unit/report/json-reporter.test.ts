import { describe, expect, it } from "vitest";
import {
  explanationText,
  findingMessage,
  leftAloneText,
  remediationReasonText,
  resourceReasonText,
  stepDescription,
} from "../../../src/catalogue/messages.js";
import type { Finding } from "../../../src/model/finding.js";
import type { RemediationAction } from "../../../src/model/remediation.js";
import type { DriftReport, ReleaseReport, ResourceReport } from "../../../src/model/report.js";
import { actionCommand } from "../../../src/report/action-command.js";
import { renderJson } from "../../../src/report/json-reporter.js";
import { assertValidReport } from "../../helpers/report-schema.js";
import { type SampleCase, sampleReports } from "./sample-reports.js";

const cases = Object.keys(sampleReports) as SampleCase[];

/** A sample report as parsed JSON, changed by `edit` (which may break the contract on purpose). */
function brokenReport(name: SampleCase, edit: (report: DriftReport) => void): unknown {
  const report: DriftReport = JSON.parse(renderJson(sampleReports[name]));
  edit(report);
  return report;
}

function release(report: DriftReport): ReleaseReport {
  const first = report.releases[0];
  if (!first) throw new Error("sample changed: the report has no release");
  return first;
}

function resource(report: DriftReport, index: number): ResourceReport {
  const found = release(report).resources[index];
  if (!found) throw new Error(`sample changed: the first release has no resource ${index}`);
  return found;
}

/** A finding of the incident's drifted AutoscalingRunnerSet (resource 3): 0 is the broken reference, 1 a list-missing. */
function finding(report: DriftReport, index: number): Finding {
  const found = resource(report, 3).findings[index];
  if (!found) throw new Error(`sample changed: the runner set has no finding ${index}`);
  return found;
}

/** Step `index` of the incident's recreate plan (0: flux-suspend, 1: delete, 2: helm-upgrade, 3: verify). */
function step(report: DriftReport, index: number): RemediationAction {
  const found = resource(report, 3).remediation?.steps[index];
  if (!found) throw new Error(`sample changed: the runner set's plan has no step ${index}`);
  return found;
}

/** Step `index` of the incident's patch alternative (1: the json-patch). */
function alternativeStep(report: DriftReport, index: number): RemediationAction {
  const found = resource(report, 3).remediation?.alternatives[0]?.steps[index];
  if (!found) throw new Error(`sample changed: the runner set's alternative has no step ${index}`);
  return found;
}

/** Every resource of every sample report, with the same resource as rendered to JSON. */
const renderedResources = cases.flatMap((name) => {
  const parsed = JSON.parse(renderJson(sampleReports[name]));
  return sampleReports[name].releases.flatMap((rel, i) =>
    rel.resources.map((model, j) => ({ name, model, json: parsed.releases[i].resources[j] })),
  );
});

/** What the JSON must hold for a step: the action's own fields, its description and its command. */
/** A step as the JSON writes it: the action, with the words for it in the plan it belongs to. */
const stepDocument = (action: RemediationAction, _: number, steps: RemediationAction[]) => ({
  ...action,
  description: stepDescription(action, steps),
  command: actionCommand(action),
});

describe("renderJson", () => {
  it.each(cases)("renders the %s report as its golden file", async (name) => {
    const output = renderJson(sampleReports[name]);
    await expect(output).toMatchFileSnapshot(`./__golden__/${name}.json`);
  });

  it.each(cases)("renders the %s report so that it matches the schema", (name) => {
    expect(() => assertValidReport(JSON.parse(renderJson(sampleReports[name])))).not.toThrow();
  });

  it("indents with two spaces and ends with one newline", () => {
    const output = renderJson(sampleReports.clean);
    expect(output.startsWith('{\n  "apiVersion": "helm-drift/v3",\n')).toBe(true);
    expect(output.endsWith("}\n")).toBe(true);
    expect(output.endsWith("\n\n")).toBe(false);
  });

  it("writes desired and live as null when a finding has them undefined, without changing the report", () => {
    const report: DriftReport = structuredClone(sampleReports.incident);
    const finding = report.releases[0]?.resources[3]?.findings[1];
    if (!finding) throw new Error("sample changed: incident has no second finding");
    finding.live = undefined;
    const before = structuredClone(report);
    const parsed = JSON.parse(renderJson(report));
    expect(parsed.releases[0].resources[3].findings[1]).toHaveProperty("live", null);
    expect(parsed.releases[0].resources[3].findings[1].desired).toEqual(finding.desired);
    expect(report).toEqual(before);
    expect("live" in finding && finding.live === undefined).toBe(true);
    expect(() => assertValidReport(parsed)).not.toThrow();
  });

  it("keeps the masked secret values exactly as the report holds them", () => {
    const parsed = JSON.parse(renderJson(sampleReports["masked-secret"]));
    const finding = parsed.releases[0].resources[1].findings[0];
    expect([finding.desired, finding.live]).toEqual(["*** (rendered)", "*** (live)"]);
    expect(finding.message).toBe(
      'data["admin-password"] differs from the release (Secret values are not shown)',
    );
  });

  it("writes each finding's facts unchanged and its message as the catalogue words it for that resource", () => {
    const findings = renderedResources.flatMap(({ model, json }) =>
      model.findings.map((f, k) => ({ model: f, json: json.findings[k], resource: model })),
    );
    expect(findings.length).toBeGreaterThan(5);
    for (const { model, json, resource } of findings) {
      expect(json).toEqual({ ...model, message: findingMessage(model, resource) });
    }
    const parsed = JSON.parse(renderJson(sampleReports.incident));
    expect(parsed.releases[0].resources[3].findings[0].message).toBe(
      'container "runner" mounts volume "kubectl-bin" at /home/runner/kubectl-bin, but the pod has no volume named "kubectl-bin"',
    );
  });

  it("writes each explanation's code and arguments with its words beside them", () => {
    const explanations = renderedResources.flatMap(({ model, json }) =>
      model.explanations.map((e, k) => ({ model: e, json: json.explanations[k] })),
    );
    expect(new Set(explanations.map(({ model }) => model.code)).size).toBeGreaterThan(6);
    for (const { model, json } of explanations) {
      expect(json).toEqual({ ...model, message: explanationText(model) });
    }
  });

  it("writes a Missing or Unreadable resource's reason as its code, detail and words", () => {
    const web = JSON.parse(renderJson(sampleReports["missing-unreadable"])).releases[0].resources;
    expect(web[1].reason).toEqual({
      code: "not-found",
      message: "ConfigMap/web/web-settings does not exist in the cluster",
    });
    expect(web[3].reason).toEqual({
      code: "kind-not-served",
      detail: null,
      message: "kind ServiceMonitor (monitoring.coreos.com/v1) is not served by the cluster",
    });
    for (const { model, json } of renderedResources.filter(({ model }) => model.reason)) {
      if (!model.reason) continue;
      expect(json.reason).toEqual({ ...model.reason, message: resourceReasonText(model.reason, model) });
    }
  });

  it("writes each step's action fields and, beside them, its description and the command it renders to", () => {
    const plans = renderedResources.filter(({ model }) => model.remediation);
    expect(plans.length).toBeGreaterThan(2);
    for (const { model, json } of plans) {
      const plan = model.remediation;
      if (!plan) continue;
      expect(json.remediation.steps).toEqual(plan.steps.map(stepDocument));
      expect(json.remediation.alternatives).toEqual(
        plan.alternatives.map((alternative) => ({
          strategy: alternative.strategy,
          reason: { ...alternative.reason, message: remediationReasonText(alternative.reason) },
          steps: alternative.steps.map(stepDocument),
        })),
      );
      expect(json.remediation.reason).toEqual({
        ...plan.reason,
        message: remediationReasonText(plan.reason),
      });
    }
    const incident = JSON.parse(renderJson(sampleReports.incident)).releases[0].resources[3].remediation;
    expect(incident.steps[1]).toEqual({
      action: "delete",
      target: {
        apiVersion: "actions.github.com/v1alpha1",
        kind: "AutoscalingRunnerSet",
        namespace: "arc-runners",
        name: "arc-runner-set",
      },
      wait: true,
      customResource: true,
      description:
        "Delete AutoscalingRunnerSet/arc-runners/arc-runner-set. kubectl waits until its finalizers have run; its controller cleans up what it created from it, so the workload it manages restarts.",
      command: "kubectl delete autoscalingrunnerset.actions.github.com arc-runner-set -n arc-runners",
    });
    const patch = incident.alternatives[0].steps[1];
    expect(patch.operations.map((op: { op: string; path: string }) => `${op.op} ${op.path}`)).toEqual([
      "add /spec/template/spec/initContainers",
      "add /spec/template/spec/volumes",
      "add /spec/template/spec/serviceAccountName",
    ]);
    expect(patch.command).toBe(
      `kubectl patch autoscalingrunnerset.actions.github.com arc-runner-set -n arc-runners --type json -p '${JSON.stringify(patch.operations)}'`,
    );
  });

  it("writes the fields a plan leaves alone with the severity rule's reason", () => {
    const deployment = JSON.parse(renderJson(sampleReports.autoscaled)).releases[0].resources[1];
    expect(deployment.findings[1]).toMatchObject({ path: "spec.replicas", repair: "leave" });
    expect(deployment.remediation.leavesAlone).toEqual([
      {
        path: "spec.replicas",
        pointer: "/spec/replicas",
        rule: "replicas-owned-by-autoscaler",
        message: leftAloneText("replicas-owned-by-autoscaler"),
      },
    ]);
    expect(deployment.remediation.leavesAlone[0].message).toMatch(
      /^not reverted: an autoscaler targets the object and legitimately owns/,
    );
  });
});

describe("the report schema", () => {
  it.each<[string, (report: DriftReport) => void, string]>([
    ["a severity outside the enum", (r) => Object.assign(finding(r, 0), { severity: "severe" }), "/severity"],
    ["an Error release without error", (r) => Object.assign(release(r), { status: "Error" }), "error"],
    [
      "an error on a release that is not Error",
      (r) => Object.assign(release(r), { error: "boom" }),
      "/releases/0",
    ],
    ["a finding without its live key", (r) => Reflect.deleteProperty(finding(r, 1), "live"), "live"],
    ["an unknown finding code", (r) => Object.assign(finding(r, 0), { code: "mount-broken" }), "/code"],
    ["a code of another type", (r) => Object.assign(finding(r, 1), { type: "changed" }), "/type"],
    [
      "a finding without severityRule",
      (r) => Reflect.deleteProperty(finding(r, 1), "severityRule"),
      "severityRule",
    ],
    [
      "a finding without livePointer",
      (r) => Reflect.deleteProperty(finding(r, 1), "livePointer"),
      "livePointer",
    ],
    ["a finding without message", (r) => Reflect.deleteProperty(finding(r, 1), "message"), "message"],
    ["an unknown repair decision", (r) => Object.assign(finding(r, 1), { repair: "fix" }), "/repair"],
    [
      "a broken reference without its container",
      (r) => Reflect.deleteProperty(finding(r, 0), "container"),
      "container",
    ],
    [
      "a container on another code",
      (r) => Object.assign(finding(r, 1), { container: "runner" }),
      "/container",
    ],
    [
      "a summary without bySeverity.info",
      (r) => Reflect.deleteProperty(r.summary.bySeverity, "info"),
      "info",
    ],
    [
      "a generatedAt that is not a date-time",
      (r) => Object.assign(r, { generatedAt: "yesterday" }),
      "/generatedAt",
    ],
    ["the v1 apiVersion", (r) => Object.assign(r, { apiVersion: "helm-drift/v1" }), "/apiVersion"],
    ["an unknown resource status", (r) => Object.assign(resource(r, 0), { status: "Healthy" }), "/status"],
    ["a field not in the contract", (r) => Object.assign(resource(r, 0), { health: "ok" }), "health"],
    [
      "a resource without manifestLine",
      (r) => Reflect.deleteProperty(resource(r, 0), "manifestLine"),
      "manifestLine",
    ],
    ["a manifestLine of 0", (r) => Object.assign(resource(r, 0), { manifestLine: 0 }), "/manifestLine"],
    [
      "a reason on a Drifted resource",
      (r) => Object.assign(resource(r, 3), { reason: { code: "not-found", message: "gone" } }),
      "/reason",
    ],
    ["an owner without time", (r) => Reflect.deleteProperty(finding(r, 0).owner ?? {}, "time"), "time"],
    [
      "an explanation written as a bare sentence (v1)",
      (r) => Object.assign(resource(r, 3).explanations, ["Helm 3 does not re-send them."]),
      "/explanations/0",
    ],
    [
      "an explanation with an unknown code",
      (r) => Object.assign(resource(r, 3).explanations[0] ?? {}, { code: "pods-failing" }),
      "/explanations/0/code",
    ],
    [
      "an explanation without its arguments",
      (r) => Reflect.deleteProperty(resource(r, 3).explanations[0] ?? {}, "volume"),
      "volume",
    ],
    [
      "an explanation with an argument of another code",
      (r) => Object.assign(resource(r, 3).explanations[0] ?? {}, { paths: ["spec"] }),
      "unevaluated",
    ],
    [
      "an unknown upgrade mechanism",
      (r) => Object.assign(resource(r, 3).explanations[4] ?? {}, { mechanism: "merge" }),
      "/explanations/4/mechanism",
    ],
    [
      "a remediation reason written as a sentence (v1)",
      (r) => Object.assign(resource(r, 3).remediation ?? {}, { reason: "Deleting it restores it." }),
      "/remediation/reason",
    ],
    [
      "a remediation without leavesAlone",
      (r) => Reflect.deleteProperty(resource(r, 3).remediation ?? {}, "leavesAlone"),
      "leavesAlone",
    ],
    [
      "a step with an unknown action",
      (r) => Object.assign(step(r, 0), { action: "flux-reconcile" }),
      "/remediation/steps/0/action",
    ],
    ["a step without its command", (r) => Reflect.deleteProperty(step(r, 0), "command"), "command"],
    [
      "a step with a field of another action",
      (r) => Object.assign(step(r, 0), { target: (step(r, 1) as { target: unknown }).target }),
      "unevaluated",
    ],
    [
      "a helm-upgrade step without its version key",
      (r) => Reflect.deleteProperty(step(r, 2), "version"),
      "version",
    ],
    [
      "a step target with fields beyond the object reference",
      (r) => Object.assign((step(r, 1) as { target: object }).target, { source: "templates/ars.yaml" }),
      "/target",
    ],
    [
      "a patch operation outside RFC 6902's test, add, replace and remove",
      (r) =>
        Object.assign((alternativeStep(r, 1) as { operations: object[] }).operations[0] ?? {}, {
          op: "move",
        }),
      "/operations/0/op",
    ],
    [
      "an add operation without a value",
      (r) =>
        Reflect.deleteProperty(
          (alternativeStep(r, 1) as { operations: object[] }).operations[0] ?? {},
          "value",
        ),
      "value",
    ],
  ])("rejects %s", (_name, edit, mentioned) => {
    const report = brokenReport("incident", edit);
    expect(() => assertValidReport(report)).toThrow(mentioned);
  });

  it.each<[string, SampleCase, (report: DriftReport) => void, string]>([
    [
      "a Missing resource without its reason",
      "missing-unreadable",
      (r) => Reflect.deleteProperty(resource(r, 1), "reason"),
      "reason",
    ],
    [
      "a not-found reason with a detail",
      "missing-unreadable",
      (r) => Object.assign(resource(r, 1).reason ?? {}, { detail: "gone" }),
      "/reason/detail",
    ],
    [
      "a forbidden reason without the API server's words",
      "missing-unreadable",
      (r) => Object.assign(resource(r, 2).reason ?? {}, { detail: null }),
      "/reason/detail",
    ],
    [
      "a left-alone field without its rule",
      "autoscaled",
      (r) => Reflect.deleteProperty(resource(r, 1).remediation?.leavesAlone[0] ?? {}, "rule"),
      "rule",
    ],
  ])("rejects %s", (_name, name, edit, mentioned) => {
    const report = brokenReport(name, edit);
    expect(() => assertValidReport(report)).toThrow(mentioned);
  });

  it("accepts the optional extras absent and present", () => {
    const report = brokenReport("incident", (r) => {
      Object.assign(finding(r, 0).owner ?? {}, { subresource: "scale" });
      Object.assign(release(r), { flux: null });
      Reflect.deleteProperty(release(r), "chartName");
      Reflect.deleteProperty(release(r), "chartVersion");
      Reflect.deleteProperty(resource(r, 3), "diff");
    });
    expect(() => assertValidReport(report)).not.toThrow();
  });
});
