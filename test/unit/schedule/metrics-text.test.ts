import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ObjectsClusterReader } from "../../../src/cluster/objects-cluster-reader.js";
import { checkReleases } from "../../../src/core/check-releases.js";
import { offlineRelease } from "../../../src/core/offline-release.js";
import type { DriftReport, ReleaseReport } from "../../../src/model/report.js";
import { escapeLabelValue, metricsText, type RunMetrics } from "../../../src/schedule/metrics-text.js";
import { parseLiveObjects } from "../../../src/sources/live-objects.js";
import { corpusPath } from "../../helpers/corpus.js";
import { repoPath } from "../../helpers/repo-path.js";

/*
 * The run metrics in the Prometheus text exposition format 0.0.4, from reports the real core produced on the
 * shipped incident and on a corpus pair. Every output is checked line by line against the format's grammar
 * (and with `promtool check metrics` where promtool is installed, as in CI).
 */

const NOW = new Date("2026-11-30T06:00:00.000Z");

async function offlineReport(files: { manifest: string; live: string }, release: string | null = null) {
  const manifest = readFileSync(files.manifest, "utf8");
  const live = parseLiveObjects(readFileSync(files.live, "utf8"), files.live);
  return checkReleases(
    {
      kind: "given",
      releases: [offlineRelease({ manifest, origin: files.manifest, live, release, namespace: null })],
    },
    { reader: new ObjectsClusterReader(live), now: () => NOW },
  );
}

const INCIDENT = {
  manifest: repoPath("fixtures/incident/manifest.yaml"),
  live: repoPath("fixtures/incident/live.yaml"),
};
/** A Deployment in sync, with no Helm stamps: offline, its release has no name. */
const UNSTAMPED = {
  manifest: corpusPath("live-vs-desired/gitops-engine/smd-deploy-config.yaml"),
  live: corpusPath("live-vs-desired/gitops-engine/smd-deploy-live.yaml"),
};

function completed(report: DriftReport, more: Partial<RunMetrics> = {}): RunMetrics {
  return { report, succeeded: true, durationSeconds: 2.5, lastSuccess: NOW, failedRuns: 3, ...more };
}

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
const VALUE = "(?:NaN|[+-]Inf|-?[0-9]+(?:\\.[0-9]+)?(?:e[+-]?[0-9]+)?)";
const LINE = new RegExp(
  `^(?:# HELP ${NAME} [^\\n]*|# TYPE ${NAME} (?:counter|gauge)|${NAME}(?:\\{${LABEL}(?:,${LABEL})*\\})? ${VALUE})$`,
);

/**
 * What is wrong with `text` as exposition format 0.0.4: a line outside the grammar, a missing final line feed,
 * a family without HELP and TYPE first, a family split in two, or a sample repeated. Empty when it is well-formed.
 */
