import { describe, expect, it } from "vitest";
import { EVENT_MESSAGE_LIMIT } from "../../../src/catalogue/event-text.js";
import type { DriftReport } from "../../../src/model/report.js";
import { driftChanges } from "../../../src/schedule/drift-changes.js";
import { type EventPlan, eventName, eventPlan } from "../../../src/schedule/event-plan.js";
import { findingRecords, unreadScopes } from "../../../src/schedule/finding-record.js";
import { emptyState, type StoredEvent, serializeState } from "../../../src/schedule/report-state.js";
import {
  ARS_KEY,
  arsInSync,
  arsUnreadable,
  clusterScopedReport,
  edited,
  findingAt,
  INIT,
  incidentReport,
  LIVE_TOKEN,
  MOUNT,
  RELEASE,
  RENDERED_TOKEN,
  releaseFailed,
  resourceOf,
  SA,
  secretDriftReport,
  VOLUMES,
} from "./incident-reports.js";

const T0 = new Date("2026-03-01T08:00:00.000Z");
const T1 = new Date("2026-03-01T09:00:00.000Z");
const T2 = new Date("2026-03-01T10:00:00.000Z");
const T3 = new Date("2026-03-01T11:00:00.000Z");
const POD = "helm-drift-report-29000000-abcde";
const ARS_UID = "6f1f0e4c-8a9b-4c1d-9e2f-3a4b5c6d7e8f";
/** A DNS subdomain (RFC 1123), as metadata.name of an Event must be. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const incident = await incidentReport();
const ARS_MESSAGE = `helm-drift: 4 findings (1 critical, 3 high) at ${MOUNT}, ${SA}, ${INIT}, ${VOLUMES} (release arc-runners/arc-runners)`;

function plan(report: DriftReport, previous: Record<string, StoredEvent>, now: Date): EventPlan {
  return eventPlan({
    report,
    previous,
    unread: unreadScopes(report),
    uids: new Map([[ARS_KEY, ARS_UID]]),
    now,
    reportingInstance: POD,
  });
}

/** What each write says, without its name (a digest). */
function written(result: EventPlan) {
  return result.writes.map(({ verb, event }) => ({
    verb,
    reason: event.reason,
    type: event.type,
    count: event.count,
    namespace: event.metadata.namespace,
    firstTimestamp: event.firstTimestamp,
    lastTimestamp: event.lastTimestamp,
    message: event.message,
  }));
}

describe("eventPlan: one Event per drifted object, updated from run to run", () => {
  const run1 = plan(incident, {}, T0);
  const run2 = plan(incident, run1.next, T1);
  const run3 = plan(arsInSync(incident), run2.next, T2);
  const run4 = plan(incident, run3.next, T3);

  it("first drift: a Warning DriftDetected Event on the object, count 1, every core/v1 field set", () => {
    expect(run1.writes).toHaveLength(1);
    const event = run1.writes[0]?.event;
    const name = event?.metadata.name ?? "";
    expect(event).toEqual({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace: "arc-runners" },
      involvedObject: {
        apiVersion: "actions.github.com/v1alpha1",
        kind: "AutoscalingRunnerSet",
        namespace: "arc-runners",
        name: "arc-runners",
        uid: ARS_UID,
      },
      reason: "DriftDetected",
      message: ARS_MESSAGE,
      type: "Warning",
      source: { component: "helm-drift", host: POD },
      firstTimestamp: T0.toISOString(),
      lastTimestamp: T0.toISOString(),
      count: 1,
      reportingComponent: "helm-drift",
      reportingInstance: POD,
      action: "Compare",
    });
    expect(name).toMatch(/^arc-runners\.[0-9a-f]{16}$/);
    expect(run1.writes[0]?.verb).toBe("create");
    expect(run1.next).toEqual({
      [ARS_KEY]: {
        name,
        namespace: "arc-runners",
        reason: "DriftDetected",
        count: 1,
        firstTimestamp: T0.toISOString(),
        release: RELEASE,
      },
    });
  });

  it("still drifted: the same Event bumped (count 2, lastTimestamp now), with the whole Event for when it expired", () => {
    const name = run1.writes[0]?.event.metadata.name;
    expect(run2.writes.map(({ verb, event, patch }) => [verb, event.metadata.name, patch])).toEqual([
      ["bump", name, { count: 2, lastTimestamp: T1.toISOString(), message: ARS_MESSAGE }],
    ]);
    expect(written(run2)).toEqual([
      {
        verb: "bump",
        reason: "DriftDetected",
        type: "Warning",
        count: 2,
        namespace: "arc-runners",
        firstTimestamp: T0.toISOString(),
        lastTimestamp: T1.toISOString(),
        message: ARS_MESSAGE,
      },
    ]);
    expect(run2.next[ARS_KEY]?.count).toBe(2);
  });

  it("repaired: a Normal DriftResolved Event, a new one (count 1)", () => {
    expect(written(run3)).toEqual([
      {
        verb: "create",
        reason: "DriftResolved",
        type: "Normal",
        count: 1,
        namespace: "arc-runners",
        firstTimestamp: T2.toISOString(),
        lastTimestamp: T2.toISOString(),
        message: "helm-drift: back in sync with release arc-runners/arc-runners",
      },
    ]);
    expect(run3.next[ARS_KEY]?.reason).toBe("DriftResolved");
    expect(run3.writes[0]?.event.metadata.name).not.toBe(run1.writes[0]?.event.metadata.name);
  });

  it("drifted again: a new DriftDetected Event under a new name, count 1", () => {
    expect(written(run4).map(({ verb, reason, count }) => [verb, reason, count])).toEqual([
      ["create", "DriftDetected", 1],
    ]);
    const names = [run1, run3, run4].map((result) => result.writes[0]?.event.metadata.name);
    expect(new Set(names).size).toBe(3);
  });

  it("in sync after a DriftResolved Event: nothing written, the entry dropped", () => {
    const quiet = plan(arsInSync(incident), run3.next, T3);
    expect(quiet).toEqual({ writes: [], next: {} });
  });

  it("the same input gives the same plan (names included)", () => {
    expect(plan(incident, run1.next, T1)).toEqual(run2);
  });
});

