import { HelmDriftError } from "../errors.js";
import type { DriftReport } from "../model/report.js";
import { type DriftChanges, driftChanges, notificationDue } from "./drift-changes.js";
import { eventPlan } from "./event-plan.js";
import { findingRecords, type ObjectKey, objectKeyText, unreadScopes } from "./finding-record.js";
import { metricsText } from "./metrics-text.js";
import { emptyState, type ReportState, type StoredEvent } from "./report-state.js";
import type { EventSink, LoadedState, MetricsSink, Notifier, StateStore } from "./sinks.js";
import type { WebhookFormat } from "./webhook-format.js";
import { jsonWebhookPayload, slackWebhookPayload } from "./webhook-payload.js";

/** Where a scheduled run delivers what it found; each is optional (null or empty: not configured). */
export interface ScheduledRunSinks {
  state: StateStore | null;
  notifier: { notifier: Notifier; format: WebhookFormat } | null;
  events: EventSink | null;
  metrics: readonly MetricsSink[];
  /** The live uid of an object (for Events), null when it is gone; read only for drifted objects. */
  uidOf: (object: ObjectKey) => Promise<string | null>;
}

export interface ScheduledRunOptions {
  /** A standing finding is repeated in a notification at most this often; 0: never. */
  renotifyAfterMs: number;
  /** Shown in notifications (`--cluster-name`); null: none. */
  cluster: string | null;
  /** Event.reportingInstance: the pod's (or host's) name. */
  reportingInstance: string;
  startedAt: Date;
  now: () => Date;
}

/** What happened to one sink, for the summary line and the exit code. */
export type SinkOutcome =
  | { status: "done"; detail: string }
  | { status: "skipped"; detail: string }
  | { status: "failed"; detail: string };

export interface ScheduledRunOutcome {
  /** Null when the state could not be read (nothing could be compared with the last run). */
  changes: DriftChanges | null;
  /** Why this run counts as a first run, when it does. */
  firstRunReason: string | null;
  state: SinkOutcome;
  notification: SinkOutcome;
  events: SinkOutcome;
  metrics: SinkOutcome[];
  /** Whether a sink failed: the run then exits 1 (and counts as a failed run in the metrics). */
  failed: boolean;
}

const NOT_CONFIGURED: SinkOutcome = { status: "skipped", detail: "not configured" };

/**
 * Delivers a completed report: compares it with the last run's state, notifies what is new or resolved,
 * writes Events, saves the state, and writes metrics — in that order, so that the metrics say whether every
 * other sink worked. A failed notification does not advance the findings the state remembers, so the next run
 * notifies again; a failed Event write keeps that object's earlier entry. A state that cannot be read is not a
 * first run (that would notify everything again every run): notification and Events are skipped, the run fails.
 */
export async function deliverReport(
  report: DriftReport,
  sinks: ScheduledRunSinks,
  options: ScheduledRunOptions,
): Promise<ScheduledRunOutcome> {
  const now = options.now();
  let loaded: LoadedState | null = null;
  let stateOutcome: SinkOutcome = NOT_CONFIGURED;
  if (sinks.state !== null) {
    try {
      loaded = await sinks.state.load();
    } catch (error) {
      stateOutcome = { status: "failed", detail: messageOf(error) };
    }
  }
  const stateUnreadable = stateOutcome.status === "failed";
  const previous = loaded?.state ?? null;
  const unread = unreadScopes(report);
  const { changes, delivered, undelivered } = driftChanges(
    previous,
    findingRecords(report),
    unread,
    now,
    options.renotifyAfterMs,
  );

  let findingsNext = delivered;
  let notification: SinkOutcome = NOT_CONFIGURED;
  if (stateUnreadable) {
    notification = skippedForState(sinks.notifier !== null);
  } else if (sinks.notifier !== null) {
    if (!notificationDue(changes)) {
      notification = { status: "skipped", detail: "nothing new or resolved" };
    } else {
      const input = { report, changes, cluster: options.cluster };
      const payload =
        sinks.notifier.format === "slack" ? slackWebhookPayload(input) : jsonWebhookPayload(input);
      const result = await sinks.notifier.notifier.send(payload);
      if (result.ok) {
        notification = { status: "done", detail: `sent to ${sinks.notifier.notifier.description}` };
      } else {
        findingsNext = undelivered;
        notification = {
          status: "failed",
          detail: `${sinks.notifier.notifier.description}: ${result.reason} (after ${result.attempts} attempts); the next run notifies again`,
        };
      }
    }
  }

  const previousEvents = previous?.events ?? {};
  let eventsNext: Record<string, StoredEvent> = previousEvents;
  let events: SinkOutcome = NOT_CONFIGURED;
  if (stateUnreadable) {
    events = skippedForState(sinks.events !== null);
  } else if (sinks.events !== null) {
    const plan = eventPlan({
      report,
      previous: previousEvents,
      unread,
      uids: await eventObjectUids(report, previousEvents, sinks.uidOf),
      now,
      reportingInstance: options.reportingInstance,
    });
    const written = await sinks.events.write(plan.writes);
    eventsNext = { ...plan.next };
    for (const { write } of written.failed) {
      const key = objectKeyText(write.object);
      const earlier = previousEvents[key];
      if (earlier === undefined) delete eventsNext[key];
      else eventsNext[key] = earlier;
    }
    events =
      written.failed.length === 0
        ? { status: "done", detail: `${written.created} created, ${written.updated} updated` }
        : {
            status: "failed",
            detail: `${written.failed.length} of ${plan.writes.length} Event writes failed, first: ${written.failed[0]?.reason}`,
          };
  }

  const sinkFailed = () =>
    notification.status === "failed" || events.status === "failed" || stateOutcome.status === "failed";
  const base = previous ?? emptyState();
  if (sinks.state !== null && loaded !== null) {
    const next: ReportState = {
      ...base,
      findings: findingsNext,
      events: eventsNext,
      runs: sinkFailed()
        ? { lastSuccess: base.runs.lastSuccess, failed: base.runs.failed + 1 }
        : { lastSuccess: now.toISOString(), failed: base.runs.failed },
    };
    try {
      await sinks.state.save(next, loaded);
      stateOutcome = { status: "done", detail: `saved to ${sinks.state.where}` };
    } catch (error) {
      stateOutcome = { status: "failed", detail: messageOf(error) };
    }
  }

  const succeeded = !sinkFailed();
  const metrics = await writeMetrics(
    sinks.metrics,
    metricsText({
      report,
      succeeded,
      durationSeconds: (options.now().getTime() - options.startedAt.getTime()) / 1000,
      lastSuccess: succeeded ? now : parseTime(base.runs.lastSuccess),
      failedRuns: base.runs.failed + (succeeded ? 0 : 1),
    }),
    "replace",
  );
  return {
    changes: stateUnreadable ? null : changes,
    firstRunReason: stateUnreadable
      ? null
      : (loaded?.firstRunReason ?? (previous === null ? "no state kept" : null)),
    state: stateOutcome,
    notification,
    events,
    metrics,
    failed: !succeeded || metrics.some((outcome) => outcome.status === "failed"),
  };
}

