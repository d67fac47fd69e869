import { sha256Prefix } from "../model/digest.js";
import { SEVERITIES, type Severity } from "../model/finding.js";
import type { ReportSummary, ResourceReport } from "../model/report.js";
import { terminalSafe } from "./terminal-safe.js";

/** Longest value shown on a finding's `rendered:` / `live:` line, in characters, before it is cut. */
export const MAX_VALUE_LENGTH = 100;

/**
 * A value on one line: compact JSON (strings quoted, so `"80"` and `80` stay apart), `(absent)` for
 * null/undefined — the report uses null for "not there on that side". Longer than `max` characters, it is
 * cut (see `cutLong`). Safe for a terminal: JSON already writes C0 controls as `\u001b`; what it leaves as it
 * is (DEL, C1, bidi controls) is escaped by `terminalSafe`.
 */
export function formatValue(value: unknown, max = MAX_VALUE_LENGTH): string {
  if (value === null || value === undefined) return "(absent)";
  const json = JSON.stringify(value) ?? String(value);
  return cutLong(terminalSafe(json), max, json);
}

const HIGH_SURROGATE = /[\uD800-\uDBFF]/;

/**
 * `text` cut after `max` characters (code points), saying how many were left out and the first 12 hex digits
 * of the SHA-256 of `whole` (the uncut text): two long values that differ only past the cut still read as
 * different, and a value megabytes long prints as one short line. The JSON output keeps the exact values.
 */
export function cutLong(text: string, max: number, whole = text): string {
  if (text.length <= max) return text;
  // Without surrogate pairs (by far the usual case) code points are UTF-16 units: no loop at all. Otherwise
  // counted by char code, not `for…of`: a value megabytes long would become millions of one-character strings,
  // seconds of garbage collection and a peak of memory many times its size (bench/large-value.mjs).
  if (!HIGH_SURROGATE.test(text)) {
    return `${text.slice(0, max)}… (+${text.length - max} chars, sha256 ${sha256Prefix(whole)})`;
  }
  let count = 0;
  let headEnd = -1;
  for (let i = 0; i < text.length; i++) {
    if (count === max) headEnd = i;
    const code = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  if (count <= max) return text;
  return `${text.slice(0, headEnd)}… (+${count - max} chars, sha256 ${sha256Prefix(whole)})`;
}

/** `1 finding`, `3 findings`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/**
 * Prose on lines: the first line after `first` (a bullet, a number, a badge), the others after `rest`.
 * `text` may hold data (names, paths, helm's error lines): each of its lines is made `terminalSafe`;
 * `first` and `rest` are the reporter's own (already safe, maybe coloured). Lines are right-trimmed — for
 * prose only, never for commands.
 */
export function hanging(first: string, rest: string, text: string): string[] {
  return text.split("\n").map((line, i) => `${i === 0 ? first : rest}${terminalSafe(line)}`.trimEnd());
}

/** `4 findings (1 critical, 3 high)`; severities with no findings are left out unless `zeros`. */
export function findingsPhrase(total: number, counts: Record<Severity, number>, zeros = false): string {
  const parts = SEVERITIES.filter((severity) => zeros || counts[severity] > 0).map(
    (severity) => `${counts[severity]} ${severity}`,
  );
  return parts.length === 0 ? plural(total, "finding") : `${plural(total, "finding")} (${parts.join(", ")})`;
}

export function countBySeverity(findings: readonly { severity: Severity }[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

/** Longest diff line shown, in characters, before it is cut like a value (a changed value is one line). */
export const MAX_DIFF_LINE_LENGTH = 200;
/** Most diff lines shown; the JSON output has the whole diff. */
export const MAX_DIFF_LINES = 400;

/**
 * The core's unified diff as every human format shows it: at most `maxLines` lines, each made terminal-safe
 * and cut when long; `left` is how many lines were left out.
 */
export function shownDiff(diff: string, maxLines = MAX_DIFF_LINES): { lines: string[]; left: number } {
  const body = diff.endsWith("\n") ? diff.slice(0, -1) : diff;
  const all = body.split("\n");
  const lines = all.slice(0, maxLines).map((line) => {
    const trimmed = line.trimEnd();
    return cutLong(terminalSafe(trimmed), MAX_DIFF_LINE_LENGTH, trimmed);
  });
  return { lines, left: all.length - lines.length };
}

/** `Drifted, 4 findings (1 critical, 3 high)`, or the status with its reason: a resource's one-line state. */
export function resourceStatusPhrase(resource: ResourceReport, reason: string | undefined): string {
  return resource.status === "Drifted"
    ? `Drifted, ${findingsPhrase(resource.findings.length, countBySeverity(resource.findings))}`
    : `${resource.status}${reason ? `: ${reason}` : ""}`;
}

/** The columns of a report's summary table (Markdown, HTML), in order. */
export function summaryColumns(summary: ReportSummary): [string, number][] {
  return [
    ["releases", summary.releases],
    ["resources", summary.resources],
    ["drifted", summary.drifted],
    ["missing", summary.missing],
    ["findings", summary.findings],
    ...SEVERITIES.map((severity): [string, number] => [severity, summary.bySeverity[severity]]),
    ["ignored", summary.ignored],
  ];
}
