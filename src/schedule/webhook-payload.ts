import { commandTooLongText, findingMessage } from "../catalogue/messages.js";
import {
  type ChangeCounts,
  type ChangeKind,
  changeLabel,
  commandNotShownInSlackText,
  FINDING_FIELD_LABELS,
  firstRepairStepText,
  moreFindingsText,
  moreResolvedText,
  NO_MESSAGE_TEXT,
  notificationContextText,
  notificationFallbackText,
  notificationHeaderText,
  resolvedLineText,
  resolvedTitleText,
  SEVERITY_LABELS,
  WHOLE_OBJECT_PATH,
} from "../catalogue/notification-text.js";
import { sha256Prefix } from "../model/digest.js";
import { type FindingCode, type Severity, severityRank } from "../model/finding.js";
import { formatIdentity } from "../model/kube.js";
import type { DriftReport, ReportSummary } from "../model/report.js";
import { terminalSafe } from "../report/terminal-safe.js";
import { printedCommand } from "../report/text-remediation.js";
import { cutLong } from "../report/text-values.js";
import type { DriftChanges, ResolvedFinding } from "./drift-changes.js";
import type { FindingRecord, ObjectKey, ReleaseKey } from "./finding-record.js";
import type { StoredFinding } from "./report-state.js";

/*
 * The bodies `helm-drift report` POSTs to a webhook: a generic, versioned JSON document
 * (schema/notification.schema.json) and a Slack incoming-webhook message. Pure: the report and the changes
 * in, a JSON value out; the Notifier sends it. Neither carries a finding's `desired` or `live` fields: only
 * codes, paths, severities, the catalogue's message and the first command of the object's repair plan, printed
 * as the text report prints it (src/report/text-remediation.ts). Those two may quote a value of another kind
 * (an image, a replica count), as every report does; never a Secret's: the report's values are already masked,
 * the catalogue says only that a Secret's value differs, and a Secret's repair deletes or re-applies it.
 */

export interface NotificationInput {
  report: DriftReport;
  changes: DriftChanges;
  /** A display name for the cluster (`--cluster-name`); null when none was given. */
  cluster: string | null;
}

export const NOTIFICATION_API_VERSION = "helm-drift/notification/v1";

/** A finding told about (new or repeated), as the JSON notification carries it. */
export interface NotifiedFinding {
  release: ReleaseKey;
  object: ObjectKey;
  code: FindingCode;
  path: string;
  severity: Severity;
  fingerprint: string;
  /** The catalogue's words for the finding; null when it is not in the report (it always is, for a run's own). */
  message: string | null;
  /** The first step of the object's repair plan as a command (or the line that replaces it); null: no plan. */
  repair: string | null;
  /** How many steps the plan has; `repair` is only the first. 0 when there is no plan. */
  repairSteps: number;
}

/** A finding reported before and not now. */
export interface ResolvedNotice {
  release: ReleaseKey;
  object: ObjectKey;
  code: FindingCode;
  path: string;
  severity: Severity;
  /** The fingerprint the finding was reported under. */
  fingerprint: string;
}

export interface JsonNotification {
  apiVersion: typeof NOTIFICATION_API_VERSION;
  kind: "DriftNotification";
  /** When the run's check ran: the report's generatedAt. */
  generatedAt: string;
  cluster: string | null;
  summary: ReportSummary;
  changes: {
    firstRun: boolean;
    new: NotifiedFinding[];
    resolved: ResolvedNotice[];
    reminded: NotifiedFinding[];
    standing: number;
  };
}

/** Where the JSON report holds the command `repair` is the first step of (a jq path). */
const FIRST_STEP_COMMAND = ".releases[].resources[].remediation.steps[0].command";

/** The generic JSON notification (schema/notification.schema.json). */
export function jsonWebhookPayload(input: NotificationInput): JsonNotification {
  const { report, changes } = input;
  const lookup = findingLookup(report);
  return {
    apiVersion: NOTIFICATION_API_VERSION,
    kind: "DriftNotification",
    generatedAt: report.generatedAt,
    cluster: input.cluster,
    summary: report.summary,
    changes: {
      firstRun: changes.firstRun,
      new: changes.new.map((record) => notifiedFinding(record, lookup)),
      resolved: changes.resolved.map(resolvedNotice),
      reminded: changes.reminded.map((record) => notifiedFinding(record, lookup)),
      standing: changes.standing,
    },
  };
}

