import { describe, expect, it } from "vitest";
import { driftChanges } from "../../../src/schedule/drift-changes.js";
import { eventPlan } from "../../../src/schedule/event-plan.js";
import { findingRecords, unreadScopes } from "../../../src/schedule/finding-record.js";
import {
  emptyState,
  parseState,
  type ReportState,
  serializeState,
} from "../../../src/schedule/report-state.js";
import { ARS_KEY, incidentReport } from "./incident-reports.js";

const T0 = new Date("2026-03-01T08:00:00.000Z");
const incident = await incidentReport();
const records = findingRecords(incident);
const unread = unreadScopes(incident);

/** The state the first run over the incident saves: four findings and the AutoscalingRunnerSet's Event. */
const firstRunState: ReportState = {
  ...emptyState(),
  findings: driftChanges(null, records, unread, T0, 86_400_000).delivered,
  events: eventPlan({
    report: incident,
    previous: {},
    unread,
    uids: new Map(),
    now: T0,
    reportingInstance: "helm-drift-report-29000000-abcde",
  }).next,
  runs: { lastSuccess: T0.toISOString(), failed: 0 },
};
const FP = Object.keys(firstRunState.findings)[0] ?? "";

describe("serializeState / parseState", () => {
  it("an empty state: version 1, nothing remembered, no run yet", () => {
    expect(serializeState(emptyState())).toBe(
      '{"events":{},"findings":{},"runs":{"failed":0,"lastSuccess":null},"version":1}',
    );
  });

  it("a real state round-trips unchanged", () => {
    expect(Object.keys(firstRunState.findings)).toHaveLength(4);
    expect(Object.keys(firstRunState.events)).toEqual([ARS_KEY]);
    expect(parseState(serializeState(firstRunState))).toEqual({ state: firstRunState });
  });

  it("the same state built in another key order gives the same compact text", () => {
    const reordered: ReportState = {
      runs: { failed: 0, lastSuccess: T0.toISOString() },
      events: firstRunState.events,
      findings: Object.fromEntries(Object.entries(firstRunState.findings).reverse()),
      version: 1,
    };
    const text = serializeState(reordered);
    expect(text).toBe(serializeState(firstRunState));
    expect(text.includes("\n")).toBe(false);
    expect(text.startsWith('{"events":{"actions.github.com/v1alpha1/AutoscalingRunnerSet/')).toBe(true);
  });

  it.each([
    ["absent", undefined],
    ["empty", ""],
    ["only white space", " \n\t"],
  ])("no text (%s): no state yet", (_name, text) => {
    expect(parseState(text)).toEqual({ state: null, reason: "no state yet" });
  });
});

describe("a corrupt state is a first run with a reason, never a crash", () => {
  const text = serializeState(firstRunState);
  /** The first run's state as text, with the member at `path` set to `value` (undefined: removed). */
  const changed = (path: readonly string[], value: unknown): string => {
    const state: Record<string, unknown> = JSON.parse(text);
    let parent = state;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
    const last = path.at(-1) ?? "";
    if (value === undefined) delete parent[last];
    else parent[last] = value;
    return JSON.stringify(state);
  };
  const finding = (field: string) => ["findings", FP, ...field.split(".")];
  const event = (field: string) => ["events", ARS_KEY, field];
  const cases: { name: string; text: string; reason: string }[] = [
    { name: "cut short", text: text.slice(0, text.length / 2), reason: "not JSON" },
    { name: "not JSON at all", text: "state: yes", reason: "not JSON" },
    { name: "JSON null", text: "null", reason: "the state is not an object" },
    { name: "a list", text: "[1]", reason: "the state is not an object" },
    { name: "another version", text: changed(["version"], 7), reason: "version 7 is not 1" },
    { name: "version as text", text: changed(["version"], "1"), reason: 'version "1" is not 1' },
    { name: "no version", text: changed(["version"], undefined), reason: "version is missing" },
    { name: "no findings", text: changed(["findings"], undefined), reason: "findings is missing" },
    { name: "findings a list", text: changed(["findings"], []), reason: "findings is not an object" },
    {
      name: "a finding's path a number",
      text: changed(finding("path"), 3),
      reason: `findings.${FP}.path is not a string`,
    },
    {
      name: "a finding's code missing",
      text: changed(finding("code"), undefined),
      reason: `findings.${FP}.code is missing`,
    },
    {
      name: "an unknown severity",
      text: changed(finding("severity"), "urgent"),
      reason: `findings.${FP}.severity "urgent" is not one of critical, high, medium, low, info`,
    },
    {
      name: "notifiedAt not a time",
      text: changed(finding("notifiedAt"), "yesterday"),
      reason: `findings.${FP}.notifiedAt "yesterday" is not a time`,
    },
    {
      name: "an object namespace a number",
      text: changed(finding("object.namespace"), 5),
      reason: `findings.${FP}.object.namespace is not a string`,
    },
    {
      name: "a release name missing",
      text: changed(finding("release.name"), undefined),
      reason: `findings.${FP}.release.name is missing`,
    },
    {
      name: "an Event count of 0",
      text: changed(event("count"), 0),
      reason: `events.${ARS_KEY}.count is not a whole number of at least 1`,
    },
    {
      name: "an Event count of 1.5",
      text: changed(event("count"), 1.5),
      reason: `events.${ARS_KEY}.count is not a whole number of at least 1`,
    },
    {
      name: "an unknown Event reason",
      text: changed(event("reason"), "Drifted"),
      reason: `events.${ARS_KEY}.reason "Drifted" is not one of DriftDetected, DriftResolved`,
    },
    {
      name: "an Event release that is text",
      text: changed(event("release"), "arc-runners/arc-runners"),
      reason: `events.${ARS_KEY}.release is not an object`,
    },
    { name: "no runs", text: changed(["runs"], undefined), reason: "runs is missing" },
    {
      name: "a negative failed-runs count",
      text: changed(["runs", "failed"], -1),
      reason: "runs.failed is not a whole number of at least 0",
    },
    {
      name: "a key with a line break: quoted, on one line",
      text: changed(["findings", "a\nb"], { path: "x" }),
      reason: 'findings."a\\nb".release is missing',
    },
  ];

  it.each(cases)("$name: $reason", ({ text: stored, reason }) => {
    expect(parseState(stored)).toEqual({ state: null, reason });
    expect(reason.includes("\n")).toBe(false);
  });

  it("every corrupt state gives a first run that reports the four findings as new", () => {
    for (const { text: stored } of cases) {
      const parsed = parseState(stored);
      const { changes } = driftChanges(parsed.state, records, unread, T0, 86_400_000);
      expect([changes.firstRun, changes.new.length, changes.resolved.length]).toEqual([true, 4, 0]);
    }
  });

  it("fields helm-drift does not read are dropped, not kept", () => {
    const parsed = parseState(changed(["extra"], { secret: "x" }));
    expect(parsed.state).toEqual(firstRunState);
  });
});
