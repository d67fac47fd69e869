import type { DriftReport } from "../model/report.js";
import { renderHtml } from "./html-reporter.js";
import { renderJson } from "./json-reporter.js";
import { renderJunit } from "./junit-reporter.js";
import { renderMarkdown } from "./markdown-reporter.js";
import { renderSarif } from "./sarif-reporter.js";
import { renderText } from "./text-reporter.js";

export interface ReporterOptions {
  /** ANSI colours on or off, decided by the caller. Formats that have no colour ignore it. */
  color: boolean;
  /** Text: also list the resources that are in sync. */
  verbose?: boolean;
  /** Text and JSON: list ignored findings with what ignored them (`--show-ignored`); they are always counted. */
  showIgnored?: boolean;
  /** helm-drift's version, for formats that name the tool that wrote them (SARIF); passed in, never read here. */
  version?: string;
}

/** A report format: a pure function from the report to the whole output; the caller writes it. */
export type Reporter = (report: DriftReport, options: ReporterOptions) => string;

export type OutputFormat = "text" | "json" | "markdown" | "junit" | "sarif" | "html";

/** Every output format by name; adding a format is one file plus one entry here. */
export const reporters: Record<OutputFormat, Reporter> = {
  text: renderText,
  json: (report, options) => renderJson(report, { showIgnored: options.showIgnored ?? false }),
  markdown: (report) => renderMarkdown(report),
  junit: (report) => renderJunit(report),
  sarif: (report, options) =>
    renderSarif(report, options.version === undefined ? {} : { version: options.version }),
  html: (report) => renderHtml(report),
};

export const OUTPUT_FORMATS = Object.keys(reporters) as OutputFormat[];

export function isOutputFormat(name: string): name is OutputFormat {
  return Object.hasOwn(reporters, name);
}
