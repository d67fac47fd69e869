import type { Finding } from "../model/finding.js";
import type { DriftReport } from "../model/report.js";

/**
 * The report as pretty JSON (2-space indent, trailing newline), in the shape of
 * schema/drift-report.schema.json. The report is rendered as given (already masked); the only change,
 * made on a copy, is that a finding's `desired` / `live` is written as null when it is undefined, so both
 * keys are always present.
 */
export function renderJson(report: DriftReport): string {
  const document: DriftReport = {
    ...report,
    releases: report.releases.map((release) => ({
      ...release,
      resources: release.resources.map((resource) => ({
        ...resource,
        findings: resource.findings.map(withBothSides),
      })),
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function withBothSides(finding: Finding): Finding {
  return {
    ...finding,
    desired: finding.desired === undefined ? null : finding.desired,
    live: finding.live === undefined ? null : finding.live,
  };
}
