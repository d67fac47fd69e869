import { SEVERITIES } from "../model/finding.js";
import type { DriftReport, ReleaseStatus, ResourceStatus } from "../model/report.js";

/*
 * The metrics of a `helm-drift report` run in the Prometheus text exposition format 0.0.4
 * (prometheus.io/docs/instrumenting/exposition_formats): one `# HELP` and one `# TYPE` line per metric, then
 * its samples, all together; `\n` line endings, the last line ended too; label values in double quotes with `\`,
 * `"` and line feed escaped as `\\`, `\"` and `\n`; HELP text with `\` and line feed escaped. A Pushgateway
 * or a textfile collector reads it. Pure: the run's numbers in, the text out; a MetricsSink writes it.
 *
 * The names and labels below are a contract (dashboards and alerts use them): keep them stable.
 */

export interface RunMetrics {
  /** The run's report; null when the run failed before it had one. */
  report: DriftReport | null;
  /** Whether the run completed and every configured sink succeeded. */
  succeeded: boolean;
  durationSeconds: number;
  /** When a run last completed; null: never. */
  lastSuccess: Date | null;
  /** Runs that failed, counted across runs (kept in the state). */
  failedRuns: number;
}

type MetricType = "gauge" | "counter";

interface Metric {
  name: string;
  type: MetricType;
  help: string;
}

/** Resources of a release by status (every status, 0 included). Labels: namespace, release, status. */
const RELEASE_RESOURCES: Metric = {
  name: "helm_drift_release_resources",
  type: "gauge",
  help: "Rendered objects of the release by status (InSync, Drifted, Missing, Unreadable).",
};
/** Kept (not ignored) findings of a release by severity (every severity, 0 included). Labels: namespace, release, severity. */
const RELEASE_FINDINGS: Metric = {
  name: "helm_drift_release_findings",
  type: "gauge",
  help: "Drift findings of the release by severity, ignored findings not counted.",
};
/** Findings an ignore rule, an ignored manager or Flux's opt-out dropped. Labels: namespace, release. */
const RELEASE_IGNORED: Metric = {
  name: "helm_drift_release_ignored_findings",
  type: "gauge",
  help: "Drift findings of the release that ignore rules, ignored managers or Flux's opt-out dropped.",
};
/** 1 for the release's status, 0 for the other three. Labels: namespace, release, status. */
const RELEASE_STATUS: Metric = {
  name: "helm_drift_release_status",
  type: "gauge",
  help: "1 for the release's status (InSync, Drifted, Incomplete, Error), 0 for the others.",
};
/** How long the run took, start to metrics. */
const RUN_DURATION: Metric = {
  name: "helm_drift_run_duration_seconds",
  type: "gauge",
  help: "How long the last run took, in seconds.",
};
/** When a run last completed (Unix time); absent until one has. */
const LAST_SUCCESS: Metric = {
  name: "helm_drift_last_success_timestamp_seconds",
  type: "gauge",
  help: "When a run last completed with every output delivered, as a Unix time in seconds.",
};
/** Runs that failed, since the state was created. */
const RUN_FAILURES: Metric = {
  name: "helm_drift_run_failures_total",
  type: "counter",
  help: "Runs that failed.",
};
/** 1 when the last run completed with every output delivered, else 0. */
const LAST_RUN_SUCCESS: Metric = {
  name: "helm_drift_last_run_success",
  type: "gauge",
  help: "1 when the last run completed with every output delivered, 0 when it failed.",
};

const RESOURCE_STATUSES: readonly ResourceStatus[] = ["InSync", "Drifted", "Missing", "Unreadable"];
const RELEASE_STATUSES: readonly ReleaseStatus[] = ["InSync", "Drifted", "Incomplete", "Error"];

type Labels = readonly (readonly [string, string])[];

interface Sample {
  labels: Labels;
  value: number;
}

/**
 * The run's metrics. A run with a report writes every metric: the release gauges for each release that has a
 * name and a namespace (an offline one without is left out), sorted by namespace then name. A run without a
 * report (it failed) writes only the duration, the failure counter and `helm_drift_last_run_success 0`, so
 * that a Pushgateway merge keeps the release gauges the last completed run wrote.
 */
