import { type Severity, severityRank } from "../model/finding.js";
import type { DriftReport, ReleaseReport } from "../model/report.js";

export const EXIT_CLEAN = 0;
export const EXIT_ERROR = 1;
export const EXIT_DRIFT = 2;

/**
 * 1 when any release could not be checked or was checked only in part (Error, Incomplete, or any object
 * Unreadable: an incomplete check is an error, and an error beats drift); 2 when a finding at or above
 * `failOn` exists; else 0.
 */
export function exitCodeFor(report: DriftReport, failOn: Severity): number {
  const releases = report.releases;
  const incomplete = (release: ReleaseReport) =>
    release.status === "Error" ||
    release.status === "Incomplete" ||
    release.resources.some((resource) => resource.status === "Unreadable");
  if (releases.some(incomplete)) return EXIT_ERROR;
  const threshold = severityRank(failOn);
  const drift = releases.some((r) =>
    r.resources.some((res) => res.findings.some((f) => severityRank(f.severity) >= threshold)),
  );
  return drift ? EXIT_DRIFT : EXIT_CLEAN;
}
