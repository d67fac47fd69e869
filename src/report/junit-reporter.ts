import { create } from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces.js";
import { findingMessage, resourceReasonText } from "../catalogue/messages.js";
import { SEVERITIES } from "../model/finding.js";
import { formatIdentity } from "../model/kube.js";
import type { DriftReport, ReleaseReport, ResourceReport } from "../model/report.js";
import { terminalSafe } from "./terminal-safe.js";
import { countBySeverity, plural } from "./text-values.js";

/**
 * The report as JUnit XML, the test-report format CI systems show (Jenkins, GitLab, GitHub test reporters),
 * in the shape of the Jenkins/Ant schema (test/schemas/junit-10.xsd):
 * - `<testsuites>` with the totals of tests, failures and errors;
 * - one `<testsuite name="namespace/release">` per release;
 * - one `<testcase classname="namespace/release" name="Kind/namespace/name">` per resource: passing when in
 *   sync, a `<failure>` when Drifted or Missing (message: how many findings and the top severity; body: one
 *   line per finding), an `<error>` when Unreadable;
 * - a release with status Error is one `<testcase>` for the release itself, with an `<error>`.
 *
 * xmlbuilder2 escapes markup. Data is made `terminalSafe` first, which writes every C0 control (XML 1.0 forbids
 * all but tab, newline and CR), DEL, C1 and bidi control as a visible `\x1b` escape; any other character XML
 * cannot hold (U+FFFE, a lone surrogate) is written as a `\u` escape by xmlbuilder2's replacement hook. So a
 * crafted object name still gives well-formed XML.
 */
export function renderJunit(report: DriftReport): string {
  const suites = report.releases.map(suiteOf);
  const document = create({ version: "1.0", encoding: "UTF-8", invalidCharReplacement: visibleEscape });
  const root = document.ele("testsuites", {
    name: "helm-drift",
    tests: String(sum(suites, "tests")),
    failures: String(sum(suites, "failures")),
    errors: String(sum(suites, "errors")),
  });
  for (const suite of suites) writeSuite(root, suite, report.generatedAt);
  return `${document.end({ prettyPrint: true })}\n`;
}

interface Case {
  name: string;
  outcome: { element: "failure" | "error"; type: string; message: string; body: string[] } | null;
}

interface Suite {
  name: string;
  cases: Case[];
  tests: number;
  failures: number;
  errors: number;
}

function suiteOf(release: ReleaseReport): Suite {
  const name = releaseName(release);
  const cases =
    release.status === "Error"
      ? [
          {
            name: `release ${name}`,
            outcome: {
              element: "error" as const,
              type: "Error",
              message: release.error ?? "Error",
              body: [],
            },
          },
        ]
      : release.resources.map(caseOf);
  const count = (element: "failure" | "error") => cases.filter((c) => c.outcome?.element === element).length;
  return { name, cases, tests: cases.length, failures: count("failure"), errors: count("error") };
}

function caseOf(resource: ResourceReport): Case {
  const name = formatIdentity(resource);
  switch (resource.status) {
    case "InSync":
      return { name, outcome: null };
    case "Unreadable": {
      const reason = resource.reason ? resourceReasonText(resource.reason, resource) : "could not be read";
      return { name, outcome: { element: "error", type: "Unreadable", message: reason, body: [] } };
    }
    case "Drifted":
    case "Missing":
      return {
        name,
        outcome: {
          element: "failure",
          type: resource.status,
          message: failureMessage(resource),
          body: resource.findings.map(
            (finding) =>
              `${finding.severity.toUpperCase()} ${finding.path === "" ? "(whole object)" : finding.path}: ` +
              findingMessage(finding, resource),
          ),
        },
      };
  }
}

/** `4 findings, top severity critical`. */
function failureMessage(resource: ResourceReport): string {
  const counts = countBySeverity(resource.findings);
  const top = SEVERITIES.find((severity) => counts[severity] > 0);
  return `${plural(resource.findings.length, "finding")}${top ? `, top severity ${top}` : ""}`;
}

function writeSuite(root: XMLBuilder, suite: Suite, timestamp: string): void {
  const element = root.ele("testsuite", {
    name: oneLine(suite.name),
    tests: String(suite.tests),
    failures: String(suite.failures),
    errors: String(suite.errors),
    skipped: "0",
    timestamp,
  });
  for (const testCase of suite.cases) {
    const caseElement = element.ele("testcase", {
      classname: oneLine(suite.name),
      name: oneLine(testCase.name),
    });
    const { outcome } = testCase;
    if (outcome === null) continue;
    const result = caseElement.ele(outcome.element, {
      type: outcome.type,
      message: oneLine(outcome.message),
    });
    if (outcome.body.length > 0) result.txt(outcome.body.map(oneLine).join("\n"));
  }
}

function releaseName(release: ReleaseReport): string {
  return `${release.namespace ?? "-"}/${release.name ?? "(unnamed)"}`;
}

/** One line of data: every control character, newline included, as a visible escape (attributes stay one line). */
function oneLine(text: string): string {
  return terminalSafe(text);
}

/** A character XML 1.0 cannot hold, written as `\ufffe` instead. */
function visibleEscape(character: string): string {
  return `\\u${(character.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`;
}

function sum(suites: readonly Suite[], key: "tests" | "failures" | "errors"): number {
  return suites.reduce((total, suite) => total + suite[key], 0);
}
