import { type FindingCode, SEVERITIES, type Severity } from "../model/finding.js";
import { isPlainObject } from "../model/kube.js";
import { canonicalJson, type ObjectKey, type ReleaseKey } from "./finding-record.js";

export const REPORT_STATE_VERSION = 1;

/** A finding the state remembers: enough to say "resolved" about it later, never a value. */
export interface StoredFinding {
  release: ReleaseKey;
  object: ObjectKey;
  code: FindingCode;
  path: string;
  severity: Severity;
  /** When a run first reported it (ISO 8601). */
  firstSeen: string;
  /** When a notification last told about it; null: never delivered yet. */
  notifiedAt: string | null;
}

export const EVENT_REASONS = ["DriftDetected", "DriftResolved"] as const;

/** The Event helm-drift keeps on a drifted (or repaired) object, so that the next run updates it, not adds one. */
export interface StoredEvent {
  /** The Event's own name and namespace. */
  name: string;
  namespace: string;
  reason: "DriftDetected" | "DriftResolved";
  /** The Event's count after the last run that wrote it. */
  count: number;
  firstTimestamp: string;
  /**
   * The release that rendered the object, so that a later run can tell "its release was checked and the object
   * is back in sync" from "its release is gone" or "its release could not be read" when the object is no longer
   * in the report. Absent: not known (the object is then only resolved while its release still reports it).
   */
  release?: ReleaseKey;
}

/** What `helm-drift report` keeps between runs, in its state ConfigMap (key STATE_KEY), as JSON. */
export interface ReportState {
  version: typeof REPORT_STATE_VERSION;
  /** By fingerprint: the findings reported by the last run whose notification was delivered (or not needed). */
  findings: Record<string, StoredFinding>;
  /** By objectKeyText: the Event last written for each object. */
  events: Record<string, StoredEvent>;
  runs: {
    /** When the last run that completed ended (ISO 8601); null: none yet. */
    lastSuccess: string | null;
    /** Runs that failed, counted across runs (the failed-runs counter of the metrics). */
    failed: number;
  };
}

/** The ConfigMap data key that holds the state. */
export const STATE_KEY = "state.json";

/** A state read back: the state, or null with why the run starts afresh (none yet, or unreadable). */
export type ParsedState = { state: ReportState } | { state: null; reason: string };

export function emptyState(): ReportState {
  return { version: REPORT_STATE_VERSION, findings: {}, events: {}, runs: { lastSuccess: null, failed: 0 } };
}

/** Compact JSON, keys sorted: the same state always gives the same text (no needless ConfigMap updates). */
export function serializeState(state: ReportState): string {
  return canonicalJson(state);
}

/**
 * The state a ConfigMap holds, checked field by field. Never throws: no text, text that is not JSON, another
 * version or a wrong shape gives `state: null` and one short line saying why, and the run starts afresh (a lost
 * or corrupt state means a first run, never a crash). Only the fields helm-drift reads are kept.
 */
export function parseState(text: string | undefined): ParsedState {
  if (text === undefined || text.trim() === "") return { state: null, reason: "no state yet" };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { state: null, reason: "not JSON" };
  }
  try {
    return { state: readState(json) };
  } catch (error) {
    if (error instanceof ShapeError) return { state: null, reason: error.message };
    throw error;
  }
}

/** What is wrong with a state's shape, as `findings.<fp>.path is not a string`. */
class ShapeError extends Error {}

function readState(json: unknown): ReportState {
  const root = objectAt(json, "the state");
  if (root.version !== REPORT_STATE_VERSION) {
    throw new ShapeError(
      root.version === undefined
        ? "version is missing"
        : `version ${describe(root.version)} is not ${REPORT_STATE_VERSION}`,
    );
  }
  const runs = objectAt(root.runs, "runs");
  return {
    version: REPORT_STATE_VERSION,
    findings: entriesOf(root.findings, "findings", readFinding),
    events: entriesOf(root.events, "events", readEvent),
    runs: {
      lastSuccess: nullable(runs.lastSuccess, "runs.lastSuccess", timestampAt),
      failed: countAt(runs.failed, "runs.failed", 0),
    },
  };
}