function notifiedFinding(record: FindingRecord, lookup: FindingLookup): NotifiedFinding {
  const told = toldFinding(record, lookup);
  return {
    release: record.release,
    object: record.object,
    code: record.code,
    path: record.path,
    severity: record.severity,
    fingerprint: record.fingerprint,
    message: told.message,
    repair: told.repair?.command ?? null,
    repairSteps: told.repair?.steps ?? 0,
  };
}

function resolvedNotice(stored: ResolvedFinding): ResolvedNotice {
  return {
    release: stored.release,
    object: stored.object,
    code: stored.code,
    path: stored.path,
    severity: stored.severity,
    fingerprint: stored.fingerprint,
  };
}

// --- What a record says: its message and its repair, from the report ---------------------------------------

interface Told {
  message: string | null;
  repair: { command: string; steps: number } | null;
}

type FindingLookup = ReadonlyMap<string, Told>;

/** The identity that a record and the report share: release, object, code and path. */
function identityKey(release: ReleaseKey, object: ObjectKey, code: FindingCode, path: string): string {
  return JSON.stringify([
    release.namespace,
    release.name,
    object.apiVersion,
    object.kind,
    object.namespace,
    object.name,
    code,
    path,
  ]);
}

/**
 * Each reported finding of a named release by identity, with its message and its object's first repair command.
 * Records come from the same report (src/schedule/finding-record.ts), so every record is found; the first
 * finding of an identity wins should two share one.
 */
function findingLookup(report: DriftReport): FindingLookup {
  const lookup = new Map<string, Told>();
  for (const release of report.releases) {
    if (release.name === null || release.namespace === null) continue;
    const key = { namespace: release.namespace, name: release.name };
    for (const resource of release.resources) {
      const first = resource.remediation?.steps[0];
      const repair =
        first === undefined || resource.remediation === null
          ? null
          : { command: printedCommand(first, FIRST_STEP_COMMAND), steps: resource.remediation.steps.length };
      for (const finding of resource.findings) {
        const id = identityKey(key, resource, finding.code, finding.path);
        if (!lookup.has(id)) lookup.set(id, { message: findingMessage(finding, resource), repair });
      }
    }
  }
  return lookup;
}

function toldFinding(record: FindingRecord, lookup: FindingLookup): Told {
  return (
    lookup.get(identityKey(record.release, record.object, record.code, record.path)) ?? {
      message: null,
      repair: null,
    }
  );
}

// --- Slack -------------------------------------------------------------------------------------------------

/**
 * Slack's limits, from its Block Kit reference (docs.slack.dev/reference/block-kit/…): at most 50 blocks in a
 * message (blocks); a header's plain text at most 150 characters (header-block); a section's text at most 3000,
 * its fields at most 10, each at most 2000 (section-block); a context block at most 10 elements, a text object
 * at most 3000 (context-block, text-object). `messageChars` is not documented: chat.postMessage refuses blocks
 * that add up to about 13,000 characters with `msg_blocks_too_long` (slackapi/bolt-js#2509), so the findings
 * stop well below that. Lengths are counted in UTF-16 units, never fewer than Slack's characters.
 */
export const SLACK_LIMITS = {
  blocks: 50,
  headerChars: 150,
  sectionChars: 3000,
  fields: 10,
  fieldChars: 2000,
  contextElements: 10,
  textChars: 3000,
  messageChars: 12_000,
} as const;

/** Longest command (escaped) shown in a code block; a longer one is replaced by its size and digest. */
const SLACK_COMMAND_CHARS = 1500;
/** Longest finding message (escaped) in a section. */
const SLACK_MESSAGE_CHARS = 1000;
/** Most resolved findings listed; the others are counted. */
const SLACK_RESOLVED_LISTED = 20;

export interface SlackText {
  type: "mrkdwn" | "plain_text";
  text: string;
  /** mrkdwn only: true keeps Slack from turning URLs and channel names in the data into links. */
  verbatim?: boolean;
}

