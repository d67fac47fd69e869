/**
 * `-o html` in a real browser (Debian's chromium, headless): the page of the shipped incident renders, its
 * inline script runs under the page's own Content-Security-Policy (the severity filter, hidden without
 * scripts, is shown: so the script's sha256 in the CSP is right), every finding is there after scripts ran,
 * and a screenshot is written (kept in the test's temporary folder for a person to look at). Under CI=true a
 * missing chromium fails the run; .ci/run installs it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoPath } from "./harness.js";

function findChromium(): string | null {
  for (const candidate of [process.env.CHROMIUM_BIN, "chromium", "chromium-browser"]) {
    if (!candidate) continue;
    const found = spawnSync("sh", ["-c", `command -v "$1"`, "sh", candidate], { encoding: "utf8" });
    if (found.status === 0 && found.stdout.trim() !== "") return found.stdout.trim();
  }
  if (process.env.CI === "true") throw new Error("chromium is not installed (CI=true): .ci/run installs it");
  return null;
}

const chromium = findChromium();
const work = mkdtempSync(path.join(tmpdir(), "helm-drift-html-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** chromium's common flags: no sandbox (root in CI), no GPU, a fixed window so screenshots compare. */
const HEADLESS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--hide-scrollbars",
  "--window-size=1280,2400",
];

describe.skipIf(chromium === null)("the HTML report in a real browser (chromium, headless)", () => {
  const page = path.join(work, "incident.html");
  const run = spawnSync(
    process.execPath,
    [
      repoPath("bin/helm-drift"),
      "check",
      "--manifest",
      repoPath("fixtures/incident/manifest.yaml"),
      "--live",
      repoPath("fixtures/incident/live.yaml"),
      "-o",
      `html=${page}`,
    ],
    { encoding: "utf8" },
  );

  it("runs its script under its own CSP and shows every finding", () => {
    expect(run.status, run.stderr).toBe(2);
    const dom = execFileSync(chromium as string, [...HEADLESS, "--dump-dom", `file://${page}`], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 60_000,
    });
    // Without scripts (or with the script refused by the CSP) the filter keeps its `hidden` attribute.
    expect(dom).toMatch(/<fieldset id="severity-filter">/);
    expect(dom).not.toMatch(/<fieldset id="severity-filter" hidden/);
    // Every finding of the incident, none hidden by the filter with every severity checked.
    for (const path of [
      "spec.template.spec.serviceAccountName",
      "spec.template.spec.initContainers",
      "spec.template.spec.volumes",
      "volumeMounts[mountPath=/usr/local/kubectl-bin]",
    ]) {
      expect(dom).toContain(path);
    }
    expect(dom).not.toMatch(/data-severity="[a-z]+" hidden/);
    // The page as written and the page after scripts hold the same findings: the browser added nothing remote.
    expect(readFileSync(page, "utf8")).not.toMatch(/https?:\/\//);
  });

  it("renders a screenshot", () => {
    const shot = path.join(work, "incident.png");
    execFileSync(chromium as string, [...HEADLESS, `--screenshot=${shot}`, `file://${page}`], {
      stdio: "ignore",
      timeout: 60_000,
    });
    const png = readFileSync(shot);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    // A blank page of this size compresses to a few KB; the rendered incident is hundreds.
    expect(statSync(shot).size).toBeGreaterThan(100_000);
  });
});
