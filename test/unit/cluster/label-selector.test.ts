import { describe, expect, test } from "vitest";
import { parseLabelSelector } from "../../../src/cluster/label-selector.js";
import { HelmDriftError } from "../../../src/errors.js";

/** Labels of a release's objects as Helm and Flux stamp them. */
const LABELS = {
  "app.kubernetes.io/managed-by": "Helm",
  "app.kubernetes.io/name": "web",
  "helm.toolkit.fluxcd.io/name": "web",
  replicas: "3",
};

describe("parseLabelSelector, as the API server reads selectors", () => {
  test.each<[string, boolean]>([
    ["", true],
    ["app.kubernetes.io/managed-by=Helm", true],
    ["app.kubernetes.io/managed-by==Helm", true],
    ["app.kubernetes.io/managed-by=helm", false],
    ["app.kubernetes.io/managed-by!=Helm", false],
    ["tier!=db", true],
    ["app.kubernetes.io/name", true],
    ["!app.kubernetes.io/name", false],
    ["!tier", true],
    ["tier", false],
    ["app.kubernetes.io/name in (web, api)", true],
    ["app.kubernetes.io/name in (api)", false],
    ["app.kubernetes.io/name notin (api,worker)", true],
    ["tier notin (db)", true],
    ["tier in (db)", false],
    ["replicas>2", true],
    ["replicas<2", false],
    ["tier>2", false],
    [" app.kubernetes.io/managed-by = Helm , helm.toolkit.fluxcd.io/name in (web) ", true],
    ["app.kubernetes.io/managed-by=Helm,tier", false],
  ])("%j → %s", (selector, matches) => {
    expect(parseLabelSelector(selector)(LABELS)).toBe(matches);
  });

  test("an object without labels matches only requirements that hold for absent labels", () => {
    expect(parseLabelSelector("tier!=db,!tier,tier notin (db)")(undefined)).toBe(true);
    expect(parseLabelSelector("tier")(undefined)).toBe(false);
  });

  test.each(["tier=(db)", "tier in db", "=db", "tier=a=b", "tier in (a b)"])(
    "%j is refused with the selector named",
    (selector) => {
      expect(() => parseLabelSelector(selector)).toThrow(HelmDriftError);
      expect(() => parseLabelSelector(selector)).toThrow(`label selector "${selector}": cannot read`);
    },
  );
});
