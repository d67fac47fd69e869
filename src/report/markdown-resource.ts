import {
  diffLinesLeftOutText,
  explanationText,
  findingMessage,
  healAnswerText,
  leftAloneText,
  remediationReasonText,
  resourceReasonText,
  stepDescription,
} from "../catalogue/messages.js";
import type { Finding } from "../model/finding.js";
import { formatIdentity } from "../model/kube.js";
import type { RemediationAction, RemediationPlan } from "../model/remediation.js";
import type { ResourceReport } from "../model/report.js";
import { fencedBlock, htmlText, inlineCode, markdownText } from "./markdown-escape.js";
import { printedCommand } from "./text-remediation.js";
import { formatValue, resourceStatusPhrase, shownDiff } from "./text-values.js";

/** Most diff lines in a Markdown report: a comment has room for far less than a terminal. */
export const MAX_MARKDOWN_DIFF_LINES = 120;

/** Where the JSON report holds the steps of a plan (`jq` path), for the line that replaces a long command. */
const PLAN_STEPS = ".releases[].resources[].remediation";

/**
 * One drifted, missing or unreadable resource as a collapsible `<details>` block: its findings with both
 * values (cut as the text report cuts them), why, whether an upgrade heals it, the repair steps with their
 * commands, and the diff. The summary line is raw HTML (escaped with `htmlText`); the body is Markdown.
 */
export function resourceDetails(resource: ResourceReport): string[] {
  const reason = resource.reason ? resourceReasonText(resource.reason, resource) : undefined;
  const sections = [
    resource.source ? [`Source: ${inlineCode(resource.source)}`] : [],
    findingLines(resource, reason),
    explanationLines(resource),
    healLines(resource),
    resource.remediation ? remediationLines(resource.remediation) : [],
    diffLines(resource.diff),
  ].filter((lines) => lines.length > 0);
  return [
    "<details>",
    `<summary>${summary(resource, reason)}</summary>`,
    "",
    ...sections.flatMap((lines) => [...lines, ""]),
    "</details>",
  ];
}

function summary(resource: ResourceReport, reason: string | undefined): string {
  const icon = resource.status === "Unreadable" ? "!" : "✗";
  const detail = resourceStatusPhrase(resource, reason);
  return `${icon} <b>${htmlText(formatIdentity(resource))}</b> — ${htmlText(detail)}`;
}

function findingLines(resource: ResourceReport, reason: string | undefined): string[] {
  if (resource.findings.length === 0) return reason ? [markdownText(reason)] : [];
  return resource.findings.flatMap((finding) => findingItem(finding, resource, reason));
}

/** `- **CRITICAL** `path` — message`, then the values and who changed the field as a nested list. */
function findingItem(finding: Finding, resource: ResourceReport, reason: string | undefined): string[] {
  const message = findingMessage(finding, resource);
  const path = finding.path === "" ? markdownText("(whole object)") : inlineCode(finding.path);
  const said = message === reason ? "" : ` — ${markdownText(message)}`;
  const lines = [`- **${finding.severity.toUpperCase()}** ${path}${said}`];
  if (!isAbsent(finding.desired) || !isAbsent(finding.live)) {
    lines.push(`  - rendered: ${inlineCode(formatValue(finding.desired))}`);
    lines.push(`  - live: ${inlineCode(formatValue(finding.live))}`);
  }
  if (finding.owner) {
    const { manager, operation, time, subresource } = finding.owner;
    const via = subresource ? `, subresource ${subresource}` : "";
    lines.push(
      `  - changed by ${inlineCode(manager)} (${markdownText(`${operation}${via}, ${time ?? "time unknown"}`)})`,
    );
  }
  return lines;
}

function explanationLines(resource: ResourceReport): string[] {
  if (resource.explanations.length === 0) return [];
  return [
    "**Why:**",
    "",
    ...resource.explanations.map((explanation) => `- ${markdownText(explanationText(explanation))}`),
  ];
}

function healLines(resource: ResourceReport): string[] {
  const heals = resource.healsOnUpgrade;
  if (heals === null && resource.status !== "Drifted") return [];
  return [`**Heals on next helm upgrade:** ${healAnswerText(heals, resource.findings)}`];
}

function remediationLines(plan: RemediationPlan): string[] {
  const lines = [
    `**Fix (${plan.strategy}):** ${markdownText(remediationReasonText(plan.reason))}`,
    "",
    ...stepLines(plan.steps, `${PLAN_STEPS}.steps`),
  ];
  if (plan.leavesAlone.length > 0) {
    lines.push("", "Leaves alone:", "");
    for (const field of plan.leavesAlone) {
      lines.push(`- ${inlineCode(field.path)}: ${markdownText(leftAloneText(field.rule))}`);
    }
  }
  plan.alternatives.forEach((alternative, a) => {
    const reason = markdownText(remediationReasonText(alternative.reason));
    lines.push("", `**Alternative (${alternative.strategy}):** ${reason}`, "");
    lines.push(...stepLines(alternative.steps, `${PLAN_STEPS}.alternatives[${a}].steps`));
  });
  return lines;
}

/** Numbered steps, each with its command in a `sh` block inside the list item, exactly as the text report has it. */
function stepLines(steps: RemediationAction[], jsonSteps: string): string[] {
  return steps.flatMap((step, i) => {
    const number = `${i + 1}. `;
    const indent = " ".repeat(number.length);
    const command = printedCommand(step, `${jsonSteps}[${i}].command`).split("\n");
    return [`${number}${markdownText(stepDescription(step, steps))}`, ...fencedBlock("sh", command, indent)];
  });
}

/** The unified diff in a `diff` block: lines cut as the text report cuts them, at most MAX_MARKDOWN_DIFF_LINES. */
function diffLines(diff: string | null | undefined): string[] {
  if (!diff) return [];
  const { lines, left } = shownDiff(diff, MAX_MARKDOWN_DIFF_LINES);
  const more = left > 0 ? ["", markdownText(diffLinesLeftOutText(left))] : [];
  return ["**Diff:**", "", ...fencedBlock("diff", lines), ...more];
}

function isAbsent(value: unknown): boolean {
  return value === null || value === undefined;
}
