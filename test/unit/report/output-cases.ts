import type { DriftReport, ResourceReport } from "../../../src/model/report.js";
import { repoPath } from "../../helpers/repo-path.js";
import { runCli } from "../cli/run-cli.js";
import { sampleReports } from "./sample-reports.js";

/** The shipped offline incident (fixtures/incident/) checked through the CLI, as the JSON report the core made. */
export async function incidentFixtureReport(): Promise<DriftReport> {
  const run = await runCli([
    "check",
    "--manifest",
    repoPath("fixtures/incident/manifest.yaml"),
    "--live",
    repoPath("fixtures/incident/live.yaml"),
    "-o",
    "json",
  ]);
  if (run.code !== 2)
    throw new Error(`fixture changed: the incident check exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as DriftReport;
}

/** The incident's drifted AutoscalingRunnerSet from the sample report, to copy into generated reports. */
export function driftedSample(): ResourceReport {
  const found = sampleReports.incident.releases[0]?.resources.find((r) => r.status === "Drifted");
  if (!found) throw new Error("sample changed: the incident has no drifted resource");
  return found;
}

/** A copy of `report` with `name` (and `kind`) of every release and resource replaced by `text` appended. */
export function withNames(report: DriftReport, text: string): DriftReport {
  const copy = structuredClone(report);
  for (const release of copy.releases) {
    release.name = `${release.name ?? ""}${text}`;
    for (const resource of release.resources) {
      resource.name = `${resource.name}${text}`;
      resource.kind = `${resource.kind}${text}`;
      if (resource.source !== null) resource.source = `${resource.source}${text}`;
    }
  }
  return copy;
}
