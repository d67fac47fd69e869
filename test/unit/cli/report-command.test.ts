import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

/** helm-drift report's failures before and without a cluster: one line, exit 1, no report, no secret. */
describe("helm-drift report without a usable cluster or input", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "helm-drift-report-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("a webhook URL file that is not there: one line naming it, before anything is read", async () => {
    const file = path.join(dir, "url");
    const run = await runCli(["report", "--webhook-url-file", file, "--kubeconfig", path.join(dir, "none")]);
    expect(run).toEqual({ code: 1, stdout: "", stderr: `helm-drift: ${file}: no such file\n` });
  });

  it("a webhook URL that is not http(s): one line that does not repeat the value", async () => {
    const run = await runCli(["report", "--kubeconfig", path.join(dir, "none")], {
      env: { HELM_DRIFT_WEBHOOK_URL: "ftp://hooks.example.test/services/T0/B0/s3cr3t-path" },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.split("\n")).toHaveLength(2);
    expect(run.stderr).toContain("HELM_DRIFT_WEBHOOK_URL");
    expect(run.stderr).not.toContain("s3cr3t-path");
  });

  it("no cluster: the error line, then what the failed run still recorded (the metrics file)", async () => {
    const metrics = path.join(dir, "helm-drift.prom");
    writeFileSync(
      metrics,
      '# TYPE helm_drift_release_findings gauge\nhelm_drift_release_findings{namespace="a",release="b",severity="high"} 2\n',
    );
    const kubeconfig = path.join(dir, "none");
    const run = await runCli(["report", "--kubeconfig", kubeconfig, "--metrics-file", metrics]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.split("\n")).toEqual([
      `helm-drift: kubeconfig ${kubeconfig}: no such file`,
      `helm-drift report: the run failed; written to metrics file ${metrics}`,
      "",
    ]);
    const written = readFileSync(metrics, "utf8");
    expect(written).toContain("helm_drift_last_run_success 0");
    expect(written).toContain("helm_drift_run_failures_total 1");
    // The last completed run's release gauges stay: an alert on them does not flap while runs fail.
    expect(written).toContain('helm_drift_release_findings{namespace="a",release="b",severity="high"} 2');
  });

  it("-o with a format but no file is refused: stdout is the JSON report's", async () => {
    const run = await runCli(["report", "-o", "html"]);
    expect(run).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "helm-drift: --output html: report writes its JSON report to stdout; give other reports as FORMAT=FILE\n",
    });
  });
});
