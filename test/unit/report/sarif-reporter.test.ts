import type { Log, Result } from "sarif";
import { describe, expect, it } from "vitest";
import { FINDING_CODES, findingCodeHelp, findingMessage } from "../../../src/catalogue/messages.js";
import { SEVERITIES } from "../../../src/model/finding.js";
import type { DriftReport } from "../../../src/model/report.js";
import { renderSarif } from "../../../src/report/sarif-reporter.js";
import { assertValidSarif } from "../../helpers/output-schemas.js";
import { HOSTILE, RAW_CONTROL } from "./hostile-text.js";
import { driftedSample, incidentFixtureReport, withNames } from "./output-cases.js";
import { type SampleCase, sampleReports } from "./sample-reports.js";

const cases = Object.keys(sampleReports) as SampleCase[];
const VERSION = "9.9.9-test";

function parsed(report: DriftReport, options: { version?: string } = { version: VERSION }): Log {
  const log = JSON.parse(renderSarif(report, options)) as Log;
  assertValidSarif(log);
  return log;
}

function results(log: Log): Result[] {
  return log.runs[0]?.results ?? [];
}

describe("renderSarif", () => {
  it.each(cases)("renders the %s report as its golden file", async (name) => {
    await expect(renderSarif(sampleReports[name], { version: VERSION })).toMatchFileSnapshot(
      `./__golden__/${name}.sarif.json`,
    );
  });

  it.each(cases)("the %s report is a valid SARIF 2.1.0 log with one result per finding", (name) => {
    const report = sampleReports[name];
    const log = parsed(report);
    const findings = report.releases.flatMap((r) => r.resources.flatMap((resource) => resource.findings));
    expect(log.version).toBe("2.1.0");
    expect(results(log)).toHaveLength(findings.length);
  });

  it("names helm-drift and its version as the driver, with one rule per finding code worded by the catalogue", () => {
    const driver = parsed(sampleReports.incident).runs[0]?.tool.driver;
    expect(driver?.name).toBe("helm-drift");
    expect(driver?.version).toBe(VERSION);
    expect(driver?.rules?.map((rule) => rule.id)).toEqual(FINDING_CODES);
    for (const rule of driver?.rules ?? []) {
      const help = findingCodeHelp(rule.id as (typeof FINDING_CODES)[number]);
      expect(rule.shortDescription?.text).toBe(help.title);
      expect(rule.fullDescription?.text).toBe(help.description);
      expect(rule.help?.text).toBe(help.help);
    }
    expect(parsed(sampleReports.incident, {}).runs[0]?.tool.driver.version).toBeUndefined();
  });

  it.each([
    ["critical", "error"],
    ["high", "error"],
    ["medium", "warning"],
    ["low", "note"],
    ["info", "note"],
  ] as const)("a %s finding is a result of level %s", (severity, level) => {
    const report = structuredClone(sampleReports.incident);
    const resource = {
      ...driftedSample(),
      findings: driftedSample().findings.map((f) => ({ ...f, severity })),
    };
    const release = report.releases[0];
    if (!release) throw new Error("sample changed");
    release.resources = [resource];
    expect(results(parsed(report)).map((result) => result.level)).toEqual(resource.findings.map(() => level));
    expect(SEVERITIES).toContain(severity);
  });

  it("a result points at the chart template and names the object, with the finding's facts in properties", async () => {
    const report = await incidentFixtureReport();
    const [first] = results(parsed(report));
    const resource = report.releases[0]?.resources.find((r) => r.status === "Drifted");
    const finding = resource?.findings[0];
    if (!resource || !finding) throw new Error("fixture changed: no drifted resource");
    expect(first?.ruleId).toBe("volume-mount-broken");
    expect(first?.ruleIndex).toBe(FINDING_CODES.indexOf("volume-mount-broken"));
    expect(first?.message.text).toBe(findingMessage(finding, resource));
    expect(first?.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: "gha-runner-scale-set/templates/autoscalingrunnerset.yaml" },
        },
        logicalLocations: [
          {
            name: "arc-runners",
            fullyQualifiedName: "AutoscalingRunnerSet/arc-runners/arc-runners",
            kind: "resource",
          },
        ],
      },
    ]);
    expect(first?.properties).toEqual({
      path: finding.path,
      pointer: finding.pointer,
      severity: "critical",
      status: "Drifted",
      release: "arc-runners/arc-runners",
      object: "AutoscalingRunnerSet/arc-runners/arc-runners",
      apiVersion: resource.apiVersion,
      manifestLine: resource.manifestLine,
    });
  });

  it("a release that could not be checked and an unreadable object are error notifications, not silence", () => {
    const errored = parsed(sampleReports["error-release"]).runs[0]?.invocations?.[0];
    const release = sampleReports["error-release"].releases.find((r) => r.status === "Error");
    expect(errored?.executionSuccessful).toBe(false);
    expect(errored?.toolExecutionNotifications?.map((n) => [n.level, n.message.text])).toEqual([
      ["error", `release ${release?.namespace}/${release?.name}: ${release?.error}`],
    ]);
    const unreadable = parsed(sampleReports["missing-unreadable"]).runs[0]?.invocations?.[0];
    expect(unreadable?.toolExecutionNotifications?.map((n) => n.message.text)).toEqual([
      expect.stringMatching(/^Secret\/web\/web-tls: secrets "web-tls" is forbidden/),
    ]);
    expect(parsed(sampleReports.incident).runs[0]?.invocations).toEqual([{ executionSuccessful: true }]);
  });

  it("a resource without a source template is located by its identity alone", () => {
    const report = structuredClone(sampleReports.incident);
    for (const resource of report.releases[0]?.resources ?? []) resource.source = null;
    const [first] = results(parsed(report));
    expect(first?.locations?.[0]?.physicalLocation).toBeUndefined();
    expect(first?.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName).toBe(
      "AutoscalingRunnerSet/arc-runners/arc-runner-set",
    );
  });

  it("the schema check itself rejects a log without runs and a location URI holding a space", () => {
    expect(() => assertValidSarif({ version: "2.1.0" })).toThrow(/must have required property 'runs'/);
    const log = parsed(sampleReports.incident);
    const location = log.runs[0]?.results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation;
    if (!location) throw new Error("sample changed: no physical location");
    location.uri = "a b.yaml";
    expect(() => assertValidSarif(log)).toThrow(/must match format "uri-reference"/);
  });

  const hostile = cases.flatMap((name) =>
    [...HOSTILE, ["spaces, % and # in a template path", " a%b#c?d "] as [string, string]].map(
      ([what, payload]) => [name, what, payload] as const,
    ),
  );
  it.each(hostile)(
    "%s report with names holding %s: valid SARIF, messages free of raw controls",
    (name, _what, payload) => {
      const report = withNames(sampleReports[name], payload);
      const log = parsed(report);
      for (const result of results(log)) {
        expect(result.message.text?.match(RAW_CONTROL) ?? null).toBeNull();
        expect(
          result.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName?.match(RAW_CONTROL) ?? null,
        ).toBeNull();
        // A template path is a relative URI: percent-encoded, and it decodes back to the exact path.
        const uri = result.locations?.[0]?.physicalLocation?.artifactLocation?.uri;
        if (uri !== undefined) expect(decodeURIComponent(uri).endsWith(payload)).toBe(true);
      }
    },
  );
});

describe("ignored findings in SARIF", () => {
  it("are results with an external suppression saying what ignored them, so code scanning never opens them", () => {
    const report = structuredClone(sampleReports.incident);
    const resource = report.releases[0]?.resources.find((r) => r.findings.length > 0);
    if (!resource) throw new Error("the incident sample has no findings");
    const [ignored, ...kept] = resource.findings;
    if (!ignored) throw new Error("no finding to ignore");
    resource.findings = kept;
    resource.ignoredFindings = [
      {
        finding: ignored,
        ignoredBy: {
          by: "path-rule",
          origin: { kind: "config", file: ".helm-drift.yaml" },
          index: 0,
          path: "/spec",
        },
      },
    ];
    const log = parsed(report);
    const suppressed = results(log).filter((result) => (result.suppressions ?? []).length > 0);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]).toMatchObject({
      ruleId: ignored.code,
      properties: { path: ignored.path },
      suppressions: [
        { kind: "external", justification: 'ignored by .helm-drift.yaml ignore[0] (path "/spec")' },
      ],
    });
    // The same results as without the rule: one of them is now suppressed.
    expect(results(log)).toHaveLength(results(parsed(sampleReports.incident)).length);
  });
});
