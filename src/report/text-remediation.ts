import { createHash } from "node:crypto";
import {
  commandTooLongText,
  leftAloneText,
  remediationReasonText,
  stepDescription,
} from "../catalogue/messages.js";
import { sha256Prefix } from "../model/digest.js";
import type { RemediationAction, RemediationPlan } from "../model/remediation.js";
import { actionCommand } from "./action-command.js";
import { printableJson, terminalSafe } from "./terminal-safe.js";
import type { TextStyle } from "./text-style.js";
import { hanging } from "./text-values.js";

/**
 * Longest command the text report prints, in bytes (UTF-8). A JSON patch carries the value it sets and the
 * value it tests, so a changed value of megabytes made a command of twice that: more than a terminal's
 * scrollback holds, a paste a terminal may cut, and past 128 KiB an argument Linux refuses to run
 * (MAX_ARG_STRLEN). 4 KiB keeps every ordinary command (a few patch operations, a helm upgrade, a yq pipeline)
 * whole; a longer one is replaced by a line with its size and digest, and `-o json` keeps it whole.
 */
export const MAX_TEXT_COMMAND_BYTES = 4 * 1024;

/** Where the JSON report holds the steps of a plan (`jq` path), for the line that replaces a long command. */
const PLAN_STEPS = ".releases[].resources[].remediation";

/**
 * The repair plan: strategy and reason, numbered steps each with its command on its own line below the
 * description, the fields it leaves alone and why, then the alternatives. Commands are printed whole — never
 * cut, wrapped or trimmed — so they can be copied: only the first line is indented; the further lines of a
 * multi-line command (a heredoc, say) are printed exactly as they are, since indenting them would change what
 * the shell runs. A command longer than `MAX_TEXT_COMMAND_BYTES` is not printed at all (see there).
 */
export function remediationLines(remediation: RemediationPlan, indent: string, style: TextStyle): string[] {
  const lines = [
    ...titled(indent, `Fix (${remediation.strategy}):`, remediationReasonText(remediation.reason), style),
    ...stepLines(remediation.steps, `${indent}  `, `${PLAN_STEPS}.steps`, style),
  ];
  if (remediation.leavesAlone.length > 0) {
    lines.push(`${indent}  ${style.strong("Leaves alone:")}`);
    for (const field of remediation.leavesAlone) {
      const path = terminalSafe(field.path);
      lines.push(...hanging(`${indent}  - ${path}: `, `${indent}    `, leftAloneText(field.rule)));
    }
  }
  remediation.alternatives.forEach((alternative, a) => {
    const reason = remediationReasonText(alternative.reason);
    lines.push("", ...titled(indent, `Alternative (${alternative.strategy}):`, reason, style));
    lines.push(
      ...stepLines(alternative.steps, `${indent}  `, `${PLAN_STEPS}.alternatives[${a}].steps`, style),
    );
  });
  return lines;
}

function titled(indent: string, title: string, reason: string, style: TextStyle): string[] {
  return hanging(`${indent}${style.strong(title)} `, `${indent}  `, reason);
}

function stepLines(
  steps: RemediationAction[],
  indent: string,
  jsonSteps: string,
  style: TextStyle,
): string[] {
  return steps.flatMap((step, i) => {
    const number = `${i + 1}. `;
    const textIndent = `${indent}${" ".repeat(number.length)}`;
    const commandIndent = `${textIndent}  `;
    return [
      ...hanging(`${indent}${number}`, textIndent, stepDescription(step, steps)),
      ...printedCommand(step, `${jsonSteps}[${i}].command`)
        .split("\n")
        .map((line, j) => (j === 0 ? commandIndent : "") + style.command(line)),
    ];
  });
}

/** The step's command, or, when longer than `MAX_TEXT_COMMAND_BYTES`, a comment saying where to take it. */
export function printedCommand(step: RemediationAction, jsonPath: string): string {
  const patch = step.action === "json-patch" ? measuredPatchCommand(step) : null;
  if (patch !== null && patch.bytes > MAX_TEXT_COMMAND_BYTES) {
    return commandTooLongText(Math.ceil(patch.bytes / 1024), patch.sha256, jsonPath);
  }
  const command = actionCommand(step);
  // UTF-16 length bounds UTF-8 bytes from below (×3 above), so only a long string needs counting.
  if (command.length * 3 <= MAX_TEXT_COMMAND_BYTES) return command;
  const bytes = Buffer.byteLength(command, "utf8");
  if (bytes <= MAX_TEXT_COMMAND_BYTES) return command;
  return commandTooLongText(Math.ceil(bytes / 1024), sha256Prefix(command), jsonPath);
}

/**
 * Size and digest of a JSON patch step's command, without building it: the command is the kubectl words,
 * then the operations as one single-quoted JSON word, and quoting and escaping act on each character alone,
 * so the operations can be serialized, measured and hashed one at a time. A patch that carries a value of
 * megabytes twice (test and replace) never exists as one string, nor as its quoted copy. Null when the command
 * is not of that shape (a name it refuses to print: then it is short).
 */
function measuredPatchCommand(
  step: Extract<RemediationAction, { action: "json-patch" }>,
): { bytes: number; sha256: string } | null {
  const empty = actionCommand({ ...step, operations: [] });
  const EMPTY_WORD = "'[]'";
  if (!empty.endsWith(` ${EMPTY_WORD}`)) return null;
  const hash = createHash("sha256");
  let bytes = 0;
  const add = (text: string) => {
    hash.update(text);
    bytes += Buffer.byteLength(text, "utf8");
  };
  add(`${empty.slice(0, -EMPTY_WORD.length)}'[`);
  step.operations.forEach((operation, i) => {
    if (i > 0) add(",");
    // As actionCommand writes it: printableJson, then shellWord's quoting of each '.
    add(printableJson(operation).replace(/'/g, `'\\''`));
  });
  add("]'");
  return { bytes, sha256: hash.digest("hex").slice(0, 12) };
}
