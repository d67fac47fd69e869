import { describe, expect, it } from "vitest";
import type { DriftReport } from "../../../src/model/report.js";
import { actionCommand } from "../../../src/report/action-command.js";
import { renderText } from "../../../src/report/text-reporter.js";
import { cutLong, formatValue, MAX_VALUE_LENGTH } from "../../../src/report/text-values.js";
import { type SampleCase, sampleReports } from "./sample-reports.js";

const cases = Object.keys(sampleReports) as SampleCase[];
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape sequences is the point
const ANSI = /\u001b\[[0-9;]*m/g;
const plain = { color: false };

function allCommands(report: DriftReport): string[] {
  return report.releases.flatMap((release) =>
    release.resources.flatMap((resource) => {
      const remediation = resource.remediation;
      if (!remediation) return [];
      const steps = [...remediation.steps, ...remediation.alternatives.flatMap((a) => a.steps)];
      return steps.map(actionCommand);
    }),
  );
}

describe("renderText", () => {
  it.each(cases)("renders the %s report as its golden file", async (name) => {
    await expect(renderText(sampleReports[name], plain)).toMatchFileSnapshot(`./__golden__/${name}.txt`);
  });

  it.each(["incident", "clean"] as const)(
    "renders the %s report in verbose mode as its golden file",
    async (name) => {
      const output = renderText(sampleReports[name], { color: false, verbose: true });
      await expect(output).toMatchFileSnapshot(`./__golden__/${name}-verbose.txt`);
    },
  );

  it.each(cases)(
    "writes no ANSI codes without colour, and the same text with them when colour is on (%s)",
    (name) => {
      const report = sampleReports[name];
      const uncoloured = renderText(report, plain);
      const coloured = renderText(report, { color: true });
      expect(uncoloured).not.toMatch(ANSI);
      expect(coloured).toMatch(ANSI);
      expect(coloured.replace(ANSI, "")).toBe(uncoloured);
    },
  );

  it.each(cases)("leaves no trailing whitespace on any line (%s)", (name) => {
    for (const options of [plain, { color: true, verbose: true }]) {
      const lines = renderText(sampleReports[name], options).replace(ANSI, "").split("\n");
      expect(lines.filter((line) => /\s$/.test(line))).toEqual([]);
    }
  });

  it("prints every remediation command whole, on a line of its own", () => {
    const report = sampleReports.incident;
    const lines = renderText(report, plain)
      .split("\n")
      .map((line) => line.trim());
    const commands = allCommands(report);
    expect(commands).toHaveLength(9);
    expect(commands.some((command) => command.length > 300)).toBe(true);
    for (const command of commands) expect(lines).toContain(command);
  });

  it("lists in-sync resources only in verbose mode", () => {
    const report = sampleReports.incident;
    const quiet = renderText(report, plain);
    const verbose = renderText(report, { color: false, verbose: true });
    expect(quiet).not.toContain("ServiceAccount/arc-runners/arc-runner-set-gha-rs-kube-mode");
    expect(verbose).toContain(
      "  ✓ ServiceAccount/arc-runners/arc-runner-set-gha-rs-kube-mode — InSync (gha-runner-scale-set/templates/kube_mode_serviceaccount.yaml)",
    );
  });

  it("opens each release with its summary line and ends with the totals", () => {
    const lines = renderText(sampleReports.incident, plain).trimEnd().split("\n");
    expect(lines[0]).toBe(
      "✗ release arc-runners (ns arc-runners, rev 3, chart gha-runner-scale-set-0.14.2, flux HelmRelease flux-system/arc-runners): Drifted — 1 of 4 resources drifted, 4 findings (1 critical, 3 high)",
    );
    expect(lines.at(-1)).toBe(
      "Total: 1 release, 4 resources, 1 drifted, 0 missing, 4 findings (1 critical, 3 high, 0 medium, 0 low, 0 info)",
    );
  });

  it("names who changed a field and the error of a release that could not be checked", () => {
    const incident = renderText(sampleReports.incident, plain);
    expect(incident).toContain("changed by helm-controller (Update, 2025-10-28T08:01:55Z)");
    const failed = renderText(sampleReports["error-release"], plain);
    expect(failed.split("\n")[0]).toMatch(
      /^! release payments \(ns payments\): Error: helm get manifest payments/,
    );
  });

  it("indents the further lines of a multi-line error, and prints those of a multi-line command as they are", () => {
    const report = structuredClone(sampleReports["error-release"]);
    Object.assign(report.releases[0] ?? {}, {
      error: "manifest is not valid YAML:\nline 14: bad indentation",
    });
    // A chart path with a line break: the shell word is quoted across two lines.
    const web = structuredClone(sampleReports["missing-unreadable"]);
    const upgrade = web.releases[0]?.resources[1]?.remediation?.steps[0];
    if (upgrade?.action !== "helm-upgrade")
      throw new Error("sample changed: web's first step is no helm-upgrade");
    upgrade.chart = "./charts/web-app\nv2";
    const command = actionCommand(upgrade);
    expect(command).toBe("helm upgrade web './charts/web-app\nv2' --reuse-values --version 2.4.1 -n web");
    expect(renderText(report, plain).split("\n").slice(0, 2)).toEqual([
      "! release payments (ns payments): Error: manifest is not valid YAML:",
      "  line 14: bad indentation",
    ]);
    expect(renderText(web, plain)).toContain(`\n           ${command}\n`);
  });

  it("lists the fields a plan leaves alone, and why, under the steps", () => {
    const lines = renderText(sampleReports.autoscaled, plain).split("\n");
    const at = lines.indexOf("      Leaves alone:");
    expect(at).toBeGreaterThan(0);
    expect(lines[at - 1]).toBe("           helm-drift check storefront -n shop");
    expect(lines[at + 1]).toBe(
      "      - spec.replicas: not reverted: an autoscaler targets the object and legitimately owns spec.replicas (the HPA controller writes it as kube-controller-manager, KEDA as keda-operator)",
    );
    expect(lines[at + 2]).toBe("");
    expect(renderText(sampleReports.incident, plain)).not.toContain("Leaves alone:");
  });

  it("colours added diff lines green and removed ones red", () => {
    const coloured = renderText(sampleReports["masked-secret"], { color: true });
    expect(coloured).toContain('\u001b[31m-  admin-password: "*** (rendered)"\u001b[39m');
    expect(coloured).toContain('\u001b[32m+  admin-password: "*** (live)"\u001b[39m');
  });

  it("renders the same report to the same text every time", () => {
    const report = sampleReports["missing-unreadable"];
    expect(renderText(structuredClone(report), plain)).toBe(renderText(report, plain));
  });

  it("says so when there are no releases", () => {
    const empty: DriftReport = {
      ...sampleReports.clean,
      releases: [],
      summary: { ...sampleReports.clean.summary, releases: 0, resources: 0 },
    };
    expect(renderText(empty, plain)).toBe(
      "No releases checked.\n\nTotal: 0 releases, 0 resources, 0 drifted, 0 missing, 0 findings (0 critical, 0 high, 0 medium, 0 low, 0 info)\n",
    );
  });
});

describe("formatValue", () => {
  it("writes compact JSON, keeping strings and numbers apart", () => {
    expect(formatValue("80")).toBe('"80"');
    expect(formatValue(80)).toBe("80");
    expect(formatValue({ name: "kubectl-bin", emptyDir: {} })).toBe('{"name":"kubectl-bin","emptyDir":{}}');
    expect(formatValue("line one\nline two")).toBe('"line one\\nline two"');
  });

  it("writes (absent) for a side that has no value", () => {
    expect(formatValue(null)).toBe("(absent)");
    expect(formatValue(undefined)).toBe("(absent)");
  });

  it("cuts a long value and says how much was left out and the start of its SHA-256", () => {
    const value = "é".repeat(150);
    const shown = formatValue(value);
    expect(shown).toBe(`"${"é".repeat(MAX_VALUE_LENGTH - 1)}… (+52 chars, sha256 265e807680e4)`);
  });

  it("prints a value megabytes long as one short line", () => {
    const shown = formatValue("b".repeat(1024 * 1024));
    expect(shown).toMatch(/^"b{99}… \(\+1048478 chars, sha256 [0-9a-f]{12}\)$/);
  });

  it("counts a character outside the BMP (two UTF-16 units) as one and never cuts it in half", () => {
    // 98 ASCII, then "😀" at code points 99 and 100 of the JSON text (quote included): the cut keeps it whole.
    const shown = formatValue(`${"x".repeat(98)}😀😀tail`);
    expect(shown).toMatch(/^"x{98}😀… \(\+6 chars, sha256 [0-9a-f]{12}\)$/);
    expect(cutLong("😀".repeat(5), 5)).toBe("😀".repeat(5));
    expect(cutLong("😀".repeat(6), 5)).toMatch(/^(😀){5}… \(\+1 chars, sha256 [0-9a-f]{12}\)$/);
  });
});
