import { leftAloneText, remediationReasonText, stepDescription } from "../catalogue/messages.js";
import type { RemediationAction, RemediationPlan } from "../model/remediation.js";
import { actionCommand } from "./action-command.js";
import { terminalSafe } from "./terminal-safe.js";
import type { TextStyle } from "./text-style.js";
import { hanging } from "./text-values.js";

/**
 * The repair plan: strategy and reason, numbered steps each with its command on its own line below the
 * description, the fields it leaves alone and why, then the alternatives. Commands are printed whole — never
 * cut, wrapped or trimmed — so they can be copied: only the first line is indented; the further lines of a
 * multi-line command (a heredoc, say) are printed exactly as they are, since indenting them would change what
 * the shell runs.
 */
export function remediationLines(remediation: RemediationPlan, indent: string, style: TextStyle): string[] {
  const lines = [
    ...titled(indent, `Fix (${remediation.strategy}):`, remediationReasonText(remediation.reason), style),
    ...stepLines(remediation.steps, `${indent}  `, style),
  ];
  if (remediation.leavesAlone.length > 0) {
    lines.push(`${indent}  ${style.strong("Leaves alone:")}`);
    for (const field of remediation.leavesAlone) {
      const path = terminalSafe(field.path);
      lines.push(...hanging(`${indent}  - ${path}: `, `${indent}    `, leftAloneText(field.rule)));
    }
  }
  for (const alternative of remediation.alternatives) {
    const reason = remediationReasonText(alternative.reason);
    lines.push("", ...titled(indent, `Alternative (${alternative.strategy}):`, reason, style));
    lines.push(...stepLines(alternative.steps, `${indent}  `, style));
  }
  return lines;
}

function titled(indent: string, title: string, reason: string, style: TextStyle): string[] {
  return hanging(`${indent}${style.strong(title)} `, `${indent}  `, reason);
}

function stepLines(steps: RemediationAction[], indent: string, style: TextStyle): string[] {
  return steps.flatMap((step, i) => {
    const number = `${i + 1}. `;
    const textIndent = `${indent}${" ".repeat(number.length)}`;
    const commandIndent = `${textIndent}  `;
    return [
      ...hanging(`${indent}${number}`, textIndent, stepDescription(step, steps)),
      ...actionCommand(step)
        .split("\n")
        .map((line, j) => (j === 0 ? commandIndent : "") + style.command(line)),
    ];
  });
}
