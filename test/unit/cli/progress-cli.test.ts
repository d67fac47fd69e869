import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type FaultServer, MANIFEST, startFaultServer } from "../cluster/fault-server.js";
import { type CliRun, runCli } from "./run-cli.js";

/**
 * Progress through the whole CLI, against a stand-in API server and a helm whose `history` takes 0.3 s, 0.8 s
 * and 1.3 s for the three releases it lists: a run long enough (over a second) for progress to show when it
 * may. Each case says whether stderr got a progress line, and that the report on stdout is the same either way.
 */

const dir = mkdtempSync(path.join(tmpdir(), "helm-drift-progress-"));
const file = (name: string, text: string) => {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
};

const RELEASES = [
  { name: "fast", delay: "0.3" },
  { name: "middle", delay: "0.8" },
  { name: "slow", delay: "1.3" },
];
const manifest = file("manifest.yaml", MANIFEST);
const history = JSON.stringify([
  { revision: 1, status: "deployed", chart: "shop-1.0.0", description: "Install complete" },
]);
const listed = JSON.stringify(
  RELEASES.map(({ name }) => ({
    name,
    namespace: "shop",
    revision: "1",
    chart: "shop-1.0.0",
    status: "deployed",
  })),
);
const helm = file(
  "helm",
  `#!/bin/sh
case "$1 $2" in
  "list "*) echo '${listed}' ;;
${RELEASES.map(({ name, delay }) => `  "history ${name}") sleep ${delay}; echo '${history}' ;;`).join("\n")}
  "get manifest") cat "${manifest}" ;;
  "get metadata") echo 'Error: unknown command "metadata" for "helm get"' >&2; exit 1 ;;
  "get all") ;;
  *) exit 2 ;;
esac
`,
);
chmodSync(helm, 0o755);

/** Back to the start of the line, and clear it. */
const CLEAR = "\r\x1b[2K";

/**
 * A progress line as it must look: at least one count (the run takes over a second), each replacing the last
 * (each after a CLEAR), rising, then erased (a CLEAR at the very end). Which counts show depends on timing: one
 * that comes within 0.1 s of the last write and right before the end is never shown, and need not be.
 */
function expectProgress(stderr: string): void {
  const parts = stderr.split(CLEAR);
  expect(parts[0]).toBe("");
  expect(parts.at(-1)).toBe("");
  const shown = parts.slice(1, -1);
  expect(shown.length).toBeGreaterThan(0);
  for (const text of shown) expect(text).toMatch(/^checking releases: [0-3]\/3$/);
  const counts = shown.map((text) => Number(/(\d)\/3$/.exec(text)?.[1]));
  expect(counts).toEqual([...new Set(counts)].sort());
}

/** The one value that differs between two runs of the same check. */
const sameTime = (json: string) => json.replace(/"generatedAt": "[^"]+"/, '"generatedAt": "<time>"');

let server: FaultServer;
const runs: Record<string, CliRun> = {};
const jsonFile = path.join(dir, "drift.json");

beforeAll(async () => {
  server = await startFaultServer();
  const kubeconfig = file("kubeconfig.json", server.kubeConfig.exportConfig());
  const check = (args: string[], stderrTty: boolean) =>
    runCli(
      [
        "check",
        "-n",
        "shop",
        "--desired-from",
        "helm",
        "--helm-bin",
        helm,
        "--kubeconfig",
        kubeconfig,
        ...args,
      ],
      {
        env: { PATH: process.env.PATH },
        stderrTty,
      },
    );
  const cases: [string, string[], boolean][] = [
    ["text, terminal", [], true],
    ["text, no terminal", [], false],
    ["text, terminal, --no-progress", ["--no-progress"], true],
    ["json, terminal", ["-o", "json"], true],
    ["json, no terminal", ["-o", "json"], false],
    ["text and json=FILE, terminal", ["-o", "text", "-o", `json=${jsonFile}`], true],
  ];
  const done = await Promise.all(cases.map(([, args, tty]) => check(args, tty)));
  cases.forEach(([name], i) => {
    runs[name] = done[i] as CliRun;
  });
}, 30_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (name: string): CliRun => {
  const found = runs[name];
  if (found === undefined) throw new Error(`no run ${name}`);
  return found;
};

describe("progress on stderr during a cluster check over a second long", () => {
  test("the check itself succeeds: three releases in the text report", () => {
    const { code, stdout } = run("text, no terminal");
    expect(code).toBe(0);
    for (const { name } of RELEASES) expect(stdout).toContain(name);
  });

  test("stderr a terminal: the count, updated in place, rising, and erased at the end", () => {
    expectProgress(run("text, terminal").stderr);
  });

  test("the text report on stdout is the same with progress as without", () => {
    const shown = run("text, terminal");
    const quiet = run("text, no terminal");
    expect({ code: shown.code, stdout: shown.stdout }).toEqual({ code: quiet.code, stdout: quiet.stdout });
  });

  test("stderr not a terminal: nothing on stderr", () => {
    expect(run("text, no terminal").stderr).toBe("");
  });

  test("--no-progress: nothing on stderr, even on a terminal", () => {
    expect(run("text, terminal, --no-progress").stderr).toBe("");
  });

  test("-o json on stdout: nothing on stderr, even on a terminal, and the JSON byte for byte the same", () => {
    const tty = run("json, terminal");
    const plain = run("json, no terminal");
    expect(tty.stderr).toBe("");
    expect(plain.stderr).toBe("");
    expect(tty.code).toBe(plain.code);
    expect(JSON.parse(tty.stdout).releases).toHaveLength(3);
    expect(sameTime(tty.stdout)).toBe(sameTime(plain.stdout));
  });

  test("-o json=FILE with text on stdout: progress shows, and the file holds the JSON report", () => {
    const both = run("text and json=FILE, terminal");
    expectProgress(both.stderr);
    expect(both.stdout).toBe(run("text, no terminal").stdout);
    expect(sameTime(readFileSync(jsonFile, "utf8"))).toBe(sameTime(run("json, no terminal").stdout));
  });
});