describe("objects not read, releases gone, findings ignored", () => {
  const detected = plan(incident, {}, T0).next;
  const cases: { name: string; report: DriftReport; next: Record<string, StoredEvent> }[] = [
    {
      name: "the object Unreadable: its Event entry kept, nothing written",
      report: arsUnreadable(incident),
      next: detected,
    },
    {
      name: "the release in Error: its Event entry kept, nothing written",
      report: releaseFailed(incident),
      next: detected,
    },
    {
      name: "the release uninstalled (gone from the report): the entry dropped without an Event",
      report: edited(incident, (copy) => {
        copy.releases = [];
      }),
      next: {},
    },
    {
      name: "the release no longer renders the object: the entry dropped without an Event",
      report: edited(incident, (copy) => {
        const release = copy.releases[0];
        if (release)
          release.resources = release.resources.filter(
            (resource) => resource.kind !== "AutoscalingRunnerSet",
          );
      }),
      next: {},
    },
  ];
  it.each(cases)("$name", ({ report, next }) => {
    expect(plan(report, detected, T1)).toEqual({ writes: [], next });
  });

  it("only ignored findings: not drifted, no Event", () => {
    const ignored = edited(incident, (copy) => {
      const ars = resourceOf(copy, "AutoscalingRunnerSet");
      ars.ignoredFindings = ars.findings.map((finding) => ({
        finding,
        ignoredBy: { by: "opt-out", on: "live", metadata: "annotations" } as const,
      }));
      ars.findings = [];
    });
    expect(plan(ignored, {}, T0)).toEqual({ writes: [], next: {} });
  });
});

describe("cluster-scoped objects", () => {
  it("a drifted ClusterRole: its Event in default, involvedObject without a namespace", async () => {
    const result = plan(await clusterScopedReport("arc-reader", ["get", "list", "delete"]), {}, T0);
    const role = result.writes.find((write) => write.object.kind === "ClusterRole");
    expect(role?.event.metadata.namespace).toBe("default");
    expect(role?.event.involvedObject).toEqual({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      name: "arc-reader",
    });
    expect(role?.event.message).toBe(
      "helm-drift: 1 finding (1 high) at rules (release arc-runners/arc-runners)",
    );
    expect(result.writes.map((write) => write.object.kind)).toEqual(["AutoscalingRunnerSet", "ClusterRole"]);
  });

  it("a missing ClusterRole: the missing wording, no uid", async () => {
    const result = plan(await clusterScopedReport("arc-reader", null), {}, T0);
    const role = result.writes.find((write) => write.object.kind === "ClusterRole");
    expect(role?.event.message).toBe(
      "helm-drift: the object is missing; release arc-runners/arc-runners rendered it",
    );
    expect(role?.event.involvedObject).toEqual({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      name: "arc-reader",
    });
    expect(role?.event.type).toBe("Warning");
  });

  it("a 250-character ClusterRole name: a valid Event name of at most 253 characters", async () => {
    const long = `arc-${"r".repeat(246)}`;
    const result = plan(await clusterScopedReport(long, ["get", "list", "delete"]), {}, T0);
    const name =
      result.writes.find((write) => write.object.kind === "ClusterRole")?.event.metadata.name ?? "";
    expect(name).toMatch(DNS_SUBDOMAIN);
    expect(name.length).toBe(253);
    expect(name.startsWith("arc-rrr")).toBe(true);
  });
});

