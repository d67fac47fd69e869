import { describe, expect, it } from "vitest";
import type { DriftReport } from "../../../src/model/report.js";
import { renderJunit } from "../../../src/report/junit-reporter.js";
import { junitSchemaErrors } from "../../helpers/output-schemas.js";
import { HOSTILE, RAW_CONTROL } from "./hostile-text.js";
import { incidentFixtureReport, withNames } from "./output-cases.js";
import { type SampleCase, sampleReports } from "./sample-reports.js";

const cases = Object.keys(sampleReports) as SampleCase[];

/** Text that XML 1.0 cannot hold as it is, or that would end markup early if it were not escaped. */
const XML_HOSTILE: [string, string][] = [
  ["U+0000", "a\u0000b"],
  ["ESC and BEL", "\u001b]52;c;eA==\u0007"],
  ["U+FFFE, a non-character XML forbids", "x\ufffey"],
  ["a lone surrogate", "x\ud800y"],
  ["markup", `</testcase><testcase name="fake"/>&amp;<![CDATA[ ]]>`],
  ["quotes", `"'`],
];

/** Count of `<element ` or `<element>` openings in the XML. */
function count(xml: string, element: string): number {
  return xml.match(new RegExp(`<${element}[ >/]`, "g"))?.length ?? 0;
}

function resources(report: DriftReport) {
  return report.releases.flatMap((release) => (release.status === "Error" ? [] : release.resources));
}

describe("renderJunit", () => {
  it.each(cases)("renders the %s report as its golden file", async (name) => {
    await expect(renderJunit(sampleReports[name])).toMatchFileSnapshot(`./__golden__/${name}.junit.xml`);
  });

  it.each(cases)("the %s report is valid against the Jenkins/Ant JUnit schema", async (name) => {
    expect(await junitSchemaErrors(renderJunit(sampleReports[name]))).toEqual([]);
  });

  it.each(cases)(
    "the %s report has a testcase per resource, a failure per drifted or missing one, an error per unreadable one",
    (name) => {
      const report = sampleReports[name];
      const xml = renderJunit(report);
      const all = resources(report);
      const errored = report.releases.filter((release) => release.status === "Error").length;
      const failures = all.filter((r) => r.status === "Drifted" || r.status === "Missing").length;
      const errors = all.filter((r) => r.status === "Unreadable").length + errored;
      expect(count(xml, "testsuite")).toBe(report.releases.length);
      expect(count(xml, "testcase")).toBe(all.length + errored);
      expect(count(xml, "failure")).toBe(failures);
      expect(count(xml, "error")).toBe(errors);
      expect(count(xml, "skipped")).toBe(0);
      expect(xml).toContain(
        `<testsuites name="helm-drift" tests="${all.length + errored}" failures="${failures}" errors="${errors}">`,
      );
    },
  );

  it("renders the shipped incident fixture: one failing testcase with its four findings as lines", async () => {
    const xml = renderJunit(await incidentFixtureReport());
    expect(await junitSchemaErrors(xml)).toEqual([]);
    expect(xml).toContain(
      '<testsuite name="arc-runners/arc-runners" tests="4" failures="1" errors="0" skipped="0"',
    );
    expect(xml).toContain(
      '<testcase classname="arc-runners/arc-runners" name="AutoscalingRunnerSet/arc-runners/arc-runners">\n' +
        '      <failure type="Drifted" message="4 findings, top severity critical">CRITICAL spec.template.spec.containers',
    );
    expect(xml).toContain(
      "\nHIGH spec.template.spec.volumes: spec.template.spec.volumes is missing live; the release sets a list of 1 entry (kubectl-bin)</failure>",
    );
    expect(xml).toContain(
      '<testcase classname="arc-runners/arc-runners" name="Role/arc-runners/arc-runners-gha-rs-manager"/>',
    );
  });

  it("a release that could not be checked is one testcase with an error", () => {
    const xml = renderJunit(sampleReports["error-release"]);
    const release = sampleReports["error-release"].releases.find((r) => r.status === "Error");
    expect(release).toBeDefined();
    expect(xml).toContain(
      `<testcase classname="${release?.namespace}/${release?.name}" name="release ${release?.namespace}/${release?.name}">\n` +
        '      <error type="Error" message="',
    );
  });

  const hostile = cases.flatMap((name) =>
    [...HOSTILE, ...XML_HOSTILE].map(([what, payload]) => [name, what, payload] as const),
  );
  it.each(hostile)(
    "%s report with names holding %s stays well-formed, valid and free of raw controls",
    async (name, _what, payload) => {
      const xml = renderJunit(withNames(sampleReports[name], payload));
      expect(await junitSchemaErrors(xml)).toEqual([]);
      expect(xml.match(RAW_CONTROL)).toBeNull();
      expect(xml).not.toContain("\ufffe");
      expect(count(xml, "testcase")).toBe(count(renderJunit(sampleReports[name]), "testcase"));
    },
  );

  it("the schema check itself rejects a testcase without a name and XML holding U+0000", async () => {
    expect(
      await junitSchemaErrors(
        '<testsuites><testsuite name="a" tests="1" failures="0" errors="0"><testcase/></testsuite></testsuites>',
      ),
    ).not.toEqual([]);
    expect(await junitSchemaErrors('<testsuites name="a\u0000"/>')).not.toEqual([]);
  });

  it("writes a name holding NUL and ESC as visible escapes", () => {
    const xml = renderJunit(withNames(sampleReports.incident, "\u0000\u001b[2J<&>"));
    expect(xml).toContain('<testsuite name="arc-runners/arc-runners\\x00\\x1b[2J&lt;&amp;&gt;"');
  });
});
