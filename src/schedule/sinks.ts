import type { EventWrite } from "./event-plan.js";
import type { ReportState } from "./report-state.js";

/**
 * The I/O of `helm-drift report`, each behind a narrow interface (fakes in unit tests; the real API server,
 * HTTP server and Pushgateway in e2e tests). None of them ever puts a URL, token or Secret value in an error.
 */

/** The state ConfigMap, read at the start of a run and written at its end. */
export interface StateStore {
  /** Where the state lives, for messages: `namespace/name`. */
  readonly where: string;
  /** The stored state; `state: null` with the reason when there is none yet or it is unreadable (a first run). */
  load(): Promise<LoadedState>;
  /** Writes `state` over what `load` read (optimistic: a concurrent writer makes this fail). */
  save(state: ReportState, loaded: LoadedState): Promise<void>;
}

export interface LoadedState {
  state: ReportState | null;
  /** Why there is no state: "no state ConfigMap yet", "unreadable: …"; null when a state was read. */
  firstRunReason: string | null;
  /** The ConfigMap's resourceVersion, for the update; null when it does not exist. */
  resourceVersion: string | null;
}

/** Writes Events; reports which failed, and why, without stopping at the first. */
export interface EventSink {
  write(writes: readonly EventWrite[]): Promise<EventWriteResult>;
}

export interface EventWriteResult {
  created: number;
  updated: number;
  failed: { write: EventWrite; reason: string }[];
}

/** A webhook POST of one JSON payload, retried with backoff. */
export interface Notifier {
  /** For messages: the kind and the host, never the URL's path or query (Slack's secret is in the path). */
  readonly description: string;
  send(payload: unknown): Promise<DeliveryResult>;
}

export type DeliveryResult = { ok: true; attempts: number } | { ok: false; attempts: number; reason: string };

/** Where metrics in the text exposition format go: a Pushgateway, or a file. */
export interface MetricsSink {
  readonly description: string;
  /** `replace`: the whole group (a completed run); `merge`: only the metrics given (a failed run). */
  write(text: string, mode: "replace" | "merge"): Promise<void>;
}
