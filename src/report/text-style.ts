import { createColors } from "picocolors";
import type { Severity } from "../model/finding.js";
import { terminalSafe } from "./terminal-safe.js";

type Paint = (text: string) => string;

/**
 * The colours of the text report. Each function escapes its input first (`terminalSafe`), then colours it, so
 * data painted here cannot carry control sequences of its own; with `color: false` it only escapes.
 */
export interface TextStyle {
  ok: Paint;
  drift: Paint;
  warn: Paint;
  error: Paint;
  strong: Paint;
  faint: Paint;
  command: Paint;
  added: Paint;
  removed: Paint;
  hunk: Paint;
  severity: Record<Severity, Paint>;
}

export function textStyle(color: boolean): TextStyle {
  const c = createColors(color);
  const paint =
    (colour: Paint): Paint =>
    (text) =>
      colour(terminalSafe(text));
  const boldRed = (text: string) => c.bold(c.red(text));
  return {
    ok: paint(c.green),
    drift: paint(c.red),
    warn: paint(c.yellow),
    error: paint(boldRed),
    strong: paint(c.bold),
    faint: paint(c.dim),
    command: paint(c.cyan),
    added: paint(c.green),
    removed: paint(c.red),
    hunk: paint(c.cyan),
    severity: {
      critical: paint(boldRed),
      high: paint(c.red),
      medium: paint(c.yellow),
      low: paint(c.cyan),
      info: paint(c.dim),
    },
  };
}
