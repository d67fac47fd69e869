import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type DefaultTreeAdapterTypes, type ParserError, parse } from "parse5";
import { afterAll, describe, expect, it } from "vitest";
import type { DriftReport } from "../../../src/model/report.js";
import { htmlPreLines, htmlProse, htmlText } from "../../../src/report/html-escape.js";
import { FILTER_SCRIPT, PAGE_STYLE, renderHtml } from "../../../src/report/html-reporter.js";
import { terminalSafe } from "../../../src/report/terminal-safe.js";
import { repoPath } from "../../helpers/repo-path.js";
import { runCli } from "../cli/run-cli.js";
import { HOSTILE, RAW_CONTROL } from "./hostile-text.js";
import { incidentFixtureReport, withNames } from "./output-cases.js";
import { type SampleCase, sampleReports } from "./sample-reports.js";

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

const cases = Object.keys(sampleReports) as SampleCase[];

/** Names that would open a tag, an attribute, an entity or a script of their own if they reached HTML raw. */
const MARKUP: [string, string][] = [
  ["an HTML tag", "<img src=x onerror=alert(1)>"],
  ["closing the details block", "</summary></details><script>alert(1)</script>"],
  ["breaking out of an attribute", `" onmouseover="alert(1)' x='`],
  ["an HTML entity", "&lt;b&gt;&amp;"],
  ["a comment and CDATA", "<!-- x --><![CDATA[y]]>"],
  ["a remote link", '<a href="https://evil.example/x">x</a><link rel=stylesheet href=//evil.example>'],
];

/** Every element helm-drift itself writes; any other is data that escaped its escaping. */
const OWN_ELEMENTS = new Set(
  (
    "html head meta title style body header h1 table thead tbody tr th td p time fieldset legend label input " +
    "main section h2 code details summary b ul li span dl dt dd h4 ol pre script"
  ).split(" "),
);

/** The page parsed as a browser parses it; fails on any parse error (a well-formed page has none). */
function parsed(html: string): Element {
  const errors: ParserError[] = [];
  const document = parse(html, { onParseError: (error) => errors.push(error) });
  expect(errors.map((error) => `${error.code} at ${error.startLine}:${error.startCol}`)).toEqual([]);
  const root = document.childNodes.find((node): node is Element => node.nodeName === "html");
  if (!root) throw new Error("no <html> element");
  return root;
}

function elements(node: Node): Element[] {
  const children = "childNodes" in node ? node.childNodes : [];
  const own = "tagName" in node ? [node] : [];
  return [...own, ...children.flatMap(elements)];
}

function textOf(node: Node): string {
  if (node.nodeName === "#text") return (node as DefaultTreeAdapterTypes.TextNode).value;
  return "childNodes" in node ? node.childNodes.map(textOf).join("") : "";
}

function attr(element: Element, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value;
}

function byTag(root: Element, tag: string): Element[] {
  return elements(root).filter((element) => element.tagName === tag);
}

function nonInSync(report: DriftReport): number {
  return report.releases.flatMap((r) => r.resources).filter((r) => r.status !== "InSync").length;
}

