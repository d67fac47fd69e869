import { driftDetectedText, driftResolvedText, objectMissingText } from "../catalogue/event-text.js";
import type { DriftReport, ResourceReport } from "../model/report.js";
import {
  hex16,
  type ObjectKey,
  objectKeyText,
  type ReleaseKey,
  releaseKeyText,
  type UnreadScopes,
} from "./finding-record.js";
import type { StoredEvent } from "./report-state.js";

/** A core/v1 Event as JSON, ready to send. */
export type KubeEvent = Record<string, unknown> & {
  metadata: { name: string; namespace: string };
};

/**
 * One Event write. `create`: a new Event (count 1, or the stored count + 1 when the stored one expired);
 * `bump`: a merge patch of the existing Event (count, lastTimestamp, message), created instead when it is gone.
 */
export interface EventWrite {
  verb: "create" | "bump";
  object: ObjectKey;
  /** The whole Event, for a create (also used when a bump finds the Event gone). */
  event: KubeEvent;
  /** The merge patch for a bump. */
  patch: Record<string, unknown>;
}

export interface EventPlan {
  writes: EventWrite[];
  /** The events section of the next state (when every write succeeded; a failed write keeps the earlier entry). */
  next: Record<string, StoredEvent>;
}

export interface EventPlanInput {
  report: DriftReport;
  /** The events section of the earlier state ({} on a first run). */
  previous: Record<string, StoredEvent>;
  unread: UnreadScopes;
  /**
   * By objectKeyText: the live uid of each drifted object that exists (read by the caller). `kubectl describe`
   * finds an object's Events by involvedObject.uid, so an Event without it would not show there.
   */
  uids: ReadonlyMap<string, string>;
  now: Date;
  /** Event.reportingInstance and source.host: e.g. the pod's name, or the host's. */
  reportingInstance: string;
}

/** Event.source.component and Event.reportingComponent. */
export const EVENT_COMPONENT = "helm-drift";
/** Event.action: what helm-drift did to the object (core/v1 Event `action`). */
export const EVENT_ACTION = "Compare";
/**
 * Where the Events of a cluster-scoped object go. A core/v1 Event without eventTime whose involvedObject has no
 * namespace must itself be in "" or "default" (kubernetes pkg/apis/core/validation/events.go legacyValidateEvent),
 * and client-go's recorder puts such Events in "default" (tools/record/event.go makeEvent); `kubectl describe`
 * finds them there by the involvedObject fields.
 */
export const CLUSTER_SCOPED_EVENT_NAMESPACE = "default";
/** metadata.name of an Event is a DNS subdomain: at most 253 characters. */
const NAME_LIMIT = 253;

/** A reported object with the release that rendered it. */
interface Placed {
  object: ObjectKey;
  resource: ResourceReport;
  release: ReleaseKey;
}

/**
 * The Events of one run, from the report and the Events the earlier runs wrote (one entry per object):
 * - an object that drifted or is missing (kept findings; ignored ones do not count) gets a Warning
 *   `DriftDetected` Event: its earlier `DriftDetected` Event is bumped (count + 1, lastTimestamp, message),
 *   else a new one is created (count 1);
 * - an object whose earlier `DriftDetected` Event stands, that its release (checked this run) still renders and
 *   that was read and is no longer drifted gets a Normal `DriftResolved` Event;
 * - an object that was not read this run (Unreadable, or its release is Error) keeps its entry unchanged: not
 *   read is not repaired;
 * - the entries of objects whose release is gone from the report (uninstalled) or no longer renders them, and
 *   `DriftResolved` entries of objects in sync, are dropped without a write.
 * Messages name paths and severities only, never a value (src/catalogue/event-text.ts).
 */
export function eventPlan(input: EventPlanInput): EventPlan {
  const { report, previous, unread, uids, now, reportingInstance } = input;
  const nowText = now.toISOString();
  const { reported, checked } = placedObjects(report);
  const writes: EventWrite[] = [];
  const next: Record<string, StoredEvent> = {};
  const eventOf = (placed: Placed, fields: EventFields): KubeEvent =>
    kubeEvent(placed.object, uids.get(objectKeyText(placed.object)), reportingInstance, fields);

  for (const [key, placed] of [...reported].sort(([a], [b]) => compareText(a, b))) {
    if (!isDrifted(placed.resource)) continue;
    const message =
      placed.resource.status === "Missing"
        ? objectMissingText(placed.release)
        : driftDetectedText(
            placed.resource.findings.map(({ path, severity }) => ({ path, severity })),
            placed.release,
          );
    const before = Object.hasOwn(previous, key) ? previous[key] : undefined;
    if (before?.reason === "DriftDetected") {
      const count = before.count + 1;
      const event = eventOf(placed, {
        name: before.name,
        namespace: before.namespace,
        reason: "DriftDetected",
        message,
        count,
        firstTimestamp: before.firstTimestamp,
        lastTimestamp: nowText,
      });
      writes.push({ verb: "bump", object: placed.object, event, patch: bumpOf(event) });
      next[key] = { ...before, count, release: placed.release };
    } else {
      const stored = newEntry(placed, "DriftDetected", nowText);
      const event = eventOf(placed, { ...stored, message, lastTimestamp: nowText });
      writes.push({ verb: "create", object: placed.object, event, patch: bumpOf(event) });
      next[key] = stored;
    }
  }

  for (const [key, before] of Object.entries(previous).sort(([a], [b]) => compareText(a, b))) {
    if (before.reason !== "DriftDetected" || Object.hasOwn(next, key)) continue;
    const placed = reported.get(key);
    const release = placed?.release ?? before.release;
    const notRead =
      unread.objects.has(key) ||
      placed?.resource.status === "Unreadable" ||
      (release !== undefined && unread.releases.has(releaseKeyText(release)));
    if (notRead) {
      next[key] = before;
    } else if (placed !== undefined && checked.has(releaseKeyText(placed.release))) {
      const stored = newEntry(placed, "DriftResolved", nowText);
      const event = eventOf(placed, {
        ...stored,
        message: driftResolvedText(placed.release),
        lastTimestamp: nowText,
      });
      writes.push({ verb: "create", object: placed.object, event, patch: bumpOf(event) });
      next[key] = stored;
    }
  }

  writes.sort((a, b) => compareText(objectKeyText(a.object), objectKeyText(b.object)));
  return { writes, next };
}

