import { SEVERITIES } from "../model/finding.js";
import type { ReportSummary } from "../model/report.js";
import type { DriftChanges } from "../schedule/drift-changes.js";
import type { ScheduledRunOutcome, SinkOutcome } from "../schedule/scheduled-run.js";

/**
 * The one stderr line `helm-drift report` ends with, for a Job's log:
 * `helm-drift report: 14 releases, 2 drifted, 5 findings (1 high, 4 medium), 3 ignored; since the last run: 2 new,
 * 1 resolved; webhook: sent to …; events: 2 created, 0 updated; state: saved to …; metrics: written to …; 3.2 s`.
 * Numbers, names and the sinks' own one-line reasons only: never a value, a URL's path or a token.
 */
export function reportRunText(
  summary: ReportSummary,
  incomplete: number,
  outcome: ScheduledRunOutcome,
  seconds: number,
): string {
  const bySeverity = SEVERITIES.filter((severity) => summary.bySeverity[severity] > 0)
    .map((severity) => `${summary.bySeverity[severity]} ${severity}`)
    .join(", ");
  const parts = [
    `${summary.releases} ${plural(summary.releases, "release")}, ${summary.drifted} drifted, ${summary.missing} missing` +
      (incomplete > 0 ? `, ${incomplete} not read whole` : ""),
    `${summary.findings} ${plural(summary.findings, "finding")}${bySeverity ? ` (${bySeverity})` : ""}, ${summary.ignored} ignored`,
    changesText(outcome.changes, outcome.firstRunReason),
    `webhook: ${sinkText(outcome.notification)}`,
    `events: ${sinkText(outcome.events)}`,
    `state: ${sinkText(outcome.state)}`,
    `metrics: ${outcome.metrics.length === 0 ? "not configured" : outcome.metrics.map(sinkText).join(", ")}`,
    `${seconds.toFixed(1)} s`,
  ];
  return `helm-drift report: ${parts.join("; ")}`;
}

/** The line of a run that failed before it had a report, after the error line: what it still recorded. */
export function failedRunText(outcomes: readonly SinkOutcome[]): string | null {
  if (outcomes.length === 0) return null;
  return `helm-drift report: the run failed; ${outcomes.map(sinkText).join("; ")}`;
}

function changesText(changes: DriftChanges | null, firstRunReason: string | null): string {
  if (changes === null) return "since the last run: unknown (its state could not be read)";
  const counts = `${changes.new.length} new, ${changes.resolved.length} resolved, ${changes.reminded.length} repeated, ${changes.standing} standing`;
  return changes.firstRun
    ? `first run (${firstRunReason ?? "no state"}): ${counts}`
    : `since the last run: ${counts}`;
}

function sinkText(outcome: SinkOutcome): string {
  return outcome.status === "failed" ? `FAILED: ${outcome.detail}` : outcome.detail;
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