/** What a page must hold whatever the report: its own elements only, nothing remote, one script and style by hash. */
function expectSelfContained(root: Element): void {
  const all = elements(root);
  expect(all.map((element) => element.tagName).filter((tag) => !OWN_ELEMENTS.has(tag))).toEqual([]);
  for (const element of all) {
    for (const { name, value } of element.attrs) {
      expect(["src", "href", "action", "srcset", "style"].includes(name) || /^on/.test(name)).toBe(false);
      expect(value).not.toMatch(/https?:|javascript:|data:|^\/\//i);
    }
  }
  const [script, ...moreScripts] = byTag(root, "script");
  const [style, ...moreStyles] = byTag(root, "style");
  expect(moreScripts).toEqual([]);
  expect(moreStyles).toEqual([]);
  if (!script || !style) throw new Error("no inline script or style");
  const csp = byTag(root, "meta").find((meta) => attr(meta, "http-equiv") === "Content-Security-Policy");
  const sha = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
  expect(attr(csp as Element, "content")?.split("; ")).toEqual([
    "default-src 'none'",
    `style-src ${sha(textOf(style))}`,
    `script-src ${sha(textOf(script))}`,
    "base-uri 'none'",
    "form-action 'none'",
  ]);
}

describe("renderHtml", () => {
  it.each(cases)("renders the %s report as its golden file", async (name) => {
    await expect(renderHtml(sampleReports[name])).toMatchFileSnapshot(`./__golden__/${name}.html`);
  });

  it.each(cases)("renders the %s report as a self-contained page that parses without errors", (name) => {
    const report = sampleReports[name];
    const root = parsed(renderHtml(report));
    expectSelfContained(root);
    expect(byTag(root, "section")).toHaveLength(report.releases.length);
    expect(byTag(root, "details")).toHaveLength(nonInSync(report));
    const header = textOf(byTag(root, "tbody")[0] as Element);
    expect(header).toBe(
      [
        report.summary.releases,
        report.summary.resources,
        report.summary.drifted,
        report.summary.missing,
        report.summary.findings,
        ...Object.values(report.summary.bySeverity),
        report.summary.ignored,
      ].join(""),
    );
    expect(textOf(byTag(root, "time")[0] as Element)).toBe(report.generatedAt);
  });

  it("renders the shipped incident fixture: summary, one resource with findings, repair steps and a styled diff", async () => {
    const report = await incidentFixtureReport();
    const html = renderHtml({ ...report, generatedAt: "2025-11-04T09:30:00.000Z" });
    await expect(html).toMatchFileSnapshot("./__golden__/incident-fixture.html");
    const root = parsed(html);
    expectSelfContained(root);
    expect(textOf(byTag(root, "thead")[0] as Element)).toBe(
      "releasesresourcesdriftedmissingfindingscriticalhighmediumlowinfoignored",
    );
    expect(textOf(byTag(root, "tbody")[0] as Element)).toBe("14104130000");
    const [details, ...more] = byTag(root, "details");
    expect(more).toEqual([]);
    expect(attr(details as Element, "data-severity")).toBe("critical");
    expect(textOf(byTag(details as Element, "summary")[0] as Element)).toBe(
      "✗ AutoscalingRunnerSet/arc-runners/arc-runners — Drifted, 4 findings (1 critical, 3 high)",
    );
    const findings = byTag(details as Element, "li").filter((li) => attr(li, "data-severity"));
    expect(findings.map((li) => attr(li, "data-severity"))).toEqual(["critical", "high", "high", "high"]);
    expect(html).toContain(
      '<li data-severity="high"><span class="badge high">HIGH</span> <code>spec.template.spec.volumes</code> — spec.template.spec.volumes is missing live',
    );
    expect(html).toContain(
      "<dt>rendered</dt><dd><code>[{&quot;emptyDir&quot;:{},&quot;name&quot;:&quot;kubectl-bin&quot;}]</code></dd>",
    );
    const commands = byTag(details as Element, "pre")
      .filter((pre) => attr(pre, "class") === undefined)
      .map(textOf);
    expect(commands[0]).toBe("flux suspend helmrelease arc-runners -n flux-system");
    const diff = byTag(root, "pre").find((pre) => attr(pre, "class") === "diff") as Element;
    expect(textOf(diff)).toContain("--- rendered AutoscalingRunnerSet/arc-runners/arc-runners\n");
    const removed = byTag(diff, "span").filter((span) => attr(span, "class") === "del");
    expect(removed.map(textOf)).toContain("-      serviceAccountName: arc-runners-kubectl");
  });

  it("cuts long values as the text report does", () => {
    expect(renderHtml(sampleReports.incident)).toContain(
      "<dt>rendered</dt><dd><code>[{&quot;name&quot;:&quot;init-kubectl&quot;,&quot;image&quot;:&quot;bitnami/kubectl:1.33.4&quot;,&quot;command&quot;:[&quot;cp&quot;,&quot;/opt/bitnami/kubectl/bin/k… (+100 chars, sha256 ed2eb387f10b)</code></dd>",
    );
  });

  it("hides the severity filter until its script runs, so the page without scripts shows everything", () => {
    const root = parsed(renderHtml(sampleReports.incident));
    const [filter] = elements(root).filter((element) => attr(element, "id") === "severity-filter");
    expect(filter && attr(filter, "hidden")).toBe("");
    expect(byTag(filter as Element, "input").map((input) => attr(input, "value"))).toEqual([
      "critical",
      "high",
      "medium",
      "low",
      "info",
    ]);
    expect(elements(root).filter((element) => attr(element, "hidden") !== undefined)).toEqual([filter]);
    expect(FILTER_SCRIPT).toContain("f.hidden=false");
    expect(FILTER_SCRIPT).not.toContain("</");
    expect(PAGE_STYLE).not.toContain("</");
  });

  const hostile = cases.flatMap((name) =>
    [...HOSTILE, ...MARKUP].map(([what, payload]) => [name, what, payload] as const),
  );
  it.each(hostile)(
    "%s report with names holding %s: no raw control, no element or attribute of the data's own",
    (name, _what, payload) => {
      const report = withNames(sampleReports[name], payload);
      const html = renderHtml(report);
      expect(html.match(RAW_CONTROL)).toBeNull();
      const root = parsed(html);
      expectSelfContained(root);
      expect(byTag(root, "details")).toHaveLength(nonInSync(report));
      // The name is there, as text, made visible: what a reader sees is the escaped payload.
      expect(textOf(root)).toContain(terminalSafe(payload));
    },
  );
});

describe("the HTML escapes", () => {
  it.each([
    [`<a href="x">'&'</a>`, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"],
    ["ESC\u001b[2J \u202eevil", "ESC\\x1b[2J \\u202eevil"],
    ["line\nbreak", "line\\x0abreak"],
  ])("htmlText(%j) is %j", (text, escaped) => {
    expect(htmlText(text)).toBe(escaped);
  });

  it("keeps the line breaks of prose as <br> and of a command as they are, escaping each line", () => {
    expect(htmlProse("a <b>\nc\u0007")).toBe("a &lt;b&gt;<br>c\\x07");
    expect(htmlPreLines("cat <<'EOF'\nx\nEOF")).toBe("cat &lt;&lt;&#39;EOF&#39;\nx\nEOF");
  });
});

describe("-o html from the CLI", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "helm-drift-html-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const incident = [
    "check",
    "--manifest",
    repoPath("fixtures/incident/manifest.yaml"),
    "--live",
    repoPath("fixtures/incident/live.yaml"),
  ];

  it("writes the page on stdout with -o html and to FILE with -o html=FILE, the same page, exit 2", async () => {
    const file = path.join(dir, "drift.html");
    const onStdout = await runCli([...incident, "-o", "html"]);
    const toFile = await runCli([...incident, "-o", `html=${file}`, "-o", "text"]);
    expect([onStdout.code, toFile.code]).toEqual([2, 2]);
    expect(onStdout.stdout.startsWith("<!DOCTYPE html>\n")).toBe(true);
    const strip = (html: string) => html.replace(/<time>[^<]*<\/time>/, "<time></time>");
    expect(strip(readFileSync(file, "utf8"))).toBe(strip(onStdout.stdout));
    expect(toFile.stdout).toContain("AutoscalingRunnerSet/arc-runners/arc-runners");
  });
});
