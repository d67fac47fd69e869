import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  MetricsFileError,
  MetricsFileSink,
  mergeMetricFamilies,
  metricFamilies,
} from "../../../src/schedule/metrics-file-sink.js";

const FINDINGS = `# HELP helm_drift_findings Findings of the last completed run.
# TYPE helm_drift_findings gauge
helm_drift_findings{release="shop/web",severity="warning"} 2
helm_drift_findings{release="shop/api",severity="error"} 1
`;
const LAST_SUCCESS = `# HELP helm_drift_last_success_timestamp_seconds When the last run completed.
# TYPE helm_drift_last_success_timestamp_seconds gauge
helm_drift_last_success_timestamp_seconds 1772442000
`;
const DURATION = `# HELP helm_drift_run_duration_seconds How long runs took.
# TYPE helm_drift_run_duration_seconds histogram
helm_drift_run_duration_seconds_bucket{le="10"} 1
helm_drift_run_duration_seconds_bucket{le="+Inf"} 2
helm_drift_run_duration_seconds_sum 31.5
helm_drift_run_duration_seconds_count 2
`;
const FAILED_BEFORE = `# HELP helm_drift_failed_runs_total Runs that failed.
# TYPE helm_drift_failed_runs_total counter
helm_drift_failed_runs_total 1
`;
const FAILED_NOW = `# HELP helm_drift_failed_runs_total Runs that failed.
# TYPE helm_drift_failed_runs_total counter
helm_drift_failed_runs_total 2
`;
const LAST_RUN_FAILED = `# HELP helm_drift_last_run_failed 1 when the last run failed.
# TYPE helm_drift_last_run_failed gauge
helm_drift_last_run_failed 1
`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "helm-drift-metrics-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("metricFamilies", () => {
  test("groups HELP, TYPE and samples by family, histogram series under their family", () => {
    const families = metricFamilies(FINDINGS + DURATION);
    expect([...families.keys()]).toEqual(["helm_drift_findings", "helm_drift_run_duration_seconds"]);
    expect(families.get("helm_drift_run_duration_seconds")?.lines).toEqual(DURATION.trimEnd().split("\n"));
  });

  test("samples with no HELP or TYPE are their own families; a family split in two is brought together", () => {
    const families = metricFamilies('a 1\nb 2\na{x="y"} 3\n\n');
    expect([...families.entries()].map(([name, family]) => [name, family.lines])).toEqual([
      ["a", ["a 1", 'a{x="y"} 3']],
      ["b", ["b 2"]],
    ]);
  });
});

describe("mergeMetricFamilies", () => {
  test("replaces the families given, keeps the others in place, and adds new ones at the end", () => {
    expect(mergeMetricFamilies(FINDINGS + FAILED_BEFORE + DURATION, FAILED_NOW + LAST_RUN_FAILED)).toBe(
      FINDINGS + FAILED_NOW + DURATION + LAST_RUN_FAILED,
    );
  });

  test("a histogram family is replaced whole, its buckets, sum and count included", () => {
    const fewer = `# TYPE helm_drift_run_duration_seconds histogram
helm_drift_run_duration_seconds_bucket{le="+Inf"} 3
helm_drift_run_duration_seconds_sum 40
helm_drift_run_duration_seconds_count 3
`;
    expect(mergeMetricFamilies(DURATION + LAST_SUCCESS, fewer)).toBe(fewer + LAST_SUCCESS);
  });

  test("into nothing: the update alone", () => {
    expect(mergeMetricFamilies("", FAILED_NOW)).toBe(FAILED_NOW);
  });
});

describe("MetricsFileSink", () => {
  test("replace writes the text as the whole file, leaving no temporary file", async () => {
    const file = path.join(dir, "helm-drift.prom");
    await writeFile(file, FINDINGS + FAILED_BEFORE);
    const sink = new MetricsFileSink(file);
    expect(sink.description).toBe(`metrics file ${file}`);
    await sink.write(LAST_SUCCESS, "replace");
    expect(await readFile(file, "utf8")).toBe(LAST_SUCCESS);
    expect(await readdir(dir)).toEqual(["helm-drift.prom"]);
  });

  test("merge keeps the families of the last completed run and replaces the failure metrics", async () => {
    const file = path.join(dir, "helm-drift.prom");
    await writeFile(file, FINDINGS + LAST_SUCCESS + FAILED_BEFORE);
    await new MetricsFileSink(file).write(FAILED_NOW + LAST_RUN_FAILED, "merge");
    expect(await readFile(file, "utf8")).toBe(FINDINGS + LAST_SUCCESS + FAILED_NOW + LAST_RUN_FAILED);
    expect(await readdir(dir)).toEqual(["helm-drift.prom"]);
  });

  test("merge into a file that is not there yet writes the text", async () => {
    const file = path.join(dir, "helm-drift.prom");
    await new MetricsFileSink(file).write(FAILED_NOW, "merge");
    expect(await readFile(file, "utf8")).toBe(FAILED_NOW);
  });

  test("a directory that does not exist: MetricsFileError saying so, nothing left behind", async () => {
    const file = path.join(dir, "missing", "helm-drift.prom");
    const error = await new MetricsFileSink(file).write(FAILED_NOW, "replace").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MetricsFileError);
    expect((error as Error).message).toBe(
      `cannot write the metrics file ${file}: its directory does not exist`,
    );
    expect(await readdir(dir)).toEqual([]);
  });

  test("a directory in the file's place: MetricsFileError, the temporary file removed", async () => {
    const file = path.join(dir, "helm-drift.prom");
    await mkdir(file);
    const error = await new MetricsFileSink(file).write(FAILED_NOW, "replace").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MetricsFileError);
    expect((error as Error).message).toBe(`cannot write the metrics file ${file}: it is a directory`);
    expect(await readdir(dir)).toEqual(["helm-drift.prom"]);
  });

  test("merge with a file that cannot be read: MetricsFileError, the file left as it was", async () => {
    const file = path.join(dir, "helm-drift.prom");
    await mkdir(file);
    const error = await new MetricsFileSink(file).write(FAILED_NOW, "merge").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MetricsFileError);
    expect((error as Error).message).toBe(`cannot read the metrics file ${file}: it is a directory`);
  });
});
