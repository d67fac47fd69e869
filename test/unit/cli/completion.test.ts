import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { completionPlan } from "../../../src/cli/completion/plan.js";
import { COMPLETION_SCRIPTS, SHELLS } from "../../../src/cli/completion/scripts.js";
import { OUTPUT_FORMATS } from "../../../src/report/reporters.js";
import { runCli } from "./run-cli.js";

/** `helm-drift __complete WORDS…` in-process: the candidate values (descriptions dropped) and the directive. */
async function complete(...words: string[]): Promise<{ values: string[]; directive: string }> {
  const run = await runCli(["__complete", ...words]);
  expect(run.code).toBe(0);
  expect(run.stderr).toBe("");
  const lines = run.stdout.trimEnd().split("\n");
  const directive = lines.pop() ?? "";
  return { values: lines.map((line) => line.split("\t")[0] ?? ""), directive };
}

describe("helm-drift __complete", () => {
  it("offers the subcommands, with their descriptions, and no file names", async () => {
    const run = await runCli(["__complete", ""]);
    expect(run.stdout).toBe(
      [
        "check\tcompare releases' rendered manifests with the live objects",
        "report\tcheck -A unattended, for a CronJob: what changed since the last run to a webhook, Events and metrics",
        "completion\tprint a shell completion script (bash, zsh or fish)",
        "help\tdisplay help for command",
        ":4",
        "",
      ].join("\n"),
    );
  });

  it("narrows the subcommands to the word typed so far", async () => {
    expect(await complete("co")).toEqual({ values: ["completion"], directive: ":4" });
  });

  it("offers check's long flags: every one its help lists (a new flag needs no list of its own)", async () => {
    const help = await runCli(["check", "--help"]);
    const listed = help.stdout
      .split("\n")
      .filter((line) => /^ {2}-/.test(line))
      .flatMap(
        (line) =>
          line
            .trim()
            .split(/\s{2,}/)[0]
            ?.match(/--[a-z][a-z-]*/g) ?? [],
      );
    expect(listed).toEqual(expect.arrayContaining(["--namespace", "--fail-on", "--no-color", "--help"]));
    const { values, directive } = await complete("check", "--");
    expect(directive).toBe(":4");
    expect(values).toEqual(listed);
  });

  it("offers short flags too after a single dash", async () => {
    const { values } = await complete("check", "-");
    expect(values.filter((value) => !value.startsWith("--"))).toEqual(["-n", "-A", "-o", "-h"]);
  });

  it.each([
    { words: ["check", "-o", ""], values: [...OUTPUT_FORMATS] },
    { words: ["check", "--output", "js"], values: ["json"] },
    { words: ["check", "--fail-on", ""], values: ["critical", "high", "medium", "low", "info"] },
    { words: ["check", "--desired-from", ""], values: ["auto", "helm", "secrets"] },
    { words: ["check", "--fail-on=m"], values: ["--fail-on=medium"] },
    { words: ["completion", ""], values: ["bash", "zsh", "fish"] },
  ])("offers the choices of $words", async ({ words, values }) => {
    expect(await complete(...words)).toEqual({ values, directive: ":4" });
  });

  it.each([
    ["check", "-o", "json="],
    ["check", "--manifest", ""],
    ["check", "--live", "fixtures/"],
    ["check", "--kubeconfig", "~/.kube/"],
    ["check", "--helm-bin", ""],
  ])("leaves the value of %s %s to the shell's file completion", async (...words) => {
    expect(await complete(...words)).toEqual({ values: [], directive: ":0" });
  });

  it("offers nothing, and no file names, for a value with nothing to offer or a second release", async () => {
    expect(await complete("check", "--timeout", "")).toEqual({ values: [], directive: ":4" });
    expect(await complete("check", "-n", "shop", "web", "")).toEqual({ values: [], directive: ":4" });
  });

  it("without a cluster to ask, offers no namespace and no release, and prints no error", async () => {
    // runCli's environment has no KUBECONFIG and no HOME: no kubeconfig at all.
    expect(await complete("check", "-n", "")).toEqual({ values: [], directive: ":4" });
    expect(await complete("check", "")).toEqual({ values: [], directive: ":4" });
  });

  it("offers the kubeconfig's contexts for --context, from --kubeconfig typed before it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "hd-completion-"));
    const kubeconfig = path.join(dir, "config");
    writeFileSync(
      kubeconfig,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]",
        "users: [{name: u, user: {token: t}}]",
        "contexts: [{name: prod, context: {cluster: c, user: u}}, {name: staging, context: {cluster: c, user: u}}]",
        "current-context: prod",
      ].join("\n"),
    );
    expect(await complete("check", "--kubeconfig", kubeconfig, "--context", "")).toEqual({
      values: ["prod", "staging"],
      directive: ":4",
    });
    expect(await complete("check", "--kubeconfig", kubeconfig, "--context", "st")).toEqual({
      values: ["staging"],
      directive: ":4",
    });
  });
});

