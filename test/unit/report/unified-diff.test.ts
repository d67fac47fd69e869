import { describe, expect, it } from "vitest";
import { DIFF_STRING_LIMIT, unifiedDiff } from "../../../src/diff/unified-diff.js";

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "web" },
  spec: {
    replicas: 2,
    template: { spec: { containers: [{ name: "web", image: "nginx:1.27.2" }] } },
  },
};

describe("unifiedDiff", () => {
  it("returns null when both sides serialize the same", () => {
    expect(unifiedDiff("rendered", "live", deployment, structuredClone(deployment))).toBeNull();
  });

  it("returns a patch with three lines of context and no Index or === header for a changed field", () => {
    const live = structuredClone(deployment);
    live.spec.template.spec.containers[0] = { name: "web", image: "nginx:1.25.0" };
    expect(unifiedDiff("rendered Deployment/web/web", "live Deployment/web/web", deployment, live)).toBe(
      [
        "--- rendered Deployment/web/web",
        "+++ live Deployment/web/web",
        "@@ -9,4 +9,4 @@",
        "     spec:",
        "       containers:",
        "         - name: web",
        "-          image: nginx:1.27.2",
        "+          image: nginx:1.25.0",
        "",
      ].join("\n"),
    );
  });

  it("keeps keys in the order each value has them", () => {
    const patch = unifiedDiff("a", "b", { z: 1, a: 1 }, { z: 1, a: 2 });
    expect(patch).toBe(["--- a", "+++ b", "@@ -1,2 +1,2 @@", " z: 1", "-a: 1", "+a: 2", ""].join("\n"));
  });

  it("shows a side that is undefined as an empty file", () => {
    expect(unifiedDiff("rendered", "live", { a: 1 }, undefined)).toBe(
      ["--- rendered", "+++ live", "@@ -1,1 +0,0 @@", "-a: 1", ""].join("\n"),
    );
  });

  it("writes a long string on one line and a shared object twice instead of as an alias", () => {
    const shared = { name: "kubectl-bin" };
    const long = "x".repeat(200);
    const patch = unifiedDiff("a", "b", { m: [shared, shared], s: long }, { m: [shared], s: long });
    expect(patch).not.toContain("&");
    expect(patch).not.toContain("*a");
    expect(patch).toContain(`\n s: ${long}\n`);
    expect(patch).toContain("-  - name: kubectl-bin\n");
  });

  it("shortens strings longer than the limit to head, length and digest, so two values that differ late still differ", () => {
    const head = "x".repeat(DIFF_STRING_LIMIT);
    const rendered = { data: { big: `${head}a`.repeat(3), same: `${head}same` } };
    const live = { data: { big: `${head}b`.repeat(3), same: `${head}same` } };
    const diff = unifiedDiff("rendered", "live", rendered, live) ?? "";
    const changed = diff.split("\n").filter((line) => /^[-+] /.test(line));
    expect(changed).toHaveLength(2);
    for (const line of changed)
      expect(line).toMatch(/^[-+]\s+big: x{4096}… \(\+8195 chars, sha256 [0-9a-f]{12}\)$/);
    expect(changed[0]).not.toBe(changed[1]?.replace(/^\+/, "-"));
    expect(diff.length).toBeLessThan(4 * DIFF_STRING_LIMIT);
    expect(unifiedDiff("rendered", "live", rendered, structuredClone(rendered))).toBeNull();
  });

  it("never cuts a surrogate pair in half", () => {
    const value = `${"x".repeat(DIFF_STRING_LIMIT - 1)}😀tail`;
    const diff = unifiedDiff("rendered", "live", { v: value }, { v: `${value}!` }) ?? "";
    expect(diff).toContain(`${"x".repeat(DIFF_STRING_LIMIT - 1)}… (+`);
    expect(diff).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
