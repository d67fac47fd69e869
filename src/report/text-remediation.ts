import type { Remediation, RemediationStep } from "../model/report.js";
import type { TextStyle } from "./text-style.js";
import { hanging } from "./text-values.js";

/**
 * The repair plan: strategy and reason, numbered steps each with its command on its own line below the
 * description, then the alternatives. Commands are printed whole — never cut, wrapped or trimmed — so
 * they can be copied: only the first line is indented; the further lines of a multi-line command (a
 * heredoc, say) are printed exactly as they are, since indenting them would change what the shell runs.
 */
export function remediationLines(remediation: Remediation, indent: string, style: TextStyle): string[] {
  const lines = [
    ...titled(indent, `Fix (${remediation.strategy}):`, remediation.reason, style),
    ...stepLines(remediation.steps, `${indent}  `, style),
  ];
  for (const alternative of remediation.alternatives ?? []) {
    lines.push("", ...titled(indent, `Alternative (${alternative.strategy}):`, alternative.reason, style));
    lines.push(...stepLines(alternative.steps, `${indent}  `, style));
  }
  return lines;
}

function titled(indent: string, title: string, reason: string | undefined, style: TextStyle): string[] {
  return hanging(`${indent}${style.strong(title)} `, `${indent}  `, reason ?? "");
}

function stepLines(steps: RemediationStep[], indent: string, style: TextStyle): string[] {
  return steps.flatMap((step, i) => {
    const number = `${i + 1}. `;
    const textIndent = `${indent}${" ".repeat(number.length)}`;
    const commandIndent = `${textIndent}  `;
    return [
      ...hanging(`${indent}${number}`, textIndent, step.description),
      ...step.command.split("\n").map((line, j) => (j === 0 ? commandIndent : "") + style.command(line)),
    ];
  });
}
