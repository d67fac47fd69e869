import type { Severity } from "../model/finding.js";

/*
 * The words of the notifications `helm-drift report` sends (src/schedule/webhook-payload.ts): the Slack message's
 * header, fallback line, labels and closing lines. Finding messages and repair commands come from the main
 * catalogue (messages.ts) and the reporters; this file holds only what a notification adds. Data goes in as it
 * is: the Slack builder escapes the returned text (these words hold no `&`, `<` or `>` of their own).
 */

/** `1 finding`, `3 findings`. */
function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** How many findings a notification tells about, by kind of change. */
export interface ChangeCounts {
  new: number;
  reminded: number;
  resolved: number;
}

/** `3 new drift findings, 2 still drifted, 1 resolved`; `no drift changes` when all are 0. */
export function changeCountsText(counts: ChangeCounts): string {
  const parts = [
    ...(counts.new > 0 ? [counted(counts.new, "new drift finding")] : []),
    ...(counts.reminded > 0 ? [`${counts.reminded} still drifted`] : []),
    ...(counts.resolved > 0 ? [`${counts.resolved} resolved`] : []),
  ];
  return parts.length === 0 ? "no drift changes" : parts.join(", ");
}

/** The Slack header (plain text, at most 150 characters): counts only, no data. */
export function notificationHeaderText(counts: ChangeCounts): string {
  return `helm-drift: ${changeCountsText(counts)}`;
}

/**
 * The one-line message a chat shows where it cannot show blocks (notifications, previews):
 * `helm-drift: 3 new drift findings, 1 resolved in cluster prod-eu`.
 */
export function notificationFallbackText(counts: ChangeCounts, cluster: string | null): string {
  return `${notificationHeaderText(counts)}${cluster === null ? "" : ` in cluster ${cluster}`}`;
}

/** The context line under the header: which cluster, whether this is a first run, what was not repeated. */
export function notificationContextText(cluster: string | null, firstRun: boolean, standing: number): string {
  const parts = [
    cluster === null ? "Cluster: (unnamed)" : `Cluster: ${cluster}`,
    ...(firstRun ? ["first run: every finding is reported as new"] : []),
    ...(standing > 0 ? [`${counted(standing, "standing finding")} not repeated`] : []),
  ];
  return parts.join(" · ");
}

/** Whether a finding is told about for the first time or repeated. */
export type ChangeKind = "new" | "reminded";

const CHANGE_LABELS: Record<ChangeKind, string> = {
  new: "New",
  reminded: "Still drifted",
};

export function changeLabel(kind: ChangeKind): string {
  return CHANGE_LABELS[kind];
}

export const SEVERITY_LABELS: Record<Severity, string> = {
  critical: "CRITICAL",
  high: "HIGH",
  medium: "MEDIUM",
  low: "LOW",
  info: "INFO",
};

/** The labels of a finding's fields in the Slack message. */
export const FINDING_FIELD_LABELS = {
  release: "Release",
  object: "Object",
  path: "Path",
  severity: "Severity",
} as const;

/** A finding whose path is empty concerns the whole object (a missing object). */
export const WHOLE_OBJECT_PATH = "(whole object)";

/** A finding the notification could not find in the report (it has no message then). */
export const NO_MESSAGE_TEXT = "(not in this run's report)";

/** Above the first command of an object's repair plan: `First repair step (1 of 5):`. */
export function firstRepairStepText(steps: number): string {
  return `First repair step (1 of ${steps}):`;
}

/**
 * In place of a command that holds three backticks in a row: inside a Slack code block they would end the
 * block, and Slack has no way to escape them.
 */
export function commandNotShownInSlackText(jsonPath: string): string {
  return `Command not shown: it contains three backticks in a row, which would end the code block; take it from the job's JSON report: ${jsonPath}`;
}

/** Title of the list of resolved findings: `Resolved (3):`. */
export function resolvedTitleText(count: number): string {
  return `Resolved (${count}):`;
}

/**
 * One line of the resolved list. The pieces come formatted (escaped, in code spans) by the Slack builder:
 * `` `Deployment/shop/web` `spec.replicas` (release `shop/web`, high) ``.
 */
export function resolvedLineText(object: string, path: string, release: string, severity: Severity): string {
  return `• ${object} ${path} (release ${release}, ${severity})`;
}

/** The last line of a resolved list cut short. */
export function moreResolvedText(count: number): string {
  return `… and ${count} more resolved`;
}

/** The context block that ends a message that could not list every finding. */
export function moreFindingsText(count: number): string {
  return `and ${counted(count, "more finding")}: see the job's JSON report`;
}
