import { describe, expect, it } from "vitest";
import { sha256Prefix } from "../../../src/model/digest.js";
import type { RemediationAction, RemediationPlan } from "../../../src/model/remediation.js";
import { actionCommand } from "../../../src/report/action-command.js";
import { MAX_TEXT_COMMAND_BYTES, remediationLines } from "../../../src/report/text-remediation.js";
import { textStyle } from "../../../src/report/text-style.js";

const target = { apiVersion: "v1", kind: "ConfigMap", namespace: "shop", name: "settings" };
const patch = (value: string): RemediationAction => ({
  action: "json-patch",
  target,
  operations: [{ op: "replace", path: "/data/key", value }],
});
const verify: RemediationAction = { action: "verify", release: "web", namespace: "shop" };

function plan(alternativeValue: string): RemediationPlan {
  return {
    strategy: "upgrade",
    reason: { code: "built-in-patch" },
    steps: [patch("short"), verify],
    alternatives: [
      { strategy: "patch", reason: { code: "patch-alternative" }, steps: [verify, patch(alternativeValue)] },
    ],
    leavesAlone: [],
  };
}

describe("repair commands in the text report", () => {
  it("prints a command of MAX_TEXT_COMMAND_BYTES whole", () => {
    const overhead = actionCommand(patch("")).length;
    const step = patch("x".repeat(MAX_TEXT_COMMAND_BYTES - overhead));
    expect(Buffer.byteLength(actionCommand(step))).toBe(MAX_TEXT_COMMAND_BYTES);
    const lines = remediationLines(plan("x".repeat(MAX_TEXT_COMMAND_BYTES - overhead)), "", textStyle(false));
    expect(lines.map((line) => line.trim())).toContain(actionCommand(step));
  });

  it("replaces a longer one (counted in UTF-8 bytes) by its size, digest and JSON path, alternatives included", () => {
    // 2 000 "é" are 4 000 bytes: with the rest of the command, past the limit though under it in characters.
    const value = "é".repeat(2_000);
    const command = actionCommand(patch(value));
    expect(command.length).toBeLessThan(MAX_TEXT_COMMAND_BYTES);
    const lines = remediationLines(plan(value), "", textStyle(false)).map((line) => line.trim());
    expect(lines).toContain(actionCommand(patch("short")));
    expect(lines).toContain(
      `# command not shown: it is ${Math.ceil(Buffer.byteLength(command) / 1024)} KiB (sha256 ${sha256Prefix(command)}); ` +
        "take it whole from -o json: .releases[].resources[].remediation.alternatives[0].steps[1].command",
    );
    expect(lines.join("\n")).not.toContain("ééé");
  });
});

describe("the size and digest of a long JSON patch command, measured without building it", () => {
  const long = "x".repeat(MAX_TEXT_COMMAND_BYTES);
  const steps: [string, RemediationAction][] = [
    ["one long value", patch(long)],
    ["quotes, which the shell word writes as '\\''", patch(`it's ${long} isn't`)],
    ["multi-byte and astral characters", patch(`é😀${long}`)],
    ["a control and a bidi character, escaped as \\u", patch(`\u001b[2J\u202e${long}`)],
    [
      "test and replace operations, as a real repair has them",
      {
        action: "json-patch",
        target: { ...target, namespace: null },
        operations: [
          { op: "test", path: "/data/key", value: long },
          { op: "replace", path: "/data/key", value: `${long}!` },
          { op: "remove", path: "/data/old" },
        ],
      },
    ],
  ];
  it.each(steps)("%s: the same KiB and sha256 as the whole command", (_, step) => {
    const command = actionCommand(step);
    const lines = remediationLines(
      {
        strategy: "patch",
        reason: { code: "built-in-patch" },
        steps: [step],
        alternatives: [],
        leavesAlone: [],
      },
      "",
      textStyle(false),
    ).map((line) => line.trim());
    expect(lines).toContain(
      `# command not shown: it is ${Math.ceil(Buffer.byteLength(command) / 1024)} KiB (sha256 ${sha256Prefix(command)}); ` +
        "take it whole from -o json: .releases[].resources[].remediation.steps[0].command",
    );
  });
});
