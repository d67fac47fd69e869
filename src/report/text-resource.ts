import {
  diffLinesLeftOutText,
  explanationText,
  findingMessage,
  healAnswerText,
  ignoreReasonText,
  resourceReasonText,
} from "../catalogue/messages.js";
import type { Explanation } from "../explain/explanation.js";
import type { Finding } from "../model/finding.js";
import { formatIdentity } from "../model/kube.js";
import type { ResourceReport } from "../model/report.js";
import { terminalSafe } from "./terminal-safe.js";
import { remediationLines } from "./text-remediation.js";
import type { TextStyle } from "./text-style.js";
import { formatValue, hanging, resourceStatusPhrase, shownDiff } from "./text-values.js";

const RESOURCE = "  ";
const DETAIL = "    ";
/** Width of the severity column: `CRITICAL` plus two spaces. */
const BADGE_WIDTH = 10;
const FINDING_TEXT = `${DETAIL}${" ".repeat(BADGE_WIDTH)}`;

/** One line for a resource that is in sync (listed only in verbose mode). */
export function inSyncLine(resource: ResourceReport, style: TextStyle): string {
  const source = resource.source ? ` ${style.faint(`(${resource.source})`)}` : "";
  return `${RESOURCE}${style.ok("✓")} ${terminalSafe(formatIdentity(resource))} — InSync${source}`;
}

/** `ignored  spec.replicas — ignored by .helm-drift.yaml ignore[0] (path "/spec/replicas")`, one per ignored finding. */
export function ignoredLines(resource: ResourceReport, style: TextStyle): string[] {
  return (resource.ignoredFindings ?? []).flatMap(({ finding, ignoredBy }) =>
    hanging(
      `${DETAIL}${style.faint("ignored".padEnd(BADGE_WIDTH))}`,
      FINDING_TEXT,
      `${finding.path === "" ? "(the whole object)" : finding.path} — ${ignoreReasonText(ignoredBy)}`,
    ),
  );
}

/** A drifted, missing or unreadable resource: what differs, why, whether an upgrade heals it, the fix, the diff. */
export function resourceBlock(resource: ResourceReport, style: TextStyle): string[] {
  const reason = resource.reason ? resourceReasonText(resource.reason, resource) : undefined;
  const sections = [
    headerLines(resource, reason, style),
    ...resource.findings.map((finding) => findingLines(finding, resource, reason, style)),
    explanationLines(resource.explanations, style),
    healLines(resource, style),
    resource.remediation ? remediationLines(resource.remediation, DETAIL, style) : [],
    diffLines(resource.diff, style),
  ];
  return sections
    .filter((lines) => lines.length > 0)
    .flatMap((lines, i) => (i === 0 ? lines : ["", ...lines]));
}

function headerLines(resource: ResourceReport, reason: string | undefined, style: TextStyle): string[] {
  const icon = resource.status === "Unreadable" ? style.warn("!") : style.drift("✗");
  const detail = resourceStatusPhrase(resource, reason);
  const lines = hanging(
    `${RESOURCE}${icon} ${style.strong(formatIdentity(resource))} — `,
    `${DETAIL}`,
    detail,
  );
  if (resource.source) lines.push(`${DETAIL}${style.faint("source:")} ${terminalSafe(resource.source)}`);
  return lines;
}

/** Badge and path, the message (unless it only repeats the resource's reason), both values, the owner. */
function findingLines(
  finding: Finding,
  resource: ResourceReport,
  reason: string | undefined,
  style: TextStyle,
): string[] {
  const message = findingMessage(finding, resource);
  const label = finding.severity.toUpperCase();
  const badge = `${style.severity[finding.severity](label)}${" ".repeat(BADGE_WIDTH - label.length)}`;
  const lines = [`${DETAIL}${badge}${finding.path === "" ? "(whole object)" : terminalSafe(finding.path)}`];
  if (message !== reason) lines.push(...hanging(FINDING_TEXT, FINDING_TEXT, message));
  if (!isAbsent(finding.desired) || !isAbsent(finding.live)) {
    lines.push(`${FINDING_TEXT}${style.faint("rendered:")} ${formatValue(finding.desired)}`);
    lines.push(`${FINDING_TEXT}${style.faint("live:")}     ${formatValue(finding.live)}`);
  }
  if (finding.owner) {
    const { manager, operation, time, subresource } = finding.owner;
    const via = subresource ? `, subresource ${subresource}` : "";
    const owner = `${manager} (${operation}${via}, ${time ?? "time unknown"})`;
    lines.push(`${FINDING_TEXT}${style.faint("changed by")} ${terminalSafe(owner)}`);
  }
  return lines;
}

function explanationLines(explanations: Explanation[], style: TextStyle): string[] {
  if (explanations.length === 0) return [];
  return [
    `${DETAIL}${style.strong("Why:")}`,
    ...explanations.flatMap((explanation) =>
      hanging(`${DETAIL}  - `, `${DETAIL}    `, explanationText(explanation)),
    ),
  ];
}

function healLines(resource: ResourceReport, style: TextStyle): string[] {
  const heals = resource.healsOnUpgrade;
  if (heals === null && resource.status !== "Drifted") return [];
  return [`${DETAIL}${style.strong("Heals on next helm upgrade:")} ${healAnswer(resource, style)}`];
}

/** The catalogue's answer, its verdict word coloured: yes as in sync, partly as a warning, no as drift. */
function healAnswer(resource: ResourceReport, style: TextStyle): string {
  return healAnswerText(resource.healsOnUpgrade, resource.findings, (verdict, word) =>
    verdict === "yes" ? style.ok(word) : verdict === "partly" ? style.warn(word) : style.drift(word),
  );
}

/**
 * The core's unified diff, indented, each line made terminal-safe and cut when long; +/- lines coloured when
 * colour is on. A diff longer than MAX_DIFF_LINES ends with a line saying how many were left out.
 */
function diffLines(diff: string | null | undefined, style: TextStyle): string[] {
  if (!diff) return [];
  const { lines, left } = shownDiff(diff);
  const shown = lines.map((text) => (text === "" ? "" : `${DETAIL}  ${paintDiffLine(text, style)}`));
  if (left > 0) shown.push(`${DETAIL}  ${style.faint(diffLinesLeftOutText(left))}`);
  return [`${DETAIL}${style.strong("Diff:")}`, ...shown];
}

function paintDiffLine(line: string, style: TextStyle): string {
  if (line.startsWith("+++") || line.startsWith("---")) return style.strong(line);
  if (line.startsWith("@@")) return style.hunk(line);
  if (line.startsWith("+")) return style.added(line);
  if (line.startsWith("-")) return style.removed(line);
  return line;
}

function isAbsent(value: unknown): boolean {
  return value === null || value === undefined;
}