export type SlackBlock =
  | { type: "header"; text: SlackText }
  | { type: "section"; text: SlackText; fields?: SlackText[] }
  | { type: "context"; elements: SlackText[] };

export interface SlackMessage {
  /** The fallback: shown in notifications and where blocks cannot be. */
  text: string;
  blocks: SlackBlock[];
}

/**
 * A Slack incoming-webhook message: a header with the counts, a context line (cluster, first run, standing),
 * one section per new or repeated finding — the catalogue's message, the first repair command in a code block,
 * and release, object, path and severity as fields — then one section listing the resolved findings.
 * Within Slack's limits (SLACK_LIMITS): the most severe findings are kept, and a context block says how many
 * more there are. Every data value is escaped (`&`, `<`, `>`, as Slack's formatting reference asks) after
 * control and bidi characters are made visible, and every mrkdwn text is `verbatim`, so no name or path forms
 * a link, a mention or a channel reference.
 */
export function slackWebhookPayload(input: NotificationInput): SlackMessage {
  const { changes, cluster } = input;
  const counts: ChangeCounts = {
    new: changes.new.length,
    reminded: changes.reminded.length,
    resolved: changes.resolved.length,
  };
  const head: SlackBlock[] = [
    { type: "header", text: { type: "plain_text", text: notificationHeaderText(counts) } },
    context(notificationContextText(cluster, changes.firstRun, changes.standing)),
  ];
  const tail: SlackBlock[] = changes.resolved.length > 0 ? [resolvedSection(changes.resolved)] : [];

  const lookup = findingLookup(input.report);
  const told = mostSevereFirst([
    ...changes.new.map((record) => ({ record, kind: "new" as const })),
    ...changes.reminded.map((record) => ({ record, kind: "reminded" as const })),
  ]);
  const room = SLACK_LIMITS.blocks - head.length - tail.length;
  // One block is kept for the closing "and K more" line when not every finding can have its own.
  const maxSections = told.length <= room ? told.length : room - 1;
  // Room is kept for that line too: it is never longer than with every finding left out.
  let chars = [...head, ...tail, context(moreFindingsText(told.length))].reduce(
    (sum, block) => sum + blockChars(block),
    0,
  );
  const sections: SlackBlock[] = [];
  for (const { record, kind } of told) {
    if (sections.length === maxSections) break;
    const section = findingSection(record, kind, lookup);
    chars += blockChars(section);
    if (chars > SLACK_LIMITS.messageChars) break;
    sections.push(section);
  }
  const left = told.length - sections.length;
  return {
    text: slackEscape(notificationFallbackText(counts, cluster)),
    blocks: [...head, ...sections, ...tail, ...(left > 0 ? [context(moreFindingsText(left))] : [])],
  };
}

/** Most severe first; among equals, new before repeated, each in the order the changes list them. */
function mostSevereFirst<T extends { record: FindingRecord }>(told: T[]): T[] {
  return told
    .map((item, index) => ({ item, index }))
    .sort(
      (a, b) =>
        severityRank(b.item.record.severity) - severityRank(a.item.record.severity) || a.index - b.index,
    )
    .map(({ item }) => item);
}

function findingSection(record: FindingRecord, kind: ChangeKind, lookup: FindingLookup): SlackBlock {
  const told = toldFinding(record, lookup);
  const message = fitted(told.message ?? NO_MESSAGE_TEXT, SLACK_MESSAGE_CHARS);
  const lines = [`*${changeLabel(kind)}* · ${message}`];
  if (told.repair !== null) lines.push(...repairLines(told.repair.command, told.repair.steps));
  return {
    type: "section",
    text: mrkdwn(lines.join("\n")),
    fields: [
      field(FINDING_FIELD_LABELS.release, code(`${record.release.namespace}/${record.release.name}`)),
      field(FINDING_FIELD_LABELS.object, code(formatIdentity(record.object))),
      field(FINDING_FIELD_LABELS.path, code(record.path === "" ? WHOLE_OBJECT_PATH : record.path)),
      field(FINDING_FIELD_LABELS.severity, SEVERITY_LABELS[record.severity]),
    ],
  };
}

/**
 * The first repair command in a code block, under the line that says it is step 1 of N. Slack has no escape for
 * three backticks inside a code block, so a command holding them is not shown; nor is one longer than
 * SLACK_COMMAND_CHARS (escaped), which is replaced by its size and digest as the text report does.
 */
