import { describe, expect, it } from "vitest";
import { renderJson } from "../../../src/report/json-reporter.js";
import { isOutputFormat, OUTPUT_FORMATS, reporters } from "../../../src/report/reporters.js";
import { renderText } from "../../../src/report/text-reporter.js";
import { sampleReports } from "./sample-reports.js";

describe("reporters", () => {
  it("offers exactly the text, json, markdown, junit, sarif and html formats", () => {
    expect(OUTPUT_FORMATS).toEqual(["text", "json", "markdown", "junit", "sarif", "html"]);
    expect(isOutputFormat("json")).toBe(true);
    expect(isOutputFormat("yaml")).toBe(false);
    expect(isOutputFormat("toString")).toBe(false);
  });

  it("renders through the registry the same as calling each reporter", () => {
    const report = sampleReports.incident;
    expect(reporters.text(report, { color: false, verbose: true })).toBe(
      renderText(report, { color: false, verbose: true }),
    );
    expect(reporters.json(report, { color: true })).toBe(renderJson(report));
  });
});
