import { HelmDriftError } from "../errors.js";
import { terminalSafe } from "../report/terminal-safe.js";

/**
 * A known failure as the one line a person reads; an unknown one (a bug) keeps its stack so it can be
 * reported, but only with --debug — otherwise one line that says so. Messages carry data (file names, object
 * names, helm's own error line), so every line is made `terminalSafe`; the newlines are this function's own.
 */
export function errorLine(error: unknown, debug: boolean): string {
  if (debug && error instanceof Error && error.stack) {
    const cause =
      error.cause instanceof Error && error.cause.stack ? `\ncaused by: ${error.cause.stack}` : "";
    return stderrLines(`helm-drift: ${error.stack}${cause}`);
  }
  if (error instanceof HelmDriftError) return stderrLines(`helm-drift: ${oneLine(error.message)}`);
  const message = error instanceof Error ? error.message : String(error);
  return stderrLines(
    `helm-drift: internal error: ${oneLine(message)} (run with --debug for the stack trace)`,
  );
}

/** Commander's complaint about the command line (it quotes what was typed), made safe line by line. */
export function usageErrorLine(message: string): string {
  return stderrLines(`helm-drift: ${message.replace(/^error: /, "")}`);
}

/** `text` as lines for stderr: each made terminal-safe, each ended by a newline. */
function stderrLines(text: string): string {
  return `${text
    .split("\n")
    .map((line) => terminalSafe(line))
    .join("\n")}\n`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
