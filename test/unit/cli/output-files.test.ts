import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { outputTargets } from "../../../src/cli/check-options.js";
import { repoPath } from "../../helpers/repo-path.js";
import { runCli } from "./run-cli.js";

const root = mkdtempSync(path.join(tmpdir(), "helm-drift-outputs-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let runs = 0;
/** A fresh empty directory for one run. */
function freshDir(): string {
  const dir = path.join(root, `run-${runs++}`);
  mkdirSync(dir);
  return dir;
}

const incident = [
  "check",
  "--manifest",
  repoPath("fixtures/incident/manifest.yaml"),
  "--live",
  repoPath("fixtures/incident/live.yaml"),
];
const stable = (text: string) => text.replace(/"generatedAt": "[^"]+"/, '"generatedAt": "<generatedAt>"');
const ESC = "\u001b[";

describe("-o FORMAT=FILE: several reports from one run", () => {
  it("writes JSON and Markdown to files and text to stdout, each as that format alone would print it; exit 2", async () => {
    const dir = freshDir();
    const json = path.join(dir, "report.json");
    const markdown = path.join(dir, "summary.md");
    const run = await runCli([...incident, "-o", `json=${json}`, "-o", `markdown=${markdown}`, "-o", "text"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe((await runCli([...incident, "-o", "text"])).stdout);
    expect(stable(readFileSync(json, "utf8"))).toBe(
      stable((await runCli([...incident, "-o", "json"])).stdout),
    );
    expect(readFileSync(markdown, "utf8")).toBe((await runCli([...incident, "-o", "markdown"])).stdout);
    expect(readdirSync(dir).sort()).toEqual(["report.json", "summary.md"]);
  });

  it("prints nothing on stdout when every report goes to a file", async () => {
    const dir = freshDir();
    const run = await runCli([
      ...incident,
      "-o",
      `sarif=${path.join(dir, "drift.sarif")}`,
      "-o",
      `junit=${path.join(dir, "drift.xml")}`,
    ]);
    expect(run).toMatchObject({ code: 2, stdout: "", stderr: "" });
    expect(JSON.parse(readFileSync(path.join(dir, "drift.sarif"), "utf8")).version).toBe("2.1.0");
    expect(readFileSync(path.join(dir, "drift.xml"), "utf8")).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /,
    );
  });

  it("colours text only on a terminal's stdout: text written to a file is never coloured", async () => {
    const dir = freshDir();
    const file = path.join(dir, "report.txt");
    const run = await runCli(
      [...incident, "-o", `text=${file}`, "-o", `text=${path.join(dir, "again.txt")}`, "--color"],
      { tty: true },
    );
    expect(run.code).toBe(2);
    expect(readFileSync(file, "utf8")).not.toContain(ESC);
    const coloured = await runCli([...incident, "-o", "text", "-o", `json=${path.join(dir, "r.json")}`], {
      tty: true,
    });
    expect(coloured.stdout).toContain(ESC);
    expect(readFileSync(path.join(dir, "r.json"), "utf8")).not.toContain(ESC);
  });

  it("replaces an existing report file whole", async () => {
    const dir = freshDir();
    const file = path.join(dir, "report.json");
    writeFileSync(file, "old report, much longer than nothing ".repeat(10_000));
    const run = await runCli([...incident, "-o", `json=${file}`]);
    expect(run.code).toBe(2);
    expect(JSON.parse(readFileSync(file, "utf8")).kind).toBe("DriftReport");
    expect(readdirSync(dir)).toEqual(["report.json"]);
  });
});

describe("a report that cannot be written", () => {
  it.each([
    [
      "its directory does not exist",
      (dir: string) => path.join(dir, "missing", "r.json"),
      "its directory does not exist",
    ],
    [
      "a part of its path is a file",
      (dir: string) => path.join(dir, "plain-file", "r.json"),
      "a part of its path is not a directory",
    ],
    ["it is a directory", (dir: string) => path.join(dir, "a-directory"), "it is a directory"],
  ])(
    "when %s: one line naming the file, exit 1, and no report or temporary file left",
    async (_what, badPath, reason) => {
      const dir = freshDir();
      writeFileSync(path.join(dir, "plain-file"), "x");
      mkdirSync(path.join(dir, "a-directory"));
      const before = readdirSync(dir).sort();
      const good = path.join(dir, "good.md");
      const bad = badPath(dir);
      // The good output comes first: it must not be written either, since the run as a whole failed.
      const run = await runCli([...incident, "-o", `markdown=${good}`, "-o", `json=${bad}`, "-o", "text"]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toBe(`helm-drift: cannot write ${bad}: ${reason}; no report was written\n`);
      expect(existsSync(good)).toBe(false);
      expect(readdirSync(dir).sort()).toEqual(before);
      expect(readdirSync(path.join(dir, "a-directory"))).toEqual([]);
    },
  );
});

describe("-o usage errors: one line, exit 1, nothing written", () => {
  it.each([
    [
      "two reports on stdout",
      ["-o", "json", "-o", "text"],
      "helm-drift: --output: only one report can go to stdout (got json and text); write the others to files with FORMAT=FILE\n",
    ],
    [
      "one file named twice",
      ["-o", "json=r.json", "-o", "sarif=./r.json"],
      "helm-drift: --output: ./r.json is named twice; give each report its own file\n",
    ],
    [
      "an unknown format",
      ["-o", "yaml=r.yaml"],
      'helm-drift: --output must be one of text, json, markdown, junit, sarif, html; got "yaml"\n',
    ],
    [
      "no file after =",
      ["-o", "json="],
      'helm-drift: --output json=: no file after "="; write FORMAT=FILE, or FORMAT for stdout\n',
    ],
  ])("%s", async (_what, flags, line) => {
    const run = await runCli([...incident, ...flags]);
    expect(run).toEqual({ code: 1, stdout: "", stderr: line });
  });
});

describe("outputTargets", () => {
  it.each([
    [undefined, [{ format: "text", file: null }]],
    [[], [{ format: "text", file: null }]],
    [["json"], [{ format: "json", file: null }]],
    [
      ["json=out/r.json", "markdown=a=b.md", "text"],
      [
        { format: "json", file: "out/r.json" },
        { format: "markdown", file: "a=b.md" },
        { format: "text", file: null },
      ],
    ],
  ])("%j → %j", (values, targets) => {
    expect(outputTargets(values)).toEqual(targets);
  });
});

describe("--help", () => {
  it("lists every format and the FORMAT=FILE form", async () => {
    const run = await runCli(["check", "--help"]);
    expect(run.code).toBe(0);
    const help = run.stdout.replace(/\s+/g, " ");
    expect(help).toContain(
      "-o, --output <format[=file]> report format: text, json, markdown, junit, sarif, html; FORMAT=FILE writes it to FILE instead of stdout",
    );
  });
});
