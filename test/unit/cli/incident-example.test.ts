import { describe, expect, it } from "vitest";
import { corpusPath } from "../../helpers/corpus.js";
import { repoPath } from "../../helpers/repo-path.js";
import { assertValidReport } from "../../helpers/report-schema.js";
import { runCli } from "./run-cli.js";

const example = [
  "check",
  "--manifest",
  repoPath("fixtures/incident/manifest.yaml"),
  "--live",
  repoPath("fixtures/incident/live.yaml"),
];
/** The one unstable value of a report. */
const stable = (text: string) => text.replace(/"generatedAt": "[^"]+"/, '"generatedAt": "<generatedAt>"');
const ESC = "\u001b[";

describe("the shipped offline incident example (README quick start)", () => {
  it("text: the three missing fields, the broken kubectl-bin mount and the suspend/delete/upgrade/resume plan; exit 2", async () => {
    const run = await runCli(example);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("");
    for (const line of [
      "HIGH      spec.template.spec.serviceAccountName",
      "HIGH      spec.template.spec.initContainers",
      "HIGH      spec.template.spec.volumes",
      "CRITICAL  spec.template.spec.containers[name=runner].volumeMounts[mountPath=/usr/local/kubectl-bin]",
      "Heals on next helm upgrade: no",
      "flux suspend helmrelease arc-runners -n flux-system",
      "kubectl delete autoscalingrunnerset.actions.github.com arc-runners -n arc-runners",
      "helm upgrade arc-runners gha-runner-scale-set --reuse-values --version 0.14.2 -n arc-runners",
      "flux resume helmrelease arc-runners -n flux-system",
    ]) {
      expect(run.stdout).toContain(line);
    }
    const fix = run.stdout.slice(
      run.stdout.indexOf("Fix (recreate)"),
      run.stdout.indexOf("Alternative (patch)"),
    );
    const order = [
      "  flux suspend helmrelease",
      "  kubectl delete ",
      "  helm upgrade arc-runners",
      "  helm-drift check arc-runners",
      "  flux resume helmrelease",
    ].map((command) => fix.indexOf(command));
    expect(order.every((at) => at > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    await expect(`exit code ${run.code}\n${run.stdout}`).toMatchFileSnapshot("./__golden__/incident.txt");
  });

  it("json: valid against the schema, exactly the incident's findings, and the same exit code", async () => {
    const run = await runCli([...example, "-o", "json"]);
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout);
    assertValidReport(report);
    const ars = report.releases[0].resources.find((r: { kind: string }) => r.kind === "AutoscalingRunnerSet");
    expect(
      ars.findings.map((f: { code: string; path: string; severity: string }) => [f.code, f.path, f.severity]),
    ).toEqual([
      [
        "volume-mount-broken",
        "spec.template.spec.containers[name=runner].volumeMounts[mountPath=/usr/local/kubectl-bin]",
        "critical",
      ],
      ["field-missing", "spec.template.spec.serviceAccountName", "high"],
      ["list-missing", "spec.template.spec.initContainers", "high"],
      ["list-missing", "spec.template.spec.volumes", "high"],
    ]);
    expect(ars.healsOnUpgrade).toBe("no");
    expect(
      report.releases[0].resources.filter((r: { status: string }) => r.status !== "InSync"),
    ).toHaveLength(1);
    await expect(`exit code ${run.code}\n${stable(run.stdout)}`).toMatchFileSnapshot(
      "./__golden__/incident.json",
    );
  });

  it("never prints the Secret's token, in any format", async () => {
    const token = "ZmFrZS1naC10b2tlbi1oZWxtLWRyaWZ0LWluY2lkZW50LTAwMDA=";
    for (const output of ["text", "json"]) {
      const run = await runCli([...example, "-o", output, "--verbose"]);
      expect(run.stdout).not.toContain(token);
      expect(run.stdout).not.toContain(Buffer.from(token, "base64").toString());
    }
  });

  it("--fail-on critical still exits 2 (a critical broken reference); an InSync check exits 0", async () => {
    expect((await runCli([...example, "--fail-on", "critical"])).code).toBe(2);
    const clean = await runCli([
      "check",
      "--manifest",
      corpusPath("live-vs-desired/gitops-engine/smd-deploy-config.yaml"),
      "--live",
      corpusPath("live-vs-desired/gitops-engine/smd-deploy-live.yaml"),
    ]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/^✓ release .*InSync/);
  });

  it.each([
    ["a terminal gets colour", { tty: true, env: {} }, true],
    ["NO_COLOR turns it off on a terminal", { tty: true, env: { NO_COLOR: "1" } }, false],
    ["a pipe gets none", { tty: false, env: {} }, false],
    ["--no-color turns it off on a terminal", { tty: true, env: {}, args: ["--no-color"] }, false],
    ["--color forces it on a pipe", { tty: false, env: {}, args: ["--color"] }, true],
    ["NO_COLOR beats --color", { tty: false, env: { NO_COLOR: "1" }, args: ["--color"] }, false],
  ])("%s", async (_name, how: { tty: boolean; env: NodeJS.ProcessEnv; args?: string[] }, coloured) => {
    const run = await runCli([...example, ...(how.args ?? [])], { tty: how.tty, env: how.env });
    expect(run.stdout.includes(ESC)).toBe(coloured);
  });

  it("reads the manifest from stdin with --manifest -", async () => {
    const { readFileSync } = await import("node:fs");
    const run = await runCli(
      ["check", "--manifest", "-", "--live", repoPath("fixtures/incident/live.yaml"), "-o", "json"],
      {
        stdin: readFileSync(repoPath("fixtures/incident/manifest.yaml"), "utf8"),
      },
    );
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).summary.findings).toBe(4);
  });
});
