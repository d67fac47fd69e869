import { describe, expect, it } from "vitest";
import { HelmDriftError } from "../../../src/errors.js";
import type { DriftReport } from "../../../src/model/report.js";
import type { EventWrite } from "../../../src/schedule/event-plan.js";
import type { ReportState } from "../../../src/schedule/report-state.js";
import {
  deliverFailedRun,
  deliverReport,
  type ScheduledRunOptions,
  type ScheduledRunSinks,
} from "../../../src/schedule/scheduled-run.js";
import type {
  DeliveryResult,
  EventSink,
  EventWriteResult,
  LoadedState,
  MetricsSink,
  Notifier,
  StateStore,
} from "../../../src/schedule/sinks.js";
import { arsInSync, incidentReport } from "./incident-reports.js";

/** A state ConfigMap in memory: what was saved, and a load that fails when asked to. */
class MemoryStore implements StateStore {
  readonly where = "helm-drift/helm-drift-state";
  saved: ReportState | null = null;
  failLoad = false;
  failSave = false;
  async load(): Promise<LoadedState> {
    if (this.failLoad)
      throw new HelmDriftError("cannot read ConfigMap helm-drift/helm-drift-state: HTTP 403");
    return this.saved === null
      ? { state: null, firstRunReason: "no state ConfigMap yet", resourceVersion: null }
      : { state: structuredClone(this.saved), firstRunReason: null, resourceVersion: "1" };
  }
  async save(state: ReportState): Promise<void> {
    if (this.failSave)
      throw new HelmDriftError("cannot write ConfigMap helm-drift/helm-drift-state: HTTP 409");
    this.saved = structuredClone(state);
  }
}

class RecordingNotifier implements Notifier {
  readonly description = "webhook at https://hooks.example.test";
  readonly sent: unknown[] = [];
  failing = false;
  async send(payload: unknown): Promise<DeliveryResult> {
    if (this.failing) return { ok: false, attempts: 5, reason: "HTTP 500" };
    this.sent.push(payload);
    return { ok: true, attempts: 1 };
  }
}

class RecordingEvents implements EventSink {
  readonly writes: EventWrite[] = [];
  async write(writes: readonly EventWrite[]): Promise<EventWriteResult> {
    this.writes.push(...writes);
    return {
      created: writes.filter((w) => w.verb === "create").length,
      updated: writes.filter((w) => w.verb === "bump").length,
      failed: [],
    };
  }
}

class RecordingMetrics implements MetricsSink {
  readonly description = "Pushgateway at http://pushgateway:9091";
  readonly written: { text: string; mode: string }[] = [];
  async write(text: string, mode: "replace" | "merge"): Promise<void> {
    this.written.push({ text, mode });
  }
}

function setup() {
  const store = new MemoryStore();
  const notifier = new RecordingNotifier();
  const events = new RecordingEvents();
  const metrics = new RecordingMetrics();
  const sinks: ScheduledRunSinks = {
    state: store,
    notifier: { notifier, format: "json" },
    events,
    metrics: [metrics],
    uidOf: async () => "4f7c0d1e-uid",
  };
  let clock = Date.parse("2026-11-30T06:00:00Z");
  const options = (): ScheduledRunOptions => ({
    renotifyAfterMs: 24 * 3_600_000,
    cluster: "prod",
    reportingInstance: "helm-drift-29412-x7k2p",
    startedAt: new Date(clock),
    now: () => new Date(clock),
  });
  const later = (hours: number) => {
    clock += hours * 3_600_000;
  };
  return { store, notifier, events, metrics, sinks, options, later };
}

const lastMetric = (metrics: RecordingMetrics, name: string): string | undefined =>
  metrics.written
    .at(-1)
    ?.text.split("\n")
    .find((line) => line.startsWith(`${name} `));

const newCount = (payload: unknown) => (payload as { changes: { new: unknown[] } }).changes.new.length;

