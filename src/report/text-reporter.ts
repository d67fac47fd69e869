import { desiredFromText, fluxIgnoreText, newerRevisionText } from "../catalogue/messages.js";
import type { DriftReport, ReleaseReport, ResourceStatus } from "../model/report.js";
import { terminalSafe } from "./terminal-safe.js";
import { ignoredLines, inSyncLine, resourceBlock } from "./text-resource.js";
import { type TextStyle, textStyle } from "./text-style.js";
import { countBySeverity, findingsPhrase, hanging, plural } from "./text-values.js";

export interface TextOptions {
  /** ANSI colours on or off; decided by the caller (TTY, NO_COLOR, --color), never here. */
  color: boolean;
  /** Also list the resources that are in sync, one line each. */
  verbose?: boolean;
  /** List ignored findings with what ignored them (`--show-ignored`); they are always counted. */
  showIgnored?: boolean;
}

/**
 * The report for people: per release a summary line, then every drifted, missing or unreadable resource
 * with its findings, explanations, remediation and diff; a totals line at the end, and for a cluster check where
 * the rendered manifests were read.
 *
 * Everything taken from the report (names, paths, values, helm's messages, the catalogue's sentences that
 * embed them) is made `terminalSafe` on its way into a line, and only then coloured, so a crafted object
 * name or annotation cannot drive the terminal; the newlines are the reporter's own.
 */
export function renderText(report: DriftReport, options: TextOptions): string {
  const style = textStyle(options.color);
  const lines: string[] = [];
  if (report.releases.length === 0) lines.push("No releases checked.", "");
  for (const release of report.releases) {
    lines.push(...releaseLines(release, options, style), "");
  }
  lines.push(totalsLine(report, style));
  if (report.desiredFrom !== undefined) lines.push(desiredFromText(report.desiredFrom));
  return `${lines.join("\n")}\n`;
}

function releaseLines(release: ReleaseReport, options: TextOptions, style: TextStyle): string[] {
  const lines = releaseSummary(release, style);
  const showIgnored = options.showIgnored === true;
  let previousWasLine = false;
  for (const resource of release.resources) {
    const ignored = showIgnored ? ignoredLines(resource, style) : [];
    if (resource.status === "InSync" && ignored.length > 0) {
      lines.push("", inSyncLine(resource, style), ...ignored);
      previousWasLine = false;
    } else if (resource.status === "InSync") {
      if (options.verbose !== true) continue;
      if (!previousWasLine) lines.push("");
      lines.push(inSyncLine(resource, style));
      previousWasLine = true;
    } else {
      lines.push("", ...resourceBlock(resource, style), ...(ignored.length > 0 ? ["", ...ignored] : []));
      previousWasLine = false;
    }
  }
  return lines;
}

/** `✗ release arc-runners (ns arc-runners, rev 3, chart …): Drifted — 1 of 4 resources drifted, 4 findings (…)` */
function releaseSummary(release: ReleaseReport, style: TextStyle): string[] {
  const details = [
    release.namespace === null ? null : `ns ${release.namespace}`,
    release.revision === null ? null : `rev ${release.revision}`,
    release.chart === null ? null : `chart ${release.chart}`,
    release.flux ? `flux HelmRelease ${release.flux.namespace}/${release.flux.name}` : null,
  ]
    .filter((detail) => detail !== null)
    .map(terminalSafe);
  const name = `release ${style.strong(release.name ?? "(unnamed)")}${details.length > 0 ? ` (${details.join(", ")})` : ""}`;
  const newer = [
    ...(release.newerRevision
      ? hanging(
          `  ${style.warn("!")} `,
          "    ",
          newerRevisionText({ ...release, newerRevision: release.newerRevision }),
        )
      : []),
    ...fluxIgnoreLines(release, style),
  ];
  switch (release.status) {
    case "Error":
      return hanging(`${style.error("!")} ${name}: ${style.error("Error")}: `, "  ", release.error ?? "");
    case "InSync":
      return [`${style.ok("✓")} ${name}: ${style.ok("InSync")} — ${countsPhrase(release)}`, ...newer];
    case "Drifted":
      return [`${style.drift("✗")} ${name}: ${style.drift("Drifted")} — ${countsPhrase(release)}`, ...newer];
    case "Incomplete":
      // Some objects could not be read: never a ✓, whatever the others say.
      return [`${style.warn("!")} ${name}: ${style.warn("Incomplete")} — ${countsPhrase(release)}`, ...newer];
  }
}

/**
 * A note when the managing HelmRelease's ignore rules could not be read for lack of permission. A HelmRelease
 * that is not there (an offline check whose live file does not hold it) is only in the JSON: it is no news.
 */
function fluxIgnoreLines(release: ReleaseReport, style: TextStyle): string[] {
  if (release.fluxIgnore?.status !== "forbidden" || !release.flux) return [];
  return hanging(`  ${style.warn("!")} `, "    ", fluxIgnoreText(release.fluxIgnore, release.flux) ?? "");
}

/** `1 of 4 resources drifted, 1 missing, 4 findings (1 critical, 3 high)`; `4 resources in sync`. */
function countsPhrase(release: ReleaseReport): string {
  const resources = release.resources;
  const count = (status: ResourceStatus) => resources.filter((resource) => resource.status === status).length;
  const total = plural(resources.length, "resource");
  const inSync = count("InSync");
  const counts: [number, string][] = [
    [count("Drifted"), "drifted"],
    [count("Missing"), "missing"],
    [count("Unreadable"), "unreadable"],
  ];
  const shown = counts.filter(([n]) => n > 0);
  if (release.status === "InSync") shown.unshift([inSync, "in sync"]);
  const parts = shown.map(([n, label], i) => {
    if (i > 0) return `${n} ${label}`;
    return n === resources.length ? `${total} ${label}` : `${n} of ${total} ${label}`;
  });
  const findings = resources.flatMap((resource) => resource.findings);
  if (release.status !== "InSync" || findings.length > 0) {
    parts.push(findingsPhrase(findings.length, countBySeverity(findings)));
  }
  const ignored = resources.reduce((sum, resource) => sum + (resource.ignoredFindings?.length ?? 0), 0);
  if (ignored > 0) parts.push(`${ignored} ignored`);
  return parts.join(", ");
}

function totalsLine(report: DriftReport, style: TextStyle): string {
  const { summary } = report;
  return [
    `${style.strong("Total:")} ${plural(summary.releases, "release")}`,
    plural(summary.resources, "resource"),
    `${summary.drifted} drifted`,
    `${summary.missing} missing`,
    findingsPhrase(summary.findings, summary.bySeverity, true),
    ...(summary.ignored > 0 ? [`${summary.ignored} ignored`] : []),
  ].join(", ");
}
