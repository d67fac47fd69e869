import { SEVERITIES, type Severity } from "../model/finding.js";
import { terminalSafe } from "./terminal-safe.js";

/** Longest value shown on a finding's `rendered:` / `live:` line, in characters, before it is cut. */
export const MAX_VALUE_LENGTH = 100;

/**
 * A value on one line: compact JSON (strings quoted, so `"80"` and `80` stay apart), `(absent)` for
 * null/undefined — the report uses null for "not there on that side". Longer than `max` characters, it is
 * cut and says how many characters were left out. Safe for a terminal: JSON already writes C0 controls as
 * `\u001b`; what it leaves as it is (DEL, C1, bidi controls) is escaped by `terminalSafe`.
 */
export function formatValue(value: unknown, max = MAX_VALUE_LENGTH): string {
  if (value === null || value === undefined) return "(absent)";
  const text = terminalSafe(JSON.stringify(value) ?? String(value));
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, max).join("")}… (+${chars.length - max} chars)`;
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
