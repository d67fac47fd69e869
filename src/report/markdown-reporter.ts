import { newerRevisionText, resourcesLeftOutText } from "../catalogue/messages.js";
import { severityRank } from "../model/finding.js";
import type { DriftReport, ReleaseReport, ResourceReport } from "../model/report.js";
import { inlineCode, markdownText } from "./markdown-escape.js";
import { resourceDetails } from "./markdown-resource.js";
import { countBySeverity, findingsPhrase, plural, summaryColumns } from "./text-values.js";

/**
 * GitHub's limit on a comment body (an issue or PR comment), in characters. The report is kept below it in
 * UTF-8 bytes, which are never fewer than characters, so it fits however GitHub counts.
 */
export const MARKDOWN_MAX_LENGTH = 65_536;

/** A part of the document: the fixed frame, or a resource's details, which may be left out to fit. */
interface Part {
  lines: string[];
  /** null: always kept; else how important the resource is (higher is kept longer). */
  rank: number | null;
}

/**
 * The report as GitHub-flavoured Markdown, for a PR comment or `$GITHUB_STEP_SUMMARY`: a summary table, then
 * per release a heading and one collapsible `<details>` per drifted, missing or unreadable resource.
 *
 * When the whole document would reach `maxLength` (default MARKDOWN_MAX_LENGTH), the details of the least
 * severe resources are left out first, and a last line says how many and that -o json has the whole report.
 * Every piece of data is escaped on its way in (markdown-escape.ts).
 */
export function renderMarkdown(report: DriftReport, maxLength = MARKDOWN_MAX_LENGTH): string {
  const parts: Part[] = [{ lines: summaryLines(report), rank: null }];
  let order = 0;
  for (const release of report.releases) {
    parts.push({ lines: releaseLines(release), rank: null });
    for (const resource of release.resources) {
      if (resource.status === "InSync") continue;
      // Ties: the later resource goes first, so a cut report keeps the top of each release.
      parts.push({ lines: ["", ...resourceDetails(resource)], rank: importance(resource) * 1e6 - order++ });
    }
  }
  return fitted(parts, maxLength);
}

/** Drops the lowest-ranked details until the document is under `maxLength` bytes, then ends it with the note. */
function fitted(parts: Part[], maxLength: number): string {
  const sizes = parts.map((part) => byteLength(joined(part.lines)));
  let total = sizes.reduce((sum, size) => sum + size, 0);
  const droppable = parts
    .map((part, i) => ({ rank: part.rank, i }))
    .filter((entry): entry is { rank: number; i: number } => entry.rank !== null)
    .sort((a, b) => a.rank - b.rank);
  const note = (count: number) => ["", `> ${markdownText(resourcesLeftOutText(count, maxLength))}`];
  // The note's own length, reserved for the longest count it can hold.
  const reserve = byteLength(joined(note(droppable.length)));
  const dropped = new Set<number>();
  if (total >= maxLength) {
    for (const { i } of droppable) {
      if (total + reserve < maxLength) break;
      dropped.add(i);
      total -= sizes[i] ?? 0;
    }
  }
  const lines = parts.flatMap((part, i) => (dropped.has(i) ? [] : part.lines));
  if (dropped.size > 0) lines.push(...note(dropped.size));
  return joined(lines);
}

function summaryLines(report: DriftReport): string[] {
  const { summary } = report;
  const columns = summaryColumns(summary);
  return [
    "## helm-drift report",
    "",
    `| ${columns.map(([name]) => name).join(" | ")} |`,
    `|${columns.map(() => "---:").join("|")}|`,
    `| ${columns.map(([, count]) => String(count)).join(" | ")} |`,
  ];
}

/** `### ✗ Release `web` — Drifted`, the release's namespace, chart and Flux owner, a newer revision, an error. */
function releaseLines(release: ReleaseReport): string[] {
  const icon = release.status === "InSync" ? "✓" : release.status === "Drifted" ? "✗" : "!";
  const name = release.name === null ? markdownText("(unnamed)") : inlineCode(release.name);
  const details = [
    release.namespace === null ? null : `namespace ${inlineCode(release.namespace)}`,
    release.revision === null ? null : `revision ${release.revision}`,
    release.chart === null ? null : `chart ${inlineCode(release.chart)}`,
    release.flux ? `Flux HelmRelease ${inlineCode(`${release.flux.namespace}/${release.flux.name}`)}` : null,
  ].filter((detail) => detail !== null);
  const lines = ["", `### ${icon} Release ${name} — ${release.status}`, ""];
  if (details.length > 0) lines.push(details.join(" · "), "");
  if (release.newerRevision) {
    lines.push(
      `> ${markdownText(newerRevisionText({ ...release, newerRevision: release.newerRevision }))}`,
      "",
    );
  }
  if (release.status === "Error") {
    lines.push(`**Error:** ${markdownText(release.error ?? "")}`);
  } else {
    lines.push(countsLine(release.resources));
  }
  return lines;
}

/** `4 resources: 1 drifted, 0 missing, 0 unreadable; 4 findings (1 critical, 3 high)`. */
function countsLine(resources: readonly ResourceReport[]): string {
  const count = (status: ResourceReport["status"]) => resources.filter((r) => r.status === status).length;
  const findings = resources.flatMap((resource) => resource.findings);
  const statuses = `${count("Drifted")} drifted, ${count("Missing")} missing, ${count("Unreadable")} unreadable`;
  return `${plural(resources.length, "resource")}: ${statuses}; ${findingsPhrase(findings.length, countBySeverity(findings))}`;
}

/** A resource's most severe finding; an unreadable one ranks with critical (the check is incomplete without it). */
function importance(resource: ResourceReport): number {
  if (resource.status === "Unreadable") return severityRank("critical");
  return Math.max(0, ...resource.findings.map((finding) => severityRank(finding.severity)));
}

function joined(lines: readonly string[]): string {
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