describe("completionPlan", () => {
  const program = () => {
    const root = new Command("tool");
    root.command("check").argument("[release]").option("-n, --namespace <ns>").option("-A, --all-namespaces");
    return root;
  };

  it("asks for the releases of the namespace and kubeconfig typed so far", () => {
    const root = new Command("tool");
    root
      .command("check")
      .argument("[release]")
      .option("-n, --namespace <ns>")
      .option("--kubeconfig <path>")
      .option("--context <name>");
    expect(
      completionPlan(root, ["check", "--kubeconfig", "/k", "-n", "shop", "--context=east", "w"]),
    ).toEqual({
      kind: "releases",
      prefix: "w",
      namespace: "shop",
      cluster: { kubeconfig: "/k", context: "east" },
    });
  });

  it("asks for releases of the context's namespace when no -n was typed, and none with -A", () => {
    expect(completionPlan(program(), ["check", ""])).toEqual({
      kind: "releases",
      prefix: "",
      namespace: null,
      cluster: { kubeconfig: undefined, context: undefined },
    });
    expect(completionPlan(program(), ["check", "-A", ""])).toEqual({
      kind: "candidates",
      candidates: [],
      directive: 4,
    });
  });

  it("asks for namespaces for a <ns> value", () => {
    expect(completionPlan(program(), ["check", "-n", "ku"])).toMatchObject({
      kind: "namespaces",
      prefix: "ku",
    });
  });
});

describe("completion scripts", () => {
  it("completion prints each shell's script, calling the hidden __complete", async () => {
    for (const shell of SHELLS) {
      const run = await runCli(["completion", shell]);
      expect(run).toEqual({ code: 0, stdout: COMPLETION_SCRIPTS[shell], stderr: "" });
      expect(run.stdout).toContain("helm-drift __complete");
    }
  });

  it("rejects another shell with commander's usage line", async () => {
    const run = await runCli(["completion", "tcsh"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^helm-drift: command-argument value 'tcsh' is invalid for argument 'shell'/);
  });

  it("does not list __complete in the help", async () => {
    const run = await runCli(["--help"]);
    expect(run.stdout).toContain("completion <shell>");
    expect(run.stdout).not.toContain("__complete");
  });

  const syntaxCheck = (shell: string, script: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), "hd-completion-"));
    const file = path.join(dir, `helm-drift.${shell}`);
    writeFileSync(file, script);
    return spawnSync(shell, ["-n", file], { encoding: "utf8" });
  };
  const has = (shell: string) => spawnSync(shell, ["-c", "exit 0"]).status === 0;

  it("bash: the script parses (bash -n)", () => {
    expect(has("bash")).toBe(true);
    const result = syntaxCheck("bash", COMPLETION_SCRIPTS.bash);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
  });

  it.skipIf(!has("zsh"))("zsh: the script parses (zsh -n; skipped when zsh is not installed)", () => {
    const result = syntaxCheck("zsh", COMPLETION_SCRIPTS.zsh);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
  });

  it.skipIf(!has("fish"))("fish: the script parses (fish -n; skipped when fish is not installed)", () => {
    const result = syntaxCheck("fish", COMPLETION_SCRIPTS.fish);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
  });

  it("bash: the completion function fills COMPREPLY from __complete's output", () => {
    // A stand-in helm-drift on PATH printing a fixed answer: the script's own parsing is what is tested.
    const dir = mkdtempSync(path.join(tmpdir(), "hd-completion-"));
    writeFileSync(
      path.join(dir, "helm-drift"),
      '#!/bin/sh\necho "$*" > "$(dirname "$0")/args"\nprintf \'json\\tJSON report\\ntext\\n:4\\n\'\n',
      { mode: 0o755 },
    );
    const script = `${COMPLETION_SCRIPTS.bash}
COMP_WORDS=(helm-drift check -o "")
COMP_CWORD=3
_helm_drift_complete
printf '%s\\n' "\${COMPREPLY[@]}"
`;
    // --norc: Debian's bash reads ~/.bashrc when stdin is a socket (it takes that for rshd), as in a test worker.
    const result = spawnSync("bash", ["--norc", "--noprofile", "-c", script], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: `${dir}:${process.env.PATH}` },
    });
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
      status: 0,
      stdout: "json\ntext\n",
      stderr: "",
    });
  });
});
