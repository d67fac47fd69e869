import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type FaultServer, startFaultServer } from "../cluster/fault-server.js";
import { runCli } from "./run-cli.js";

const dir = mkdtempSync(path.join(tmpdir(), "helm-drift-nothing-"));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};
const LIVE = file(
  "live.yaml",
  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  mode: fast\n",
);

/** One line on stderr, nothing on stdout, exit 1. */
function expectOneLine(run: { code: number; stdout: string; stderr: string }, line: string) {
  expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
    code: 1,
    stdout: "",
    stderr: `helm-drift: ${line}\n`,
  });
}

describe("an empty manifest is an input error, not InSync", () => {
  const problem =
    "no rendered objects (an empty manifest; with --manifest -, did the command before the pipe fail?)";

  test.each([
    ["an empty file", ""],
    ["only comments and separators", "---\n# Source: web/templates/cm.yaml\n---\n"],
  ])("%s: one line naming the file, exit 1", async (_, text) => {
    const manifest = file("empty.yaml", text);
    expectOneLine(await runCli(["check", "--manifest", manifest, "--live", LIVE]), `${manifest}: ${problem}`);
  });

  test("--manifest - when the helm get manifest before the pipe failed (nothing on stdin)", async () => {
    expectOneLine(
      await runCli(["check", "--manifest", "-", "--live", LIVE], { stdin: "" }),
      `<stdin>: ${problem}`,
    );
  });
});

describe("--timeout is parsed strictly", () => {
  test.each(["30", "5 m", "1.5m", "0s", "-1s", "1d", "m", ""])("%j: one line, exit 1", async (value) => {
    expectOneLine(
      await runCli(["check", "-n", "shop", "--timeout", value]),
      `--timeout must be a duration such as 30s, 5m or 1h30m; got "${value}"`,
    );
  });
});

describe("a cluster check that selects no release (against a stand-in API server)", () => {
  let server: FaultServer;
  let kubeconfig: string;
  beforeEach(async () => {
    server = await startFaultServer();
    kubeconfig = file("kubeconfig.json", server.kubeConfig.exportConfig());
  });
  afterEach(() => server.close());
  const check = (...args: string[]) =>
    runCli(["check", "--kubeconfig", kubeconfig, "--desired-from", "secrets", ...args]);

  test("-n with a typo: exit 1, saying the namespace does not exist", async () => {
    expectOneLine(
      await check("-n", "prodd"),
      'no Helm releases in namespace "prodd": the namespace does not exist',
    );
  });

  test("a namespace that exists but holds no release: exit 1, saying it exists", async () => {
    expectOneLine(
      await check("-n", "shop"),
      'no Helm releases in namespace "shop" (the namespace exists); pass --allow-empty when that is expected',
    );
  });

  test("a namespace it may not read: exit 1, saying it could not tell", async () => {
    server.inject("/api/v1/namespaces/locked", "403", Infinity);
    expectOneLine(
      await check("-n", "locked"),
      'no Helm releases in namespace "locked", and could not tell whether the namespace exists (forbidden: User "drift" cannot get path "/api/v1/namespaces/locked"); pass --allow-empty when that is expected',
    );
  });

  test("-A with no release anywhere: exit 1", async () => {
    expectOneLine(
      await check("-A"),
      "no Helm releases in any namespace; pass --allow-empty when that is expected",
    );
  });

  test("--allow-empty: No releases checked, exit 0", async () => {
    const run = await check("-n", "prodd", "--allow-empty");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("No releases checked.");
  });

  test("--timeout: a release list that never comes ends the run in bounded time with one line", async () => {
    server.inject("/api/v1/namespaces/shop/secrets", "stall", Infinity);
    const started = Date.now();
    const run = await check("-n", "shop", "--timeout", "1s");
    expect(Date.now() - started).toBeLessThan(5_000);
    expectOneLine(
      run,
      `the check did not finish within --timeout 1s; still waiting for GET /api/v1/namespaces/shop/secrets?labelSelector=owner%3Dhelm&limit=25 from the API server at ${server.url}`,
    );
  });
});
