import { type Severity, severityRank } from "../model/finding.js";
import type { DriftReport } from "../model/report.js";

export const EXIT_CLEAN = 0;
export const EXIT_ERROR = 1;
export const EXIT_DRIFT = 2;

/**
 * 1 when any release could not be checked or any object could not be read (an incomplete check is an
 * error, and an error beats drift); 2 when a finding at or above `failOn` exists; else 0.
 */
export function exitCodeFor(report: DriftReport, failOn: Severity): number {
  const releases = report.releases;
  if (releases.some((r) => r.status === "Error" || r.resources.some((res) => res.status === "Unreadable"))) {
    return EXIT_ERROR;
  }
  const threshold = severityRank(failOn);
  const drift = releases.some((r) =>
    r.resources.some((res) => res.findings.some((f) => severityRank(f.severity) >= threshold)),
  );
  return drift ? EXIT_DRIFT : EXIT_CLEAN;
}
