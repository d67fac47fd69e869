import { describe, expect, it } from "vitest";
import type { DriftReport } from "../../../src/model/report.js";
import {
  type ChangesResult,
  type DriftChanges,
  driftChanges,
  notificationDue,
} from "../../../src/schedule/drift-changes.js";
import { findingRecords, unreadScopes } from "../../../src/schedule/finding-record.js";
import { emptyState, type ReportState, type StoredFinding } from "../../../src/schedule/report-state.js";
import {
  arsInSync,
  arsUnreadable,
  clusterScopedReport,
  INIT,
  incidentReport,
  MOUNT,
  releaseFailed,
  repairedAt,
  SA,
  secretDriftReport,
  VOLUMES,
} from "./incident-reports.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = new Date("2026-03-01T08:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

const incident = await incidentReport();
const withClusterRole = await clusterScopedReport("arc-reader", ["get", "list", "delete"]);
const clusterRoleChanged = await clusterScopedReport("arc-reader", ["get", "list", "escalate"]);
const withSecret = await secretDriftReport();

/** One run over `report` at `now`, against `previous`. */
function run(
  report: DriftReport,
  previous: ReportState | null,
  now: Date,
  renotifyAfterMs = DAY,
): ChangesResult {
  return driftChanges(previous, findingRecords(report), unreadScopes(report), now, renotifyAfterMs);
}

/** The state saved after a run whose notification was delivered. */
function saved(result: ChangesResult): ReportState {
  return { ...emptyState(), findings: result.delivered };
}

/** The changes as paths, the way a reader checks them. */
function summary(changes: DriftChanges) {
  return {
    firstRun: changes.firstRun,
    new: changes.new.map((record) => record.path),
    resolved: changes.resolved.map((finding) => finding.path),
    reminded: changes.reminded.map((record) => record.path),
    standing: changes.standing,
  };
}

/** The incident in the report's order of severity: the critical mount, then the high findings by path. */
const ALL = [MOUNT, INIT, SA, VOLUMES];

