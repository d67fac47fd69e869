import type { DriftReport } from "../model/report.js";
import { renderJson } from "./json-reporter.js";
import { renderText } from "./text-reporter.js";

export interface ReporterOptions {
  /** ANSI colours on or off, decided by the caller. Formats that have no colour ignore it. */
  color: boolean;
  /** Text: also list the resources that are in sync. */
  verbose?: boolean;
}

/** A report format: a pure function from the report to the whole output; the caller writes it. */
export type Reporter = (report: DriftReport, options: ReporterOptions) => string;

export type OutputFormat = "text" | "json";

/** Every output format by name; adding a format is one file plus one entry here. */
export const reporters: Record<OutputFormat, Reporter> = {
  text: renderText,
  json: (report) => renderJson(report),
};

export const OUTPUT_FORMATS = Object.keys(reporters) as OutputFormat[];

export function isOutputFormat(name: string): name is OutputFormat {
  return Object.hasOwn(reporters, name);
}
