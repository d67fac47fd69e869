import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

describe("helm-drift without arguments", () => {
  it("prints the help on stderr and exits 1, as commander does for a missing command, with no line of its own", async () => {
    const run = await runCli([]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^Usage: helm-drift \[options\] \[command\]\n/);
    expect(run.stderr).toContain("\n  check [options] [release]");
    expect(run.stderr).not.toContain("(outputHelp)");
    expect(run.stderr).not.toMatch(/^helm-drift: /m);
  });

  it("prints the same help on stdout and exits 0 when asked with --help", async () => {
    const [bare, help] = await Promise.all([runCli([]), runCli(["--help"])]);
    expect(help.code).toBe(0);
    expect(help.stderr).toBe("");
    expect(help.stdout).toBe(bare.stderr);
  });

  it("still reports a usage error as one line with exit code 1", async () => {
    const run = await runCli(["chekc"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^helm-drift: unknown command 'chekc'/);
  });
});