/**
 * A run that failed before it had a report (the cluster unreachable, the deadline passed): counts the failure
 * in the state, when it can be read and written, and writes only the run metrics, merged into what the last
 * completed run wrote (its release gauges stay, so an alert on them does not flap).
 */
export async function deliverFailedRun(
  sinks: Pick<ScheduledRunSinks, "state" | "metrics">,
  options: Pick<ScheduledRunOptions, "startedAt" | "now">,
): Promise<SinkOutcome[]> {
  let failedRuns = 1;
  let lastSuccess: Date | null = null;
  const outcomes: SinkOutcome[] = [];
  if (sinks.state !== null) {
    try {
      const loaded = await sinks.state.load();
      const state = loaded.state ?? emptyState();
      failedRuns = state.runs.failed + 1;
      lastSuccess = parseTime(state.runs.lastSuccess);
      await sinks.state.save({ ...state, runs: { ...state.runs, failed: failedRuns } }, loaded);
      outcomes.push({ status: "done", detail: `failed run counted in ${sinks.state.where}` });
    } catch (error) {
      outcomes.push({ status: "failed", detail: messageOf(error) });
    }
  }
  const text = metricsText({
    report: null,
    succeeded: false,
    durationSeconds: (options.now().getTime() - options.startedAt.getTime()) / 1000,
    lastSuccess,
    failedRuns,
  });
  outcomes.push(...(await writeMetrics(sinks.metrics, text, "merge")));
  return outcomes;
}

async function writeMetrics(
  sinks: readonly MetricsSink[],
  text: string,
  mode: "replace" | "merge",
): Promise<SinkOutcome[]> {
  return Promise.all(
    sinks.map(async (sink): Promise<SinkOutcome> => {
      try {
        await sink.write(text, mode);
        return { status: "done", detail: `written to ${sink.description}` };
      } catch (error) {
        return { status: "failed", detail: `${sink.description}: ${messageOf(error)}` };
      }
    }),
  );
}

/**
 * The live uids, by objectKeyText, of the objects an Event may be written on: those that drifted and those with
 * an earlier Event (now perhaps repaired). Read one at a time; a Missing object has none.
 */
async function eventObjectUids(
  report: DriftReport,
  previous: Record<string, StoredEvent>,
  uidOf: ScheduledRunSinks["uidOf"],
): Promise<Map<string, string>> {
  const uids = new Map<string, string>();
  for (const release of report.releases) {
    for (const resource of release.resources) {
      const object: ObjectKey = {
        apiVersion: resource.apiVersion,
        kind: resource.kind,
        namespace: resource.namespace,
        name: resource.name,
      };
      const key = objectKeyText(object);
      const drifted = resource.status === "Drifted" && resource.findings.length > 0;
      if (uids.has(key) || !(drifted || (resource.status === "InSync" && key in previous))) continue;
      const uid = await uidOf(object);
      if (uid !== null) uids.set(key, uid);
    }
  }
  return uids;
}

function skippedForState(configured: boolean): SinkOutcome {
  return configured
    ? { status: "skipped", detail: "the state could not be read, so nothing is known to be new" }
    : NOT_CONFIGURED;
}

function parseTime(text: string | null): Date | null {
  if (text === null) return null;
  const time = new Date(text);
  return Number.isNaN(time.getTime()) ? null : time;
}

/** A sink's known failure as its one line; anything else is a bug, re-thrown rather than reported as a failure. */
function messageOf(error: unknown): string {
  if (error instanceof HelmDriftError) return error.message;
  throw error;
}
