import { createColors } from "picocolors";
import type { Severity } from "../model/finding.js";

type Paint = (text: string) => string;

/** The colours of the text report; with `color: false` every function returns its input unchanged. */
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
  return {
    ok: c.green,
    drift: c.red,
    warn: c.yellow,
    error: (text) => c.bold(c.red(text)),
    strong: c.bold,
    faint: c.dim,
    command: c.cyan,
    added: c.green,
    removed: c.red,
    hunk: c.cyan,
    severity: {
      critical: (text) => c.bold(c.red(text)),
      high: c.red,
      medium: c.yellow,
      low: c.cyan,
      info: c.dim,
    },
  };
}
