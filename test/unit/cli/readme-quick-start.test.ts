import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { repoPath } from "../../helpers/repo-path.js";
import { runCli } from "./run-cli.js";

/** The README shows the quick start's output; it must be what the command prints today. */
it("the README quick start shows exactly what the offline example prints", async () => {
  const readme = readFileSync(repoPath("README.md"), "utf8");
  const command =
    "node bin/helm-drift check --manifest fixtures/incident/manifest.yaml --live fixtures/incident/live.yaml";
  expect(readme).toContain(command);
  const shown = /It prints:\n\n```text\n([\s\S]*?)\n```/.exec(readme)?.[1];
  // The README's paths are relative to the repository root; resolve them there, whatever the working directory.
  const args = command
    .split(" ")
    .slice(2)
    .map((arg) => (arg.startsWith("fixtures/") ? repoPath(arg) : arg));
  const run = await runCli(args);
  expect(run.code).toBe(2);
  expect(shown).toBe(run.stdout.trimEnd());
});
