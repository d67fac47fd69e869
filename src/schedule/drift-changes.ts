import { severityRank } from "../model/finding.js";
import { type FindingRecord, objectKeyText, releaseKeyText, type UnreadScopes } from "./finding-record.js";
import type { ReportState, StoredFinding } from "./report-state.js";

/** A finding of the earlier state that this run no longer reports. */
export type ResolvedFinding = StoredFinding & { fingerprint: string };

/** What a notification tells: what is new since the last run, what was repaired, what is repeated. */
export interface DriftChanges {
  /** No earlier state (none, lost or unreadable): everything reported is new. */
  firstRun: boolean;
  new: FindingRecord[];
  /** With the fingerprint each had, so a notification can name what it resolves. */
  resolved: ResolvedFinding[];
  /** Standing findings last notified at least renotifyAfter ago: repeated. */
  reminded: FindingRecord[];
  /** Standing findings not repeated this time. */
  standing: number;
}

export interface ChangesResult {
  changes: DriftChanges;
  /** The findings section to save when the notification was delivered (or no notifier is configured). */
  delivered: Record<string, StoredFinding>;
  /** The findings section to save when the notification failed: the earlier one, so the next run tries again. */
  undelivered: Record<string, StoredFinding>;
}

/**
 * This run's findings against the last delivered ones:
 * - new: not in the earlier state, or in it but never delivered (`notifiedAt` null);
 * - resolved: in the earlier state, delivered, and not reported now — unless its release was not checked or its
 *   object not read this run (`unread`): not read is not repaired, so those are carried over unchanged;
 *   a resolved finding that was never delivered just drops (nobody was told about it);
 * - reminded: delivered earlier and still reported, last delivered at least `renotifyAfterMs` ago;
 *   `renotifyAfterMs` 0, negative, NaN or Infinity means never repeat (`--renotify-after 0`);
 * - standing: the count of the others still reported.
 *
 * `delivered` is the findings section to save once the notification went out (every current finding, firstSeen
 * kept, notifiedAt now for new and reminded ones, plus the carried-over unread ones); `undelivered` is the earlier
 * section unchanged, so that the next run computes the same changes again and retries.
 */
export function driftChanges(
  previous: ReportState | null,
  current: readonly FindingRecord[],
  unread: UnreadScopes,
  now: Date,
  renotifyAfterMs: number,
): ChangesResult {
  const earlier = previous?.findings ?? {};
  const nowText = now.toISOString();
  const found = new Map(current.map((record) => [record.fingerprint, record]));
  const changes: DriftChanges = {
    firstRun: previous === null,
    new: [],
    resolved: [],
    reminded: [],
    standing: 0,
  };
  const delivered: Record<string, StoredFinding> = {};

  for (const [fingerprint, record] of found) {
    const before = Object.hasOwn(earlier, fingerprint) ? earlier[fingerprint] : undefined;
    let notifiedAt = nowText;
    if (before === undefined || before.notifiedAt === null) {
      changes.new.push(record);
    } else if (remindDue(before.notifiedAt, now, renotifyAfterMs)) {
      changes.reminded.push(record);
    } else {
      changes.standing += 1;
      notifiedAt = before.notifiedAt;
    }
    delivered[fingerprint] = {
      release: record.release,
      object: record.object,
      code: record.code,
      path: record.path,
      severity: record.severity,
      firstSeen: before?.firstSeen ?? nowText,
      notifiedAt,
    };
  }

  for (const [fingerprint, stored] of Object.entries(earlier)) {
    if (found.has(fingerprint)) continue;
    if (wasNotRead(stored, unread)) delivered[fingerprint] = stored;
    else if (stored.notifiedAt !== null) changes.resolved.push({ fingerprint, ...stored });
  }

  changes.new.sort(bySeverityThenPlace);
  changes.resolved.sort(bySeverityThenPlace);
  changes.reminded.sort(bySeverityThenPlace);
  return { changes, delivered, undelivered: { ...earlier } };
}

/** Whether a notification is due: something new, resolved or reminded. */
export function notificationDue(changes: DriftChanges): boolean {
  return changes.new.length + changes.resolved.length + changes.reminded.length > 0;
}

/** Whether a finding last delivered at `notifiedAt` is repeated now; never when `renotifyAfterMs` is not > 0 and finite. */
export function remindDue(notifiedAt: string, now: Date, renotifyAfterMs: number): boolean {
  if (!(renotifyAfterMs > 0) || !Number.isFinite(renotifyAfterMs)) return false;
  return now.getTime() - Date.parse(notifiedAt) >= renotifyAfterMs;
}

function wasNotRead(stored: StoredFinding, unread: UnreadScopes): boolean {
  return (
    unread.releases.has(releaseKeyText(stored.release)) || unread.objects.has(objectKeyText(stored.object))
  );
}

type Placed = Pick<StoredFinding, "release" | "object" | "path" | "severity" | "code">;

/** Most severe first, then by release, object, path and code: the same findings always in the same order. */
export function bySeverityThenPlace(a: Placed, b: Placed): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    compareText(releaseKeyText(a.release), releaseKeyText(b.release)) ||
    compareText(objectKeyText(a.object), objectKeyText(b.object)) ||
    compareText(a.path, b.path) ||
    compareText(a.code, b.code)
  );
}

/** Code-unit order, not the locale's: the same on every machine. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