describe("a scheduled run delivers only what changed", () => {
  it("first run: everything is new, an Event per drifted object, state saved, metrics replaced", async () => {
    const { store, notifier, events, metrics, sinks, options } = setup();
    const report = await incidentReport();
    const outcome = await deliverReport(report, sinks, options());
    expect(outcome.failed).toBe(false);
    expect(outcome.changes?.firstRun).toBe(true);
    expect(notifier.sent.map(newCount)).toEqual([report.summary.findings]);
    expect(events.writes.map((w) => [w.verb, w.event.reason])).toContainEqual(["create", "DriftDetected"]);
    expect(Object.keys(store.saved?.findings ?? {})).toHaveLength(report.summary.findings);
    expect(store.saved?.runs).toEqual({ lastSuccess: "2026-11-30T06:00:00.000Z", failed: 0 });
    expect(metrics.written.map((w) => w.mode)).toEqual(["replace"]);
    expect(lastMetric(metrics, "helm_drift_last_run_success")).toBe("helm_drift_last_run_success 1");
  });

  it("second run, nothing changed: no notification; the Event is bumped, not repeated", async () => {
    const { notifier, events, sinks, options, later } = setup();
    const report = await incidentReport();
    await deliverReport(report, sinks, options());
    later(1);
    const outcome = await deliverReport(report, sinks, options());
    expect(notifier.sent).toHaveLength(1);
    expect(outcome.notification).toEqual({ status: "skipped", detail: "nothing new or resolved" });
    expect(events.writes.at(-1)?.verb).toBe("bump");
    expect(events.writes.at(-1)?.patch).toMatchObject({ count: 2 });
  });

  it("repaired: the resolved findings are notified, and a DriftResolved Event is written", async () => {
    const { notifier, events, sinks, options, later } = setup();
    const report = await incidentReport();
    await deliverReport(report, sinks, options());
    later(1);
    await deliverReport(arsInSync(report), sinks, options());
    const resolved = (notifier.sent.at(-1) as { changes: { resolved: unknown[] } }).changes.resolved;
    expect(resolved.length).toBeGreaterThan(0);
    expect(events.writes.at(-1)?.event).toMatchObject({ reason: "DriftResolved", type: "Normal" });
  });

  it("a failed notification keeps the state's findings, fails the run, and the next run notifies again", async () => {
    const { store, notifier, metrics, sinks, options, later } = setup();
    const report = await incidentReport();
    notifier.failing = true;
    const failed = await deliverReport(report, sinks, options());
    expect(failed.failed).toBe(true);
    expect(failed.notification.status).toBe("failed");
    expect(store.saved?.findings).toEqual({});
    expect(store.saved?.runs).toEqual({ lastSuccess: null, failed: 1 });
    expect(lastMetric(metrics, "helm_drift_last_run_success")).toBe("helm_drift_last_run_success 0");
    expect(lastMetric(metrics, "helm_drift_run_failures_total")).toBe("helm_drift_run_failures_total 1");
    later(1);
    notifier.failing = false;
    const delivered = await deliverReport(report, sinks, options());
    expect(delivered.failed).toBe(false);
    expect(notifier.sent.map(newCount)).toEqual([report.summary.findings]);
    expect(store.saved?.runs.failed).toBe(1);
  });

  it("a state that cannot be read is not a first run: no notification, no Events, the run fails", async () => {
    const { store, notifier, events, metrics, sinks, options } = setup();
    store.failLoad = true;
    const outcome = await deliverReport(await incidentReport(), sinks, options());
    expect(outcome.failed).toBe(true);
    expect(outcome.changes).toBeNull();
    expect(notifier.sent).toEqual([]);
    expect(events.writes).toEqual([]);
    expect(outcome.state).toEqual({
      status: "failed",
      detail: "cannot read ConfigMap helm-drift/helm-drift-state: HTTP 403",
    });
    expect(lastMetric(metrics, "helm_drift_last_run_success")).toBe("helm_drift_last_run_success 0");
  });

  it("a run that failed before its report counts the failure and merges only the run metrics", async () => {
    const { store, metrics, sinks, options } = setup();
    await deliverReport(await incidentReport(), sinks, options());
    const outcomes = await deliverFailedRun(sinks, options());
    expect(outcomes.map((o) => o.status)).toEqual(["done", "done"]);
    expect(store.saved?.runs.failed).toBe(1);
    expect(Object.keys(store.saved?.findings ?? {}).length).toBeGreaterThan(0);
    expect(metrics.written.at(-1)?.mode).toBe("merge");
    expect(metrics.written.at(-1)?.text).not.toContain("helm_drift_release_");
    expect(lastMetric(metrics, "helm_drift_run_failures_total")).toBe("helm_drift_run_failures_total 1");
  });

  it("without a state store every run notifies what it finds as new", async () => {
    const { notifier, sinks, options } = setup();
    const report: DriftReport = await incidentReport();
    await deliverReport(report, { ...sinks, state: null }, options());
    await deliverReport(report, { ...sinks, state: null }, options());
    expect(notifier.sent.map(newCount)).toEqual([report.summary.findings, report.summary.findings]);
  });

  it("reads uids only of the objects an Event is written on", async () => {
    const { sinks, options } = setup();
    const asked: string[] = [];
    await deliverReport(
      await incidentReport(),
      {
        ...sinks,
        uidOf: async (object) => {
          asked.push(`${object.kind}/${object.name}`);
          return null;
        },
      },
      options(),
    );
    // The incident's one drifted object; none of its objects in sync (there is no earlier Event on them).
    expect(asked).toEqual(["AutoscalingRunnerSet/arc-runners"]);
  });
});