export function metricsText(run: RunMetrics): string {
  const families: [Metric, Sample[]][] = [];
  if (run.report !== null) {
    const releases = namedReleases(run.report);
    families.push(
      [RELEASE_RESOURCES, releases.flatMap(resourceSamples)],
      [RELEASE_FINDINGS, releases.flatMap(findingSamples)],
      [RELEASE_IGNORED, releases.map((release) => sample(release, [], release.ignored))],
      [RELEASE_STATUS, releases.flatMap(statusSamples)],
    );
  }
  families.push([RUN_DURATION, [{ labels: [], value: run.durationSeconds }]]);
  if (run.report !== null && run.lastSuccess !== null) {
    families.push([LAST_SUCCESS, [{ labels: [], value: run.lastSuccess.getTime() / 1000 }]]);
  }
  families.push(
    [RUN_FAILURES, [{ labels: [], value: run.failedRuns }]],
    [LAST_RUN_SUCCESS, [{ labels: [], value: run.report !== null && run.succeeded ? 1 : 0 }]],
  );
  return families.map(([metric, samples]) => familyText(metric, samples)).join("");
}

/** A named release's counts, merged with any other entry of the same release. */
interface ReleaseCounts {
  namespace: string;
  name: string;
  resources: Record<ResourceStatus, number>;
  findings: Record<(typeof SEVERITIES)[number], number>;
  ignored: number;
  status: ReleaseStatus;
}

/**
 * The named releases of the report, sorted by namespace then name (code-unit order, the same everywhere). A
 * release listed twice (named twice on the command line) is one series: its counts added, its status the worse.
 */
function namedReleases(report: DriftReport): ReleaseCounts[] {
  const byKey = new Map<string, ReleaseCounts>();
  for (const release of report.releases) {
    if (release.name === null || release.namespace === null) continue;
    const key = JSON.stringify([release.namespace, release.name]);
    const counts = byKey.get(key) ?? {
      namespace: release.namespace,
      name: release.name,
      resources: zeros(RESOURCE_STATUSES),
      findings: zeros(SEVERITIES),
      ignored: 0,
      status: release.status,
    };
    for (const resource of release.resources) {
      counts.resources[resource.status]++;
      for (const finding of resource.findings) counts.findings[finding.severity]++;
      counts.ignored += resource.ignoredFindings?.length ?? 0;
    }
    if (RELEASE_STATUSES.indexOf(release.status) > RELEASE_STATUSES.indexOf(counts.status)) {
      counts.status = release.status;
    }
    byKey.set(key, counts);
  }
  return [...byKey.values()].sort(
    (a, b) => compareText(a.namespace, b.namespace) || compareText(a.name, b.name),
  );
}

function zeros<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
}

function resourceSamples(release: ReleaseCounts): Sample[] {
  return RESOURCE_STATUSES.map((status) => sample(release, [["status", status]], release.resources[status]));
}

function findingSamples(release: ReleaseCounts): Sample[] {
  return SEVERITIES.map((severity) => sample(release, [["severity", severity]], release.findings[severity]));
}

function statusSamples(release: ReleaseCounts): Sample[] {
  return RELEASE_STATUSES.map((status) =>
    sample(release, [["status", status]], release.status === status ? 1 : 0),
  );
}

function sample(release: ReleaseCounts, more: Labels, value: number): Sample {
  return {
    labels: [["namespace", release.namespace], ["release", release.name], ...more],
    value,
  };
}

function familyText(metric: Metric, samples: readonly Sample[]): string {
  const lines = [`# HELP ${metric.name} ${escapeHelp(metric.help)}`, `# TYPE ${metric.name} ${metric.type}`];
  for (const { labels, value } of samples) {
    const labelText =
      labels.length === 0
        ? ""
        : `{${labels.map(([name, labelValue]) => `${name}="${escapeLabelValue(labelValue)}"`).join(",")}}`;
    lines.push(`${metric.name}${labelText} ${sampleValue(value)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** A label value's `\`, `"` and line feed as `\\`, `\"` and `\n`: the only escapes the format has. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (character) => (character === "\n" ? "\\n" : `\\${character}`));
}

/** HELP text's `\` and line feed as `\\` and `\n`. */
function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (character) => (character === "\n" ? "\\n" : "\\\\"));
}

/** A sample value as Go's ParseFloat reads it: `NaN`, `+Inf` and `-Inf` spelled as the format spells them. */
function sampleValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
