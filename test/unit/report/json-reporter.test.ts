import { describe, expect, it } from "vitest";
import type { Finding } from "../../../src/model/finding.js";
import type { DriftReport, ReleaseReport, ResourceReport } from "../../../src/model/report.js";
import { renderJson } from "../../../src/report/json-reporter.js";
import { assertValidReport } from "../../helpers/report-schema.js";
import { type SampleCase, sampleReports } from "./sample-reports.js";

const cases = Object.keys(sampleReports) as SampleCase[];

/** The incident report as parsed JSON, changed by `edit` (which may break the contract on purpose). */
function brokenIncident(edit: (report: DriftReport) => void): unknown {
  const report: DriftReport = JSON.parse(renderJson(sampleReports.incident));
  edit(report);
  return report;
}

function release(report: DriftReport): ReleaseReport {
  const first = report.releases[0];
  if (!first) throw new Error("sample changed: the incident report has no release");
  return first;
}

function resource(report: DriftReport, index: number): ResourceReport {
  const found = release(report).resources[index];
  if (!found) throw new Error(`sample changed: the incident release has no resource ${index}`);
  return found;
}

/** A finding of the drifted AutoscalingRunnerSet (resource 3): 0 is the broken reference, 1 a list-missing. */
function finding(report: DriftReport, index: number): Finding {
  const found = resource(report, 3).findings[index];
  if (!found) throw new Error(`sample changed: the runner set has no finding ${index}`);
  return found;
}

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
    expect(output.startsWith('{\n  "apiVersion": "helm-drift/v1",\n')).toBe(true);
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
      "a summary without bySeverity.info",
      (r) => Reflect.deleteProperty(r.summary.bySeverity, "info"),
      "info",
    ],
    [
      "a generatedAt that is not a date-time",
      (r) => Object.assign(r, { generatedAt: "yesterday" }),
      "/generatedAt",
    ],
    ["an unknown resource status", (r) => Object.assign(resource(r, 0), { status: "Healthy" }), "/status"],
    ["a field not in the contract", (r) => Object.assign(resource(r, 0), { health: "ok" }), "health"],
    ["an owner without time", (r) => Reflect.deleteProperty(finding(r, 0).owner ?? {}, "time"), "time"],
  ])("rejects %s", (_name, edit, mentioned) => {
    const report = brokenIncident(edit);
    expect(() => assertValidReport(report)).toThrow(mentioned);
  });

  it("accepts the optional extras the model may add", () => {
    const report = brokenIncident((r) => {
      Object.assign(resource(r, 3), { reason: "drifted by hand" });
      Object.assign(finding(r, 0).owner ?? {}, { subresource: "scale" });
      Object.assign(release(r), { flux: null });
    });
    expect(() => assertValidReport(report)).not.toThrow();
  });
});