describe("eventName: a valid DNS subdomain whatever the object's name", () => {
  const object = (name: string) => ({ apiVersion: "v1", kind: "ConfigMap", namespace: "shop", name });
  it.each([
    ["a plain name", "web-config", /^web-config\.[0-9a-f]{16}$/],
    ["250 characters", "a".repeat(250), /^a{236}\.[0-9a-f]{16}$/],
    [
      "colons and capitals (RBAC names)",
      "system:controller:Node_Lister",
      /^system-controller-node-lister\.[0-9a-f]{16}$/,
    ],
    ["dots, leading and trailing dashes", "-Web..Config-.v1-", /^web\.config\.v1\.[0-9a-f]{16}$/],
    ["nothing usable", ":::", /^object\.[0-9a-f]{16}$/],
    ["cut where a dash would end it", `${"a".repeat(235)}-b`, /^a{235}\.[0-9a-f]{16}$/],
  ])("%s", (_name, name, expected) => {
    const text = eventName(object(name), "DriftDetected", T0.toISOString());
    expect(text).toMatch(expected);
    expect(text).toMatch(DNS_SUBDOMAIN);
    expect(text.length <= 253).toBe(true);
  });

  it("the reason and the first timestamp make another name", () => {
    const names = [
      eventName(object("web"), "DriftDetected", T0.toISOString()),
      eventName(object("web"), "DriftResolved", T0.toISOString()),
      eventName(object("web"), "DriftDetected", T1.toISOString()),
    ];
    expect(new Set(names).size).toBe(3);
  });
});

describe("Event messages: paths and counts, never a value", () => {
  it("more than five paths: five, then 'and K more'; long paths cut to fit 1024 bytes", () => {
    const many = edited(incident, (copy) => {
      const ars = resourceOf(copy, "AutoscalingRunnerSet");
      const template = ars.findings[1];
      if (!template) throw new Error("no finding");
      ars.findings = Array.from({ length: 8 }, (_, index) => ({
        ...template,
        path: `metadata.annotations["${String(index)}${"é".repeat(600)}"]`,
      }));
    });
    const message = String(plan(many, {}, T0).writes[0]?.event.message);
    expect(Buffer.byteLength(message, "utf8") <= EVENT_MESSAGE_LIMIT).toBe(true);
    expect(message.startsWith('helm-drift: 8 findings (8 high) at metadata.annotations["0éé')).toBe(true);
    expect(message.endsWith(" and 3 more (release arc-runners/arc-runners)")).toBe(true);
    expect(message.split(", ").length).toBe(5);
  });

  it("a Secret's tokens and the rendered serviceAccountName appear in no Event, record or state", async () => {
    const report = await secretDriftReport();
    const desiredSa = findingAt(report, "AutoscalingRunnerSet", SA).desired;
    expect(desiredSa).toBe("arc-runners-kubectl");
    const result = plan(report, {}, T0);
    const secretEvent = result.writes.find((write) => write.object.kind === "Secret")?.event;
    expect(secretEvent?.message).toBe(
      "helm-drift: 1 finding (1 medium) at data.github_token (release arc-runners/arc-runners)",
    );
    const state = serializeState({
      ...emptyState(),
      findings: driftChanges(null, findingRecords(report), unreadScopes(report), T0, 0).delivered,
      events: result.next,
    });
    const everything = [JSON.stringify(result.writes), state, JSON.stringify(findingRecords(report))].join(
      "\n",
    );
    for (const value of [
      RENDERED_TOKEN,
      LIVE_TOKEN,
      Buffer.from(RENDERED_TOKEN, "base64").toString(),
      Buffer.from(LIVE_TOKEN, "base64").toString(),
      "*** (masked)",
      "arc-runners-kubectl",
      'kubectl-bin"',
    ]) {
      expect([value, everything.includes(value)]).toEqual([value, false]);
    }
  });
});