function repairLines(command: string, steps: number): string[] {
  const title = slackEscape(firstRepairStepText(steps));
  if (command.includes("```")) return [title, slackEscape(commandNotShownInSlackText(FIRST_STEP_COMMAND))];
  // The command is already safe to print but for its line breaks (a heredoc), which are kept.
  const escaped = command.split("\n").map(slackEscape).join("\n");
  const shown =
    escaped.length <= SLACK_COMMAND_CHARS
      ? escaped
      : slackEscape(
          commandTooLongText(
            Math.ceil(Buffer.byteLength(command, "utf8") / 1024),
            sha256Prefix(command),
            FIRST_STEP_COMMAND,
          ),
        );
  return [title, `\`\`\`${shown}\`\`\``];
}

function resolvedSection(resolved: readonly StoredFinding[]): SlackBlock {
  const lines = [`*${slackEscape(resolvedTitleText(resolved.length))}*`];
  // Room for the closing "… and K more resolved" line.
  const room = SLACK_LIMITS.sectionChars - 100;
  let length = lines[0]?.length ?? 0;
  let listed = 0;
  for (const stored of resolved) {
    if (listed === SLACK_RESOLVED_LISTED) break;
    const line = resolvedLineText(
      code(formatIdentity(stored.object), 400),
      code(stored.path === "" ? WHOLE_OBJECT_PATH : stored.path, 1000),
      code(`${stored.release.namespace}/${stored.release.name}`, 400),
      stored.severity,
    );
    if (length + 1 + line.length > room) break;
    lines.push(line);
    length += 1 + line.length;
    listed++;
  }
  if (listed < resolved.length) lines.push(slackEscape(moreResolvedText(resolved.length - listed)));
  return { type: "section", text: mrkdwn(lines.join("\n")) };
}

function context(text: string): SlackBlock {
  return { type: "context", elements: [mrkdwn(fitted(text, SLACK_LIMITS.textChars))] };
}

function mrkdwn(text: string): SlackText {
  return { type: "mrkdwn", text, verbatim: true };
}

/** A section field: its label in bold over its (already formatted) value. */
function field(label: string, value: string): SlackText {
  return mrkdwn(`*${slackEscape(label)}*\n${value}`);
}

/**
 * A data value as inline code (no bold, italics or strikethrough inside), escaped and cut to fit `max`.
 * A value holding a backtick cannot be a code span in Slack: it is written as escaped text instead.
 */
function code(value: string, max = SLACK_LIMITS.fieldChars - 100): string {
  const text = fitted(value, max - 2);
  return text.includes("`") ? text : `\`${text}\``;
}

/**
 * `raw` escaped for Slack, cut (with its length and digest, as the text report cuts values) so that the escaped
 * text holds at most `max` characters. Escaping makes a character at most 6 (`\u202e`; `&amp;` is 5), so
 * cutting the raw text to a sixth of the room (less the cut's note) always fits.
 */
function fitted(raw: string, max: number): string {
  const escaped = slackEscape(raw);
  if (escaped.length <= max) return escaped;
  return slackEscape(cutLong(raw, Math.floor((max - 60) / 6)));
}

const SLACK_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/**
 * Text for Slack: control and bidi characters written visibly (src/report/terminal-safe.ts), then the three
 * characters Slack treats as control characters written as entities (docs.slack.dev "Formatting text for app
 * surfaces": `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`, and nothing else), so `<!channel>`, `<@U123>` or
 * `<https://…|…>` in a name is shown as it is, never acted on.
 */
export function slackEscape(text: string): string {
  return terminalSafe(text).replace(/[&<>]/g, (character) => SLACK_ENTITIES[character] ?? character);
}

/** The characters of a block's texts: what counts towards Slack's refusal of a message too long. */
function blockChars(block: SlackBlock): number {
  switch (block.type) {
    case "header":
      return block.text.text.length;
    case "section":
      return block.text.text.length + (block.fields ?? []).reduce((sum, f) => sum + f.text.length, 0);
    case "context":
      return block.elements.reduce((sum, element) => sum + element.text.length, 0);
  }
}
