import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { runCli } from "./run-cli.js";

/**
 * A ConfigMap value of 5 MB changed live: the text report stays small (values, diff lines and the repair
 * command are cut or replaced), while the JSON report keeps the repair command whole.
 */

const dir = mkdtempSync(path.join(tmpdir(), "helm-drift-large-value-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SIZE = 5 * 1024 * 1024;
const metadata = { name: "big", namespace: "shop" };
const manifest = path.join(dir, "manifest.yaml");
const live = path.join(dir, "live.json");
writeFileSync(
  manifest,
  `---\n# Source: web/templates/big.yaml\n${JSON.stringify({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata,
    data: { key: "a".repeat(SIZE) },
  })}\n`,
);
writeFileSync(
  live,
  `${JSON.stringify({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { ...metadata, uid: "u-1", resourceVersion: "7" },
    data: { key: "b".repeat(SIZE) },
  })}\n`,
);

describe("a 5 MB changed ConfigMap value", () => {
  test("text output stays under 64 KiB and points to the JSON for the repair command", async () => {
    const text = await runCli(["check", "--manifest", manifest, "--live", live, "-o", "text"]);
    const json = await runCli(["check", "--manifest", manifest, "--live", live, "-o", "json"]);
    expect([text.code, json.code]).toEqual([2, 2]);

    expect(Buffer.byteLength(text.stdout)).toBeLessThan(64 * 1024);
    const command = JSON.parse(json.stdout).releases[0].resources[0].remediation.steps[0].command as string;
    // The patch tests the live value and replaces it with the rendered one: both values, whole.
    expect(command).toContain(`"value":"${"a".repeat(SIZE)}"`);
    expect(command).toContain(`"value":"${"b".repeat(SIZE)}"`);
    const kib = Math.ceil(Buffer.byteLength(command) / 1024);
    const digest = createHash("sha256").update(command).digest("hex").slice(0, 12);
    expect(kib).toBeGreaterThan(10_000);
    expect(text.stdout).toContain(
      `# command not shown: it is ${kib} KiB (sha256 ${digest}); take it whole from -o json: ` +
        ".releases[].resources[].remediation.steps[0].command\n",
    );
  }, 60_000);
});
