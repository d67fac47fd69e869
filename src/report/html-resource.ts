import {
  diffLinesLeftOutText,
  explanationText,
  findingMessage,
  HTML_REPORT_TEXT,
  healAnswerText,
  ignoreReasonText,
  leftAloneText,
  remediationReasonText,
  resourceReasonText,
  stepDescription,
} from "../catalogue/messages.js";
import { type Finding, type Severity, severityRank } from "../model/finding.js";
import { formatIdentity } from "../model/kube.js";
import type { RemediationAction, RemediationPlan } from "../model/remediation.js";
import type { ResourceReport } from "../model/report.js";
import { htmlPreLines, htmlProse, htmlText } from "./html-escape.js";
import { printedCommand } from "./text-remediation.js";
import { formatValue, resourceStatusPhrase, shownDiff } from "./text-values.js";

/** Where the JSON report holds the steps of a plan (`jq` path), for the line that replaces a long command. */
const PLAN_STEPS = ".releases[].resources[].remediation";

/**
 * One drifted, missing or unreadable resource as a collapsible `<details>`: its findings (each with its
 * severity in `data-severity`, which the page's filter hides by), both values cut as the text report cuts them,
 * why, whether an upgrade heals it, the repair steps with their commands, the ignored findings and the diff.
 * The `<details>` carries its most severe finding's severity; one without findings (unreadable) carries none
 * and is never hidden. It opens on its own when that severity is critical or high, or when it could not be
 * read: what pages someone is on screen at once, the rest one click away. Every piece of data goes through
 * html-escape.ts.
 */
function opensOnItsOwn(top: ReturnType<typeof topSeverity>): boolean {
  return top === null || top === "critical" || top === "high";
}

export function resourceDetails(resource: ResourceReport): string[] {
  const reason = resource.reason ? resourceReasonText(resource.reason, resource) : undefined;
  const top = topSeverity(resource.findings);
  const sections = [
    resource.source ? [`<p>Source: <code>${htmlText(resource.source)}</code></p>`] : [],
    findingLines(resource, reason),
    explanationLines(resource),
    healLines(resource),
    resource.remediation ? remediationLines(resource.remediation) : [],
    ignoredLines(resource),
    diffLines(resource.diff),
  ];
  return [
    `<details class="resource"${top === null ? "" : ` data-severity="${top}"`}${opensOnItsOwn(top) ? " open" : ""}>`,
    `<summary>${summary(resource, reason)}</summary>`,
    ...sections.flat(),
    "</details>",
  ];
}

function topSeverity(findings: readonly Finding[]): Severity | null {
  let top: Severity | null = null;
  for (const { severity } of findings) {
    if (top === null || severityRank(severity) > severityRank(top)) top = severity;
  }
  return top;
}

function summary(resource: ResourceReport, reason: string | undefined): string {
  const icon = resource.status === "Unreadable" ? "!" : "✗";
  const detail = resourceStatusPhrase(resource, reason);
  return `${icon} <b>${htmlText(formatIdentity(resource))}</b> — ${htmlProse(detail)}`;
}

function findingLines(resource: ResourceReport, reason: string | undefined): string[] {
  if (resource.findings.length === 0) return reason ? [`<p>${htmlProse(reason)}</p>`] : [];
  return [
    '<ul class="findings">',
    ...resource.findings.flatMap((finding) => findingItem(finding, resource, reason)),
    "</ul>",
  ];
}

/** Badge, path, message (unless it only repeats the resource's reason), both values, who changed the field. */
function findingItem(finding: Finding, resource: ResourceReport, reason: string | undefined): string[] {
  const message = findingMessage(finding, resource);
  const path = finding.path === "" ? "(whole object)" : `<code>${htmlText(finding.path)}</code>`;
  const said = message === reason ? "" : ` — ${htmlProse(message)}`;
  const badge = `<span class="badge ${finding.severity}">${finding.severity.toUpperCase()}</span>`;
  const lines = [`<li data-severity="${finding.severity}">${badge} ${path}${said}`];
  if (!isAbsent(finding.desired) || !isAbsent(finding.live)) {
    lines.push(
      "<dl>",
      `<dt>rendered</dt><dd><code>${htmlText(formatValue(finding.desired))}</code></dd>`,
      `<dt>live</dt><dd><code>${htmlText(formatValue(finding.live))}</code></dd>`,
      "</dl>",
    );
  }
  if (finding.owner) {
    const { manager, operation, time, subresource } = finding.owner;
    const via = subresource ? `, subresource ${subresource}` : "";
    lines.push(
      `<p>changed by <code>${htmlText(manager)}</code> (${htmlText(`${operation}${via}, ${time ?? "time unknown"}`)})</p>`,
    );
  }
  lines.push("</li>");
  return lines;
}

