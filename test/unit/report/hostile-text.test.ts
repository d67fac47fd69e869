import { describe, expect, it } from "vitest";
import type { RemediationAction } from "../../../src/model/remediation.js";
import type { DriftReport } from "../../../src/model/report.js";
import { actionCommand } from "../../../src/report/action-command.js";
import { renderJson } from "../../../src/report/json-reporter.js";
import { terminalSafe } from "../../../src/report/terminal-safe.js";
import { renderText } from "../../../src/report/text-reporter.js";
import { HOSTILE, OWN_SGR, RAW_CONTROL as RAW } from "./hostile-text.js";
import { type SampleCase, sampleReports } from "./sample-reports.js";

/** Codes and enums the reporters switch on: they come from helm-drift, never from the cluster. */
const ENUM_KEYS = new Set([
  "apiVersion",
  "kind",
  "generatedAt",
  "status",
  "code",
  "type",
  "severity",
  "severityRule",
  "repair",
  "upgrade",
  "upgradeRule",
  "mechanism",
  "healsOnUpgrade",
  "strategy",
  "action",
  "op",
  "from",
  "rule",
]);

/** A copy of `value` with `payload` appended to every string that comes from the cluster or the files. */
function poison(value: unknown, payload: string, key = ""): unknown {
  if (typeof value === "string") return ENUM_KEYS.has(key) ? value : `${value}${payload}`;
  if (Array.isArray(value)) return value.map((item) => poison(item, payload, key));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v, payload, k)]));
  }
  return value;
}

/** The resource kinds, which the reporters do not switch on, poisoned too. */
function poisonKinds(report: DriftReport, payload: string): DriftReport {
  for (const release of report.releases) {
    for (const resource of release.resources) resource.kind = `${resource.kind}${payload}`;
  }
  return report;
}

function hostileReport(name: SampleCase, payload: string): DriftReport {
  return poisonKinds(poison(sampleReports[name], payload) as DriftReport, payload);
}

const cases = Object.keys(sampleReports) as SampleCase[];
const table = cases.flatMap((name) => HOSTILE.map(([what, payload]) => [name, what, payload] as const));

describe("hostile text in a report reaches the terminal only escaped", () => {
  it.each(table)(
    "%s report, %s: text output holds no raw control or bidi character",
    (name, _what, payload) => {
      const report = hostileReport(name, payload);
      for (const verbose of [false, true]) {
        const plain = renderText(report, { color: false, verbose });
        expect(plain.match(RAW)).toBeNull();
        expect(plain).toContain(terminalSafe(payload));
        // Colour on: helm-drift's own SGR sequences are the only escapes, and removing them leaves the plain text.
        const coloured = renderText(report, { color: true, verbose });
        expect(coloured.replace(OWN_SGR, "").match(RAW)).toBeNull();
        expect(coloured.replace(OWN_SGR, "")).toBe(plain);
      }
    },
  );

  it.each(table)("%s report, %s: JSON parses and keeps the exact value", (name, _what, payload) => {
    const report = hostileReport(name, payload);
    const parsed = JSON.parse(renderJson(report));
    const release = report.releases[0];
    expect(parsed.releases[0].name).toBe(release?.name);
    expect(parsed.releases[0].name.endsWith(payload)).toBe(true);
    expect(parsed.releases[0].resources.map((r: { name: string }) => r.name)).toEqual(
      release?.resources.map((r) => r.name),
    );
  });
});

/** The delete step of the incident's plan, with the given object name. */
function deleteStep(name: string): RemediationAction {
  const steps =
    sampleReports.incident.releases[0]?.resources.flatMap((r) => r.remediation?.steps ?? []) ?? [];
  const step = steps.find((s) => s.action === "delete");
  if (step?.action !== "delete") throw new Error("sample changed: the incident's plan has no delete step");
  return { ...step, target: { ...step.target, name } };
}

function jsonPatchStep(value: string): RemediationAction {
  const steps =
    sampleReports.incident.releases[0]?.resources.flatMap((r) => r.remediation?.alternatives ?? []) ?? [];
  const step = steps.flatMap((a) => a.steps).find((s) => s.action === "json-patch");
  if (step?.action !== "json-patch") throw new Error("sample changed: the incident has no json-patch step");
  return { ...step, operations: [{ op: "add", path: "/metadata/annotations/note", value }] };
}

describe("printed shell commands", () => {
  it.each(HOSTILE)("are not printed when a name holds %s, and the comment says why", (_what, payload) => {
    const command = actionCommand(deleteStep(`web${payload}`));
    expect(command).toMatch(
      /^# command not shown: it would contain \\(x[0-9a-f]{2}|u[0-9a-f]{4}), a control character /,
    );
    expect(command.match(RAW)).toBeNull();
  });

  it.each(HOSTILE)(
    "carry a JSON patch value holding %s as \\u escapes that mean exactly it",
    (_what, payload) => {
      const command = actionCommand(jsonPatchStep(`v${payload}`));
      expect(command.match(RAW)).toBeNull();
      const json = command.match(/ -p '(.*)'$/)?.[1]?.replaceAll(`'\\''`, "'");
      expect(JSON.parse(json ?? "null")).toEqual([
        { op: "add", path: "/metadata/annotations/note", value: `v${payload}` },
      ]);
    },
  );

  it("are printed as before for ordinary names and values", () => {
    expect(actionCommand(deleteStep("web"))).toBe(
      "kubectl delete autoscalingrunnerset.actions.github.com web -n arc-runners",
    );
    expect(actionCommand(jsonPatchStep("café"))).toContain(`"value":"café"`);
  });
});