function readFinding(value: unknown, at: string): StoredFinding {
  const finding = objectAt(value, at);
  return {
    release: releaseAt(finding.release, `${at}.release`),
    object: objectKeyAt(finding.object, `${at}.object`),
    // Any string: a code this version does not know still names the finding for "resolved".
    code: stringAt(finding.code, `${at}.code`) as FindingCode,
    path: stringAt(finding.path, `${at}.path`),
    severity: oneOf(finding.severity, `${at}.severity`, SEVERITIES),
    firstSeen: timestampAt(finding.firstSeen, `${at}.firstSeen`),
    notifiedAt: nullable(finding.notifiedAt, `${at}.notifiedAt`, timestampAt),
  };
}

function readEvent(value: unknown, at: string): StoredEvent {
  const event = objectAt(value, at);
  return {
    name: stringAt(event.name, `${at}.name`),
    namespace: stringAt(event.namespace, `${at}.namespace`),
    reason: oneOf(event.reason, `${at}.reason`, EVENT_REASONS),
    count: countAt(event.count, `${at}.count`, 1),
    firstTimestamp: timestampAt(event.firstTimestamp, `${at}.firstTimestamp`),
    ...(event.release === undefined ? {} : { release: releaseAt(event.release, `${at}.release`) }),
  };
}

function releaseAt(value: unknown, at: string): ReleaseKey {
  const release = objectAt(value, at);
  return {
    namespace: stringAt(release.namespace, `${at}.namespace`),
    name: stringAt(release.name, `${at}.name`),
  };
}

function objectKeyAt(value: unknown, at: string): ObjectKey {
  const object = objectAt(value, at);
  return {
    apiVersion: stringAt(object.apiVersion, `${at}.apiVersion`),
    kind: stringAt(object.kind, `${at}.kind`),
    namespace: nullable(object.namespace, `${at}.namespace`, stringAt),
    name: stringAt(object.name, `${at}.name`),
  };
}

/** Each member of a map section (`findings`, `events`), read by `read`, under a safe copy of its key. */
function entriesOf<T>(
  value: unknown,
  at: string,
  read: (member: unknown, at: string) => T,
): Record<string, T> {
  const section = objectAt(value, at);
  return Object.fromEntries(
    Object.entries(section).map(([key, member]) => [key, read(member, `${at}.${keyText(key)}`)]),
  );
}

function objectAt(value: unknown, at: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw new ShapeError(`${at} is ${missingOr(value, "not an object")}`);
  return value;
}

function stringAt(value: unknown, at: string): string {
  if (typeof value !== "string") throw new ShapeError(`${at} is ${missingOr(value, "not a string")}`);
  return value;
}

function timestampAt(value: unknown, at: string): string {
  const text = stringAt(value, at);
  if (!Number.isFinite(Date.parse(text))) throw new ShapeError(`${at} ${describe(text)} is not a time`);
  return text;
}

function countAt(value: unknown, at: string, least: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < least) {
    throw new ShapeError(`${at} is ${missingOr(value, `not a whole number of at least ${least}`)}`);
  }
  return value;
}

function oneOf<T extends string>(value: unknown, at: string, allowed: readonly T[]): T {
  const text = stringAt(value, at);
  if (!allowed.includes(text as T)) {
    throw new ShapeError(`${at} ${describe(text)} is not one of ${allowed.join(", ")}`);
  }
  return text as T;
}

function nullable<T>(value: unknown, at: string, read: (value: unknown, at: string) => T): T | null {
  return value === null ? null : read(value, at);
}

function missingOr(value: unknown, wrong: string): string {
  return value === undefined ? "missing" : wrong;
}

/** A value read from the state, for a reason: short, on one line (JSON escapes line breaks). */
function describe(value: unknown): string {
  if (value === undefined) return "(missing)";
  if (Array.isArray(value)) return "(a list)";
  if (isPlainObject(value)) return "(an object)";
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** A key of the state, for a reason: as it is when plain, else quoted and shortened. */
function keyText(key: string): string {
  if (/^[\w.:/-]{1,80}$/.test(key)) return key;
  const text = JSON.stringify(key);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