function explanationLines(resource: ResourceReport): string[] {
  if (resource.explanations.length === 0) return [];
  return [
    "<h4>Why</h4>",
    "<ul>",
    ...resource.explanations.map((explanation) => `<li>${htmlProse(explanationText(explanation))}</li>`),
    "</ul>",
  ];
}

function healLines(resource: ResourceReport): string[] {
  if (resource.healsOnUpgrade === null && resource.status !== "Drifted") return [];
  const answer = healAnswerText(resource.healsOnUpgrade, resource.findings);
  return [`<p><b>Heals on next helm upgrade:</b> ${htmlText(answer)}</p>`];
}

function remediationLines(plan: RemediationPlan): string[] {
  const lines = [
    `<h4>Fix (${htmlText(plan.strategy)})</h4>`,
    `<p>${htmlProse(remediationReasonText(plan.reason))}</p>`,
    ...stepLines(plan.steps, `${PLAN_STEPS}.steps`),
  ];
  if (plan.leavesAlone.length > 0) {
    lines.push("<p>Leaves alone:</p>", "<ul>");
    for (const field of plan.leavesAlone) {
      lines.push(`<li><code>${htmlText(field.path)}</code>: ${htmlProse(leftAloneText(field.rule))}</li>`);
    }
    lines.push("</ul>");
  }
  plan.alternatives.forEach((alternative, a) => {
    lines.push(
      `<h4>Alternative (${htmlText(alternative.strategy)})</h4>`,
      `<p>${htmlProse(remediationReasonText(alternative.reason))}</p>`,
      ...stepLines(alternative.steps, `${PLAN_STEPS}.alternatives[${a}].steps`),
    );
  });
  return lines;
}

/** Numbered steps, each with its command in a `<pre>`, replaced as the text report replaces a long one. */
function stepLines(steps: RemediationAction[], jsonSteps: string): string[] {
  if (steps.length === 0) return [];
  return [
    '<ol class="steps">',
    ...steps.map((step, i) => {
      const command = htmlPreLines(printedCommand(step, `${jsonSteps}[${i}].command`));
      return `<li><p>${htmlProse(stepDescription(step, steps))}</p><pre><code>${command}</code></pre></li>`;
    }),
    "</ol>",
  ];
}

function ignoredLines(resource: ResourceReport): string[] {
  const ignored = resource.ignoredFindings ?? [];
  if (ignored.length === 0) return [];
  return [
    `<h4>${htmlText(HTML_REPORT_TEXT.ignored)}</h4>`,
    '<ul class="ignored">',
    ...ignored.map(({ finding, ignoredBy }) => {
      const path = finding.path === "" ? "(the whole object)" : `<code>${htmlText(finding.path)}</code>`;
      return `<li>${path} — ${htmlProse(ignoreReasonText(ignoredBy))}</li>`;
    }),
    "</ul>",
  ];
}

/** The unified diff in a `<pre>`, lines cut as the text report cuts them, each styled by its first character. */
function diffLines(diff: string | null | undefined): string[] {
  if (!diff) return [];
  const { lines, left } = shownDiff(diff);
  const shown = lines.map((text) => {
    const kind = diffLineClass(text);
    return kind === null ? htmlText(text) : `<span class="${kind}">${htmlText(text)}</span>`;
  });
  const more = left > 0 ? [`<p>${htmlText(diffLinesLeftOutText(left))}</p>`] : [];
  return ["<h4>Diff</h4>", `<pre class="diff">${shown.join("\n")}</pre>`, ...more];
}

function diffLineClass(line: string): string | null {
  if (line.startsWith("+++") || line.startsWith("---")) return "file";
  if (line.startsWith("@@")) return "hunk";
  if (line.startsWith("+")) return "add";
  if (line.startsWith("-")) return "del";
  return null;
}

function isAbsent(value: unknown): boolean {
  return value === null || value === undefined;
}