/** Drifted or missing with findings kept: an object with only ignored findings is in sync for Events. */
function isDrifted(resource: ResourceReport): boolean {
  return (resource.status === "Drifted" || resource.status === "Missing") && resource.findings.length > 0;
}

/**
 * Every object the named releases of the report render, by objectKeyText, and which releases were checked. An
 * object two releases render (a misconfiguration Helm itself refuses on install) is placed where it drifted.
 */
function placedObjects(report: DriftReport): { reported: Map<string, Placed>; checked: Set<string> } {
  const reported = new Map<string, Placed>();
  const checked = new Set<string>();
  for (const { name, namespace, status, resources } of report.releases) {
    if (name === null || namespace === null) continue;
    const release = { namespace, name };
    if (status !== "Error") checked.add(releaseKeyText(release));
    for (const resource of resources) {
      const object = {
        apiVersion: resource.apiVersion,
        kind: resource.kind,
        namespace: resource.namespace,
        name: resource.name,
      };
      const key = objectKeyText(object);
      const earlier = reported.get(key);
      if (earlier === undefined || (isDrifted(resource) && !isDrifted(earlier.resource))) {
        reported.set(key, { object, resource, release });
      }
    }
  }
  return { reported, checked };
}

function newEntry(placed: Placed, reason: StoredEvent["reason"], nowText: string): StoredEvent {
  return {
    name: eventName(placed.object, reason, nowText),
    namespace: placed.object.namespace ?? CLUSTER_SCOPED_EVENT_NAMESPACE,
    reason,
    count: 1,
    firstTimestamp: nowText,
    release: placed.release,
  };
}

/**
 * The merge patch that brings an existing Event up to `event`: count, lastTimestamp and message (the fields a
 * recorder updates on a repeated Event). A create carries it too, for a sink that finds the name taken (409).
 */
function bumpOf(event: KubeEvent): Record<string, unknown> {
  return { count: event.count, lastTimestamp: event.lastTimestamp, message: event.message };
}

interface EventFields {
  name: string;
  namespace: string;
  reason: StoredEvent["reason"];
  message: string;
  count: number;
  firstTimestamp: string;
  lastTimestamp: string;
}

/** A core/v1 Event (https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/). */
function kubeEvent(
  object: ObjectKey,
  uid: string | undefined,
  reportingInstance: string,
  fields: EventFields,
): KubeEvent {
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: fields.name, namespace: fields.namespace },
    involvedObject: {
      apiVersion: object.apiVersion,
      kind: object.kind,
      ...(object.namespace === null ? {} : { namespace: object.namespace }),
      name: object.name,
      ...(uid === undefined ? {} : { uid }),
    },
    reason: fields.reason,
    message: fields.message,
    type: fields.reason === "DriftDetected" ? "Warning" : "Normal",
    source: { component: EVENT_COMPONENT, host: reportingInstance },
    firstTimestamp: fields.firstTimestamp,
    lastTimestamp: fields.lastTimestamp,
    count: fields.count,
    reportingComponent: EVENT_COMPONENT,
    reportingInstance,
    action: EVENT_ACTION,
  };
}

/**
 * `<object name>.<16 hex>`, as kubelet and client-go name Events (`name.%x`): a valid DNS subdomain of at most
 * 253 characters. The object's name is lowercased, characters a subdomain cannot hold become "-", and it is cut
 * to fit (an object's name need not be a valid Event name: https://issues.k8s.io/127594). The digest covers the
 * object, the reason and the Event's first timestamp, so that the same object drifting again after it was
 * resolved gets a new Event, not a name the earlier one may still hold (Events live an hour by default).
 */
export function eventName(object: ObjectKey, reason: StoredEvent["reason"], firstTimestamp: string): string {
  const digest = hex16(`${objectKeyText(object)}\n${reason}\n${firstTimestamp}`);
  const room = NAME_LIMIT - digest.length - 1;
  const labels = object.name
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, "-")
    .split(".")
    .map((label) => label.replace(/^-+|-+$/g, ""))
    .filter((label) => label !== "");
  const prefix = labels
    .join(".")
    .slice(0, room)
    .replace(/[.-]+$/, "");
  return `${prefix === "" ? "object" : prefix}.${digest}`;
}

/** Code-unit order, not the locale's: the same on every machine. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