describe("driftChanges: what is new, resolved and repeated", () => {
  it("first run (no state): everything is new; delivered remembers it, notified now", () => {
    const result = run(incident, null, T0);
    expect(summary(result.changes)).toEqual({
      firstRun: true,
      new: ALL,
      resolved: [],
      reminded: [],
      standing: 0,
    });
    expect(
      Object.values(result.delivered).map((finding) => [finding.path, finding.firstSeen, finding.notifiedAt]),
    ).toEqual([MOUNT, SA, INIT, VOLUMES].map((path) => [path, T0.toISOString(), T0.toISOString()]));
    expect(Object.keys(result.delivered)).toEqual(
      findingRecords(incident).map((record) => record.fingerprint),
    );
    expect(result.undelivered).toEqual({});
  });

  it("an empty state is not a first run, but everything in it is new", () => {
    expect(summary(run(incident, emptyState(), T0).changes)).toEqual({
      firstRun: false,
      new: ALL,
      resolved: [],
      reminded: [],
      standing: 0,
    });
  });

  const first = saved(run(incident, null, T0));
  const cases: {
    name: string;
    previous: ReportState;
    report: DriftReport;
    after: number;
    renotifyAfterMs?: number;
    expected: Omit<ReturnType<typeof summary>, "firstRun">;
  }[] = [
    {
      name: "nothing changed an hour later: all standing, nothing to tell",
      previous: first,
      report: incident,
      after: HOUR,
      expected: { new: [], resolved: [], reminded: [], standing: 4 },
    },
    {
      name: "serviceAccountName repaired: resolved, the rest standing",
      previous: first,
      report: repairedAt(incident, SA),
      after: HOUR,
      expected: { new: [], resolved: [SA], reminded: [], standing: 3 },
    },
    {
      name: "the object repaired whole: all four resolved, most severe first",
      previous: first,
      report: arsInSync(incident),
      after: HOUR,
      expected: { new: [], resolved: ALL, reminded: [], standing: 0 },
    },
    {
      name: "a new drift (the Secret's token changed live): new",
      previous: first,
      report: withSecret,
      after: HOUR,
      expected: { new: ["data.github_token"], resolved: [], reminded: [], standing: 4 },
    },
    {
      name: "a live value changed: a new fingerprint, so new and resolved",
      previous: saved(run(withClusterRole, null, T0)),
      report: clusterRoleChanged,
      after: HOUR,
      expected: { new: ["rules"], resolved: ["rules"], reminded: [], standing: 4 },
    },
    {
      name: "the release could not be read (Error): nothing resolved",
      previous: first,
      report: releaseFailed(incident),
      after: HOUR,
      expected: { new: [], resolved: [], reminded: [], standing: 0 },
    },
    {
      name: "the object could not be read (Unreadable): nothing resolved",
      previous: first,
      report: arsUnreadable(incident),
      after: HOUR,
      expected: { new: [], resolved: [], reminded: [], standing: 0 },
    },
    {
      name: "exactly the renotify interval later: all reminded",
      previous: first,
      report: incident,
      after: DAY,
      expected: { new: [], resolved: [], reminded: ALL, standing: 0 },
    },
    {
      name: "1 ms short of the renotify interval: none reminded",
      previous: first,
      report: incident,
      after: DAY - 1,
      expected: { new: [], resolved: [], reminded: [], standing: 4 },
    },
    {
      name: "renotify 0 (--renotify-after 0): never repeated, even 30 days later",
      previous: first,
      report: incident,
      after: 30 * DAY,
      renotifyAfterMs: 0,
      expected: { new: [], resolved: [], reminded: [], standing: 4 },
    },
    {
      name: "renotify Infinity: never repeated",
      previous: first,
      report: incident,
      after: 30 * DAY,
      renotifyAfterMs: Number.POSITIVE_INFINITY,
      expected: { new: [], resolved: [], reminded: [], standing: 4 },
    },
  ];
  it.each(cases)("$name", ({ previous, report, after, renotifyAfterMs, expected }) => {
    const { changes } = run(report, previous, at(after), renotifyAfterMs);
    expect(summary(changes)).toEqual({ firstRun: false, ...expected });
    expect(notificationDue(changes)).toBe(
      expected.new.length + expected.resolved.length + expected.reminded.length > 0,
    );
  });

  it("not read is not repaired: the earlier findings are carried over unchanged into both sections", () => {
    for (const report of [releaseFailed(incident), arsUnreadable(incident)]) {
      const result = run(report, first, at(HOUR));
      expect(result.delivered).toEqual(first.findings);
      expect(result.undelivered).toEqual(first.findings);
    }
  });

  it("delivered keeps firstSeen; standing findings keep notifiedAt, reminded and new ones get now", () => {
    const reminded = run(incident, first, at(DAY)).delivered;
    expect(Object.values(reminded).map((finding) => [finding.firstSeen, finding.notifiedAt])).toEqual(
      Array(4).fill([T0.toISOString(), at(DAY).toISOString()]),
    );
    const later = run(withSecret, saved(run(incident, first, at(DAY))), at(DAY + HOUR)).delivered;
    expect(
      Object.values(later).map((finding) => [finding.path, finding.firstSeen, finding.notifiedAt]),
    ).toEqual([
      ["data.github_token", at(DAY + HOUR).toISOString(), at(DAY + HOUR).toISOString()],
      ...[MOUNT, SA, INIT, VOLUMES].map((path) => [path, T0.toISOString(), at(DAY).toISOString()]),
    ]);
  });

  it("a finding never delivered is new while it stands, and drops silently once gone", () => {
    const undelivered: ReportState = {
      ...first,
      findings: Object.fromEntries(
        Object.entries(first.findings).map(([fingerprint, finding]): [string, StoredFinding] => [
          fingerprint,
          finding.path === SA || finding.path === INIT ? { ...finding, notifiedAt: null } : finding,
        ]),
      ),
    };
    const { changes, delivered } = run(repairedAt(incident, SA), undelivered, at(HOUR));
    expect(summary(changes)).toEqual({
      firstRun: false,
      new: [INIT],
      resolved: [],
      reminded: [],
      standing: 2,
    });
    expect(Object.values(delivered).map((finding) => finding.path)).toEqual([MOUNT, INIT, VOLUMES]);
  });

  it("a failed notification does not advance the state: the next run tells the same changes again", () => {
    const repaired = repairedAt(withSecret, SA);
    const failed = run(repaired, first, at(HOUR));
    expect(summary(failed.changes)).toEqual({
      firstRun: false,
      new: ["data.github_token"],
      resolved: [SA],
      reminded: [],
      standing: 3,
    });
    expect(failed.undelivered).toEqual(first.findings);
    const retried = run(repaired, { ...first, findings: failed.undelivered }, at(2 * HOUR));
    expect(summary(retried.changes)).toEqual(summary(failed.changes));
    const afterDelivery = run(repaired, saved(retried), at(3 * HOUR));
    expect(summary(afterDelivery.changes)).toEqual({
      firstRun: false,
      new: [],
      resolved: [],
      reminded: [],
      standing: 4,
    });
  });

  it("orders by severity (most severe first), then release, object and path", () => {
    const { changes } = run(withSecret, null, T0);
    expect(changes.new.map((record) => [record.severity, record.object.kind, record.path])).toEqual([
      ["critical", "AutoscalingRunnerSet", MOUNT],
      ["high", "AutoscalingRunnerSet", INIT],
      ["high", "AutoscalingRunnerSet", SA],
      ["high", "AutoscalingRunnerSet", VOLUMES],
      ["medium", "Secret", "data.github_token"],
    ]);
    const both = run(clusterRoleChanged, saved(run(withSecret, null, T0)), at(HOUR)).changes;
    expect(both.resolved.map((finding) => [finding.severity, finding.object.kind, finding.path])).toEqual([
      ["medium", "Secret", "data.github_token"],
    ]);
    expect(both.new.map((record) => [record.severity, record.object.kind, record.path])).toEqual([
      ["high", "ClusterRole", "rules"],
    ]);
  });
});

describe("notificationDue", () => {
  const record = findingRecords(incident)[0];
  const [fingerprint, earlier] = Object.entries(saved(run(incident, null, T0)).findings)[0] ?? [];
  const stored = { fingerprint: fingerprint as string, ...(earlier as StoredFinding) };
  if (!record || !stored) throw new Error("the incident has no finding");
  const none: DriftChanges = { firstRun: false, new: [], resolved: [], reminded: [], standing: 4 };
  it.each([
    ["nothing but standing findings", none, false],
    ["a first run with nothing found", { ...none, firstRun: true, standing: 0 }, false],
    ["something new", { ...none, new: [record] }, true],
    ["something resolved", { ...none, resolved: [stored] }, true],
    ["something reminded", { ...none, reminded: [record] }, true],
  ])("%s: %s", (_name, changes, due) => {
    expect(notificationDue(changes)).toBe(due);
  });
});
