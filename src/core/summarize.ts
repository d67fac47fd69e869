import { SEVERITIES, type Severity } from "../model/finding.js";
import type { ReleaseReport, ReportSummary } from "../model/report.js";

export function summarize(releases: ReleaseReport[]): ReportSummary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let resources = 0;
  let drifted = 0;
  let missing = 0;
  let findings = 0;
  let ignored = 0;
  for (const release of releases) {
    for (const resource of release.resources) {
      resources++;
      if (resource.status === "Drifted") drifted++;
      if (resource.status === "Missing") missing++;
      ignored += resource.ignoredFindings?.length ?? 0;
      for (const finding of resource.findings) {
        findings++;
        bySeverity[finding.severity]++;
      }
    }
  }
  return { releases: releases.length, resources, drifted, missing, findings, bySeverity, ignored };
}
