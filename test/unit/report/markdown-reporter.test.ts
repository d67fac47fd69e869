import { describe, expect, it } from "vitest";
import { SEVERITIES, type Severity } from "../../../src/model/finding.js";
import type { DriftReport, ResourceReport } from "../../../src/model/report.js";
import { fencedBlock, htmlText, inlineCode, markdownText } from "../../../src/report/markdown-escape.js";
import { MARKDOWN_MAX_LENGTH, renderMarkdown } from "../../../src/report/markdown-reporter.js";
import { HOSTILE, RAW_CONTROL } from "./hostile-text.js";
import { driftedSample, incidentFixtureReport, withNames } from "./output-cases.js";
import { type SampleCase, sampleReports } from "./sample-reports.js";

const cases = Object.keys(sampleReports) as SampleCase[];

/** Names that would inject HTML, a link, a table cell or a code fence if they reached Markdown unescaped. */
const MARKUP: [string, string][] = [
  ["an HTML tag", "<img src=x onerror=alert(1)>"],
  ["closing the details block", "</summary></details><script>alert(1)</script>"],
  ["table pipes", "a|b|c"],
  ["backtick runs", "x```y``z`"],
  ["an HTML entity", "&lt;b&gt;&amp;"],
  ["a link", "[click](https://evil.example)"],
  ["emphasis and a heading", "# *big* _it_ ~~s~~"],
];

/** The tags helm-drift itself writes; any other `<` outside code is data that escaped its escaping. */
const OWN_TAGS = /<\/?(?:details|summary|b)>/g;

/**
 * The Markdown with fenced blocks and code spans removed: what GitHub renders as prose and HTML. A name that
 * broke out of its code span or fence would show up here raw.
 */
function proseOf(markdown: string): string {
  const prose: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split("\n")) {
    const marker = /^\s*(`{3,})/.exec(line)?.[1];
    if (fence === null && marker) {
      fence = marker;
      continue;
    }
    if (fence !== null) {
      if (new RegExp(`^\\s*${fence}\`*\\s*$`).test(line)) fence = null;
      continue;
    }
    prose.push(line.replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, ""));
  }
  expect(fence).toBeNull();
  return prose.join("\n");
}

function nonInSync(report: DriftReport): number {
  return report.releases.flatMap((r) => r.resources).filter((r) => r.status !== "InSync").length;
}

describe("renderMarkdown", () => {
  it.each(cases)("renders the %s report as its golden file", async (name) => {
    await expect(renderMarkdown(sampleReports[name])).toMatchFileSnapshot(`./__golden__/${name}.md`);
  });

  it("renders the shipped incident fixture: summary table, one details block with findings, repair and diff", async () => {
    const output = renderMarkdown(await incidentFixtureReport());
    expect(output).toContain(
      "| releases | resources | drifted | missing | findings | critical | high | medium | low | info | ignored |\n" +
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n" +
        "| 1 | 4 | 1 | 0 | 4 | 1 | 3 | 0 | 0 | 0 | 0 |",
    );
    expect(output.match(/<details>/g)).toHaveLength(1);
    expect(output).toContain(
      "<summary>✗ <b>AutoscalingRunnerSet/arc-runners/arc-runners</b> — Drifted, 4 findings (1 critical, 3 high)</summary>",
    );
    expect(output).toContain(
      "- **HIGH** `spec.template.spec.volumes` — spec.template.spec.volumes is missing live",
    );
    expect(output).toContain('  - rendered: `[{"emptyDir":{},"name":"kubectl-bin"}]`');
    expect(output).toContain("**Fix (recreate):**");
    expect(output).toContain("   ```sh\n   flux suspend helmrelease arc-runners -n flux-system\n   ```");
    expect(output).toContain("```diff\n--- rendered AutoscalingRunnerSet/arc-runners/arc-runners\n");
    expect(output).toContain("-      serviceAccountName: arc-runners-kubectl\n");
    expect(output).not.toContain("left out");
  });

  it("cuts long values as the text report does", () => {
    const output = renderMarkdown(sampleReports.incident);
    expect(output).toContain(
      '  - rendered: `[{"name":"init-kubectl","image":"bitnami/kubectl:1.33.4","command":["cp","/opt/bitnami/kubectl/bin/k… (+100 chars, sha256 ed2eb387f10b)`',
    );
  });

  const hostile = cases.flatMap((name) =>
    [...HOSTILE, ...MARKUP].map(([what, payload]) => [name, what, payload] as const),
  );
  it.each(hostile)(
    "%s report with names holding %s: no raw control, no HTML or Markdown of the data's own",
    (name, _what, payload) => {
      const report = withNames(sampleReports[name], payload);
      const output = renderMarkdown(report);
      expect(output.match(RAW_CONTROL)).toBeNull();
      const prose = proseOf(output);
      expect(prose.replace(OWN_TAGS, "").includes("<")).toBe(false);
      expect(prose.match(/<details>/g)?.length ?? 0).toBe(nonInSync(report));
      expect(prose.match(/<\/details>/g)?.length ?? 0).toBe(nonInSync(report));
      // The summary table keeps its 12 columns.
      for (const row of output.split("\n").filter((line) => line.startsWith("| ") && /\d \|$/.test(line))) {
        expect(row.split("|")).toHaveLength(13);
      }
    },
  );
});

