import { HelmDriftError } from "../errors.js";

/**
 * A known failure as the one line a person reads; an unknown one (a bug) keeps its stack so it can be
 * reported, but only with --debug — otherwise one line that says so.
 */
export function errorLine(error: unknown, debug: boolean): string {
  if (debug && error instanceof Error && error.stack) {
    const cause =
      error.cause instanceof Error && error.cause.stack ? `\ncaused by: ${error.cause.stack}` : "";
    return `helm-drift: ${error.stack}${cause}\n`;
  }
  if (error instanceof HelmDriftError) return `helm-drift: ${oneLine(error.message)}\n`;
  const message = error instanceof Error ? error.message : String(error);
  return `helm-drift: internal error: ${oneLine(message)} (run with --debug for the stack trace)\n`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