function formatErrors(text: string): string[] {
  const errors: string[] = [];
  if (!text.endsWith("\n")) errors.push("no line feed after the last line");
  const seenFamilies = new Set<string>();
  const seenSamples = new Set<string>();
  let family: string | null = null;
  const lines = (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");
  lines.forEach((line, i) => {
    if (!LINE.test(line)) errors.push(`line ${i + 1} not in the grammar: ${JSON.stringify(line)}`);
    const help = /^# HELP (\S+) /.exec(line);
    if (help) {
      if (seenFamilies.has(help[1] as string)) errors.push(`line ${i + 1}: ${help[1]} described twice`);
      seenFamilies.add(help[1] as string);
      family = help[1] as string;
      if (!lines[i + 1]?.startsWith(`# TYPE ${family} `))
        errors.push(`line ${i + 2}: TYPE of ${family} not next`);
      return;
    }
    if (line.startsWith("# TYPE ")) return;
    const name = /^[^{ ]+/.exec(line)?.[0];
    if (name !== family) errors.push(`line ${i + 1}: ${name} outside its family (after ${family})`);
    const series = line.slice(0, line.lastIndexOf(" "));
    if (seenSamples.has(series)) errors.push(`line ${i + 1}: ${series} twice`);
    seenSamples.add(series);
  });
  return errors;
}

const promtool = spawnSync("sh", ["-c", "command -v promtool"], { encoding: "utf8" }).stdout.trim();

/** The metric names in the text, in order. */
const familiesOf = (text: string) => [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]);

describe("metrics of a completed run", () => {
  it("the incident: every release gauge with zeros included, the run metrics; well-formed; golden", async () => {
    const text = metricsText(completed(await offlineReport(INCIDENT)));
    expect(formatErrors(text)).toEqual([]);
    expect(familiesOf(text)).toEqual([
      "helm_drift_release_resources",
      "helm_drift_release_findings",
      "helm_drift_release_ignored_findings",
      "helm_drift_release_status",
      "helm_drift_run_duration_seconds",
      "helm_drift_last_success_timestamp_seconds",
      "helm_drift_run_failures_total",
      "helm_drift_last_run_success",
    ]);
    const samples = text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
    expect(samples).toEqual([
      'helm_drift_release_resources{namespace="arc-runners",release="arc-runners",status="InSync"} 3',
      'helm_drift_release_resources{namespace="arc-runners",release="arc-runners",status="Drifted"} 1',
      'helm_drift_release_resources{namespace="arc-runners",release="arc-runners",status="Missing"} 0',
      'helm_drift_release_resources{namespace="arc-runners",release="arc-runners",status="Unreadable"} 0',
      'helm_drift_release_findings{namespace="arc-runners",release="arc-runners",severity="critical"} 1',
      'helm_drift_release_findings{namespace="arc-runners",release="arc-runners",severity="high"} 3',
      'helm_drift_release_findings{namespace="arc-runners",release="arc-runners",severity="medium"} 0',
      'helm_drift_release_findings{namespace="arc-runners",release="arc-runners",severity="low"} 0',
      'helm_drift_release_findings{namespace="arc-runners",release="arc-runners",severity="info"} 0',
      'helm_drift_release_ignored_findings{namespace="arc-runners",release="arc-runners"} 0',
      'helm_drift_release_status{namespace="arc-runners",release="arc-runners",status="InSync"} 0',
      'helm_drift_release_status{namespace="arc-runners",release="arc-runners",status="Drifted"} 1',
      'helm_drift_release_status{namespace="arc-runners",release="arc-runners",status="Incomplete"} 0',
      'helm_drift_release_status{namespace="arc-runners",release="arc-runners",status="Error"} 0',
      "helm_drift_run_duration_seconds 2.5",
      "helm_drift_last_success_timestamp_seconds 1796018400",
      "helm_drift_run_failures_total 3",
      "helm_drift_last_run_success 1",
    ]);
    await expect(text).toMatchFileSnapshot("./__golden__/incident-metrics.prom");
  });

  it.each([
    ["a run whose sinks failed: release gauges kept, last_run_success 0", { succeeded: false }, "0", true],
    ["no completed run yet: no last-success timestamp", { lastSuccess: null }, "1", false],
  ])("%s", async (_name, more: Partial<RunMetrics>, success, timestamp) => {
    const text = metricsText(completed(await offlineReport(INCIDENT), more));
    expect(formatErrors(text)).toEqual([]);
    expect(text).toContain(`\nhelm_drift_last_run_success ${success}\n`);
    expect(text.includes("helm_drift_last_success_timestamp_seconds")).toBe(timestamp);
    expect(text).toContain(
      'helm_drift_release_findings{namespace="arc-runners",release="arc-runners",severity="critical"} 1\n',
    );
  });

  it("a release without a name (offline, no Helm stamps) has no release series; the run metrics stay", async () => {
    const report = await offlineReport(UNSTAMPED);
    expect(report.releases.map((r) => [r.name, r.status])).toEqual([[null, "InSync"]]);
    const text = metricsText(completed(report));
    expect(formatErrors(text)).toEqual([]);
    expect(text).not.toContain("namespace=");
    expect(familiesOf(text)).toEqual([
      "helm_drift_release_resources",
      "helm_drift_release_findings",
      "helm_drift_release_ignored_findings",
      "helm_drift_release_status",
      "helm_drift_run_duration_seconds",
      "helm_drift_last_success_timestamp_seconds",
      "helm_drift_run_failures_total",
      "helm_drift_last_run_success",
    ]);
  });

  it('a release name holding \\, " and a line feed is escaped in its label value', async () => {
    const text = metricsText(completed(await offlineReport(INCIDENT, 'we"b\\x\ny')));
    expect(formatErrors(text)).toEqual([]);
    expect(text).toContain(
      'helm_drift_release_status{namespace="arc-runners",release="we\\"b\\\\x\\ny",status="Drifted"} 1\n',
    );
  });

  it("releases sorted by namespace then name; Error and Incomplete each flag their status; a repeated release is one series", async () => {
    const incident = await offlineReport(INCIDENT);
    const base = incident.releases[0] as ReleaseReport;
    const release = (namespace: string, name: string, more: Partial<ReleaseReport>): ReleaseReport => ({
      ...base,
      namespace,
      name,
      ...more,
    });
    const report: DriftReport = {
      ...incident,
      releases: [
        release("shop", "web", { status: "Error", error: "helm get manifest failed", resources: [] }),
        release("b", "z", {}),
        release("b", "a", {
          status: "Incomplete",
          resources: base.resources.map((r, i) => (i === 0 ? { ...r, status: "Unreadable" } : r)),
        }),
        release("b", "z", { status: "InSync", resources: base.resources.slice(0, 1) }),
      ],
    };
    const text = metricsText(completed(report));
    expect(formatErrors(text)).toEqual([]);
    const status = text
      .split("\n")
      .filter((line) => line.startsWith("helm_drift_release_status{") && line.endsWith(" 1"));
    expect(status).toEqual([
      'helm_drift_release_status{namespace="b",release="a",status="Incomplete"} 1',
      'helm_drift_release_status{namespace="b",release="z",status="Drifted"} 1',
      'helm_drift_release_status{namespace="shop",release="web",status="Error"} 1',
    ]);
    expect(text).toContain('helm_drift_release_resources{namespace="b",release="a",status="Unreadable"} 1\n');
    // b/z twice: 4 + 1 resources, the Secret (InSync) counted in both.
    expect(text).toContain('helm_drift_release_resources{namespace="b",release="z",status="InSync"} 4\n');
    expect(text).toContain(
      'helm_drift_release_resources{namespace="shop",release="web",status="InSync"} 0\n',
    );
  });

  it("ignored findings are counted per release, apart from the kept ones", async () => {
    const incident = await offlineReport(INCIDENT);
    const base = incident.releases[0] as ReleaseReport;
    const drifted = base.resources.find((r) => r.status === "Drifted");
    const [first] = drifted?.findings ?? [];
    if (!drifted || !first) throw new Error("the incident has no drifted resource");
    const ignoredBy = {
      by: "manager",
      manager: "kubectl-edit",
      origin: { kind: "config", file: ".helm-drift.yaml" },
    };
    const report: DriftReport = {
      ...incident,
      releases: [
        {
          ...base,
          resources: base.resources.map((r) =>
            r === drifted
              ? {
                  ...r,
                  ignoredFindings: [
                    { finding: first, ignoredBy },
                    { finding: first, ignoredBy },
                  ] as never,
                }
              : r,
          ),
        },
      ],
    };
    const text = metricsText(completed(report));
    expect(text).toContain(
      'helm_drift_release_ignored_findings{namespace="arc-runners",release="arc-runners"} 2\n',
    );
    expect(text).toContain(
      'helm_drift_release_findings{namespace="arc-runners",release="arc-runners",severity="high"} 3\n',
    );
  });
});

describe("metrics of a failed run", () => {
  it("only the duration, the failure counter and last_run_success 0, so a Pushgateway merge keeps the release gauges", () => {
    const text = metricsText({
      report: null,
      succeeded: false,
      durationSeconds: 0.125,
      lastSuccess: NOW,
      failedRuns: 4,
    });
    expect(text).toBe(
      [
        "# HELP helm_drift_run_duration_seconds How long the last run took, in seconds.",
        "# TYPE helm_drift_run_duration_seconds gauge",
        "helm_drift_run_duration_seconds 0.125",
        "# HELP helm_drift_run_failures_total Runs that failed.",
        "# TYPE helm_drift_run_failures_total counter",
        "helm_drift_run_failures_total 4",
        "# HELP helm_drift_last_run_success 1 when the last run completed with every output delivered, 0 when it failed.",
        "# TYPE helm_drift_last_run_success gauge",
        "helm_drift_last_run_success 0",
        "",
      ].join("\n"),
    );
    expect(formatErrors(text)).toEqual([]);
  });

  it.each([
    ["NaN", Number.NaN, "NaN"],
    ["+Inf", Number.POSITIVE_INFINITY, "+Inf"],
    ["a tiny duration in exponent form", 1e-7, "1e-7"],
  ])("a duration of %s is written as the format spells it", (_name, durationSeconds, written) => {
    const text = metricsText({
      report: null,
      succeeded: false,
      durationSeconds,
      lastSuccess: null,
      failedRuns: 1,
    });
    expect(text).toContain(`\nhelm_drift_run_duration_seconds ${written}\n`);
    expect(formatErrors(text)).toEqual([]);
  });
});

describe("label value escaping", () => {
  it.each([
    ["backslash", "a\\b", "a\\\\b"],
    ["double quote", 'a"b', 'a\\"b'],
    ["line feed", "a\nb", "a\\nb"],
    ["all three, in order", '\\"\n', '\\\\\\"\\n'],
    ["nothing to escape", "web-1.2", "web-1.2"],
  ])("%s", (_name, value, escaped) => {
    expect(escapeLabelValue(value)).toBe(escaped);
  });
});

describe("the format check these tests rely on", () => {
  const good = '# HELP m A metric.\n# TYPE m gauge\nm{a="x"} 1\n';
  it.each([
    ["well-formed text", good, []],
    ["a raw double quote in a label value", good.replace('"x"', '"x"y"'), ["line 3 not in the grammar"]],
    ["an unknown escape in a label value", good.replace('"x"', '"x\\t"'), ["line 3 not in the grammar"]],
    ["no line feed at the end", good.slice(0, -1), ["no line feed after the last line"]],
    ["a sample before its TYPE", "# HELP m A metric.\nm 1\n# TYPE m gauge\n", ["line 2: TYPE of m not next"]],
    [
      "a family split in two",
      `${good}# HELP n N.\n# TYPE n gauge\nn 1\nm{a="y"} 2\n`,
      ["line 7: m outside its family (after n)"],
    ],
    ["a series twice", `${good}m{a="x"} 2\n`, ['line 4: m{a="x"} twice']],
    [
      "a metric name starting with a digit",
      good.replace(/\bm\b/g, "1m"),
      ["line 1 not in the grammar", "line 2 not in the grammar", "line 3 not in the grammar"],
    ],
  ])("%s", (_name, text, expected: string[]) => {
    expect(formatErrors(text).map((error) => error.replace(/: ".*$/, ""))).toEqual(
      expected.map((error) => error.replace(/: ".*$/, "")),
    );
  });
});

describe("promtool check metrics", () => {
  it.skipIf(promtool === "")(
    "accepts the incident's metrics and a failed run's (skipped when promtool is not on PATH; CI installs it)",
    async () => {
      const outputs = [
        metricsText(completed(await offlineReport(INCIDENT))),
        metricsText({ report: null, succeeded: false, durationSeconds: 1, lastSuccess: null, failedRuns: 1 }),
      ];
      for (const text of outputs) {
        // promtool prints lint problems and exits 1 on any; execFileSync throws then, with its output.
        expect(execFileSync(promtool, ["check", "metrics"], { input: text, encoding: "utf8" })).toBe("");
      }
    },
  );
});