describe("the Markdown escapes", () => {
  it.each([
    ["<b>&x</b>", "&lt;b&gt;&amp;x&lt;/b&gt;"],
    ["a|b", "a\\|b"],
    ["[x](y) *z* _w_ ~v~ #1 !i `c` \\", "\\[x\\](y) \\*z\\* \\_w\\_ \\~v\\~ \\#1 \\!i \\`c\\` \\\\"],
    ["ESC\u001b[2J", "ESC\\\\x1b\\[2J"],
  ])("markdownText(%j) is %j", (text, escaped) => {
    expect(markdownText(text)).toBe(escaped);
  });

  it.each([
    ["plain", "`plain`"],
    ["a`b", "``a`b``"],
    ["``x", "``` ``x ```"],
    ["<img>", "`<img>`"],
    ["", "\\(empty)"],
  ])("inlineCode(%j) is %j", (text, code) => {
    expect(inlineCode(text)).toBe(code.replace("\\(empty)", "(empty)"));
  });

  it("htmlText escapes all five HTML characters", () => {
    expect(htmlText(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });

  it("fences a block with more backticks than any run inside it", () => {
    expect(fencedBlock("sh", ["echo ````", "ok"], "  ")).toEqual([
      "  `````sh",
      "  echo ````",
      "  ok",
      "  `````",
    ]);
    expect(fencedBlock("diff", ["-a", "", "+b"])).toEqual(["```diff", "-a", "", "+b", "```"]);
  });
});

/** A report of `count` drifted copies of the incident's runner set, the i-th with every finding at SEVERITIES[i % 5]. */
function manyDrifted(count: number): DriftReport {
  const base = driftedSample();
  const resources: ResourceReport[] = Array.from({ length: count }, (_, i) => {
    const severity: Severity = SEVERITIES[i % SEVERITIES.length] ?? "info";
    return {
      ...structuredClone(base),
      name: `runner-set-${i}`,
      findings: base.findings.map((finding) => ({ ...finding, severity })),
    };
  });
  const report = structuredClone(sampleReports.incident);
  const release = report.releases[0];
  if (!release) throw new Error("sample changed: the incident has no release");
  release.resources = resources;
  return report;
}

describe("the GitHub comment limit", () => {
  it("keeps a report of 300 drifted resources under 65 536 characters, the most severe first, and says what it left out", () => {
    const report = manyDrifted(300);
    const output = renderMarkdown(report);
    expect(Buffer.byteLength(output, "utf8")).toBeLessThan(MARKDOWN_MAX_LENGTH);
    expect(output.length).toBeLessThan(65_536);
    const kept = [...output.matchAll(/<b>AutoscalingRunnerSet\/arc-runners\/runner-set-(\d+)<\/b>/g)].map(
      (m) => Number(m[1]),
    );
    expect(kept.length).toBeGreaterThan(0);
    // Every kept resource is critical (i % 5 === 0), and they are the first criticals, in report order.
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, j) => j * 5));
    expect(output.trimEnd().split("\n").at(-1)).toBe(
      `> ${300 - kept.length} resources were left out (the least severe first) to keep this report under 65536 ` +
        "characters; -o json has the whole report.",
    );
    expect(output).toContain(
      "300 resources: 300 drifted, 0 missing, 0 unreadable; 1200 findings (240 critical,",
    );
    expect(proseOf(output).replace(OWN_TAGS, "").includes("<")).toBe(false);
  });

  it("leaves nothing out of a report that fits, and drops only what it must with a smaller limit", () => {
    const report = manyDrifted(5);
    const whole = renderMarkdown(report);
    expect(whole.match(/<details>/g)).toHaveLength(5);
    expect(whole).not.toContain("left out");
    const limit = Buffer.byteLength(whole, "utf8") - 10;
    const cut = renderMarkdown(report, limit);
    expect(Buffer.byteLength(cut, "utf8")).toBeLessThan(limit);
    // The info resource (i = 4) goes first.
    expect(cut).not.toContain("runner-set-4</b>");
    expect(cut).toContain("runner-set-3</b>");
    expect(cut).toContain("> 1 resource was left out");
  });
});
