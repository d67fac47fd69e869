import { describe, expect, it } from "vitest";
import type { ApplyMethod } from "../../../src/explain/self-heal.js";
import { healVerdict, UPGRADE_RULES, upgradeRuleOf } from "../../../src/explain/upgrade-outcome.js";
import type { FieldOwner, RawFinding, UpgradeOutcome } from "../../../src/model/finding.js";
import type { PathSegment } from "../../../src/model/path.js";

const f = (name: string): PathSegment => ({ kind: "field", name });
const key = (k: Record<string, string | number>, index: number, liveIndex: number): PathSegment => ({
  kind: "key",
  key: k,
  index,
  liveIndex,
});
const image = [f("spec"), f("template"), f("spec"), f("containers"), key({ name: "web" }, 0, 0), f("image")];
const changedImage: RawFinding = {
  type: "changed",
  code: "value-changed",
  path: image,
  desired: "a",
  live: "b",
};
const missingEnv: RawFinding = {
  type: "missing",
  code: "entry-missing",
  path: [...image.slice(0, 5), f("env"), key({ name: "LOG_LEVEL" }, 0, -1)],
  desired: { name: "LOG_LEVEL", value: "info" },
  live: undefined,
};
const extraSidecar: RawFinding = {
  type: "extra",
  code: "entry-extra",
  path: [...image.slice(0, 4), key({ name: "log-shipper" }, -1, 1)],
  desired: undefined,
  live: { name: "log-shipper" },
};
// kubectl patch of the Service port 80 → 8080: by the list-map key (port, protocol), one entry gone, one new.
const renderedPort: RawFinding = {
  type: "missing",
  code: "entry-missing",
  path: [f("spec"), f("ports"), key({ port: 80, protocol: "TCP" }, 0, -1)],
  desired: { name: "http", port: 80, targetPort: "http" },
  live: undefined,
};
const livePort: RawFinding = {
  type: "extra",
  code: "entry-extra",
  path: [f("spec"), f("ports"), key({ port: 8080, protocol: "TCP" }, -1, 0)],
  desired: undefined,
  live: { name: "http", port: 8080, protocol: "TCP", targetPort: "http" },
};
const otherPort: RawFinding = {
  ...livePort,
  path: [f("spec"), f("ports"), key({ port: 9090, protocol: "TCP" }, -1, 1)],
  live: { name: "metrics", port: 9090, protocol: "TCP" },
};

// kubectl set selector replaces the Service's selector, an atomic map: a rendered key gone live is owned by it.
const selectorKeyMissing: RawFinding = {
  type: "missing",
  code: "field-missing",
  path: [f("spec"), f("selector"), f("app.kubernetes.io/instance")],
  desired: "web",
  live: undefined,
};
const kubectlSet: FieldOwner = { manager: "kubectl-set", operation: "Update", time: "2026-11-30T11:18:50Z" };
const helm: FieldOwner = { manager: "helm", operation: "Apply", time: "2026-11-30T11:18:49Z" };
const DEPLOYMENT = { apiVersion: "apps/v1", kind: "Deployment" };
const SERVICE = { apiVersion: "v1", kind: "Service" };
const RUNNER_SET = { apiVersion: "actions.github.com/v1alpha1", kind: "AutoscalingRunnerSet" };
const CRD = { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition" };

describe("what the next helm upgrade does to one finding", () => {
  it.each<
    [
      string,
      RawFinding,
      typeof DEPLOYMENT,
      ApplyMethod,
      FieldOwner | null,
      RawFinding[],
      UpgradeOutcome,
      string,
    ]
  >([
    [
      "Helm 3, built-in kind: a changed image is re-sent",
      changedImage,
      DEPLOYMENT,
      "client-side",
      kubectlSet,
      [],
      "restores",
      "three-way-merge-resends",
    ],
    [
      "Helm 3, built-in kind: a missing env entry is re-sent",
      missingEnv,
      DEPLOYMENT,
      "client-side",
      null,
      [],
      "restores",
      "three-way-merge-resends",
    ],
    [
      "Helm 3, custom resource: a changed field is not re-sent",
      changedImage,
      RUNNER_SET,
      "client-side",
      kubectlSet,
      [],
      "keeps",
      "two-way-merge-not-resent",
    ],
    [
      "Helm 3, CRD: Helm's patch is not relied on",
      changedImage,
      CRD,
      "client-side",
      kubectlSet,
      [],
      "keeps",
      "crd-patch-unreliable",
    ],
    [
      "Helm 4 server-side: another manager's change conflicts",
      changedImage,
      DEPLOYMENT,
      "server-side",
      kubectlSet,
      [],
      "fails",
      "server-side-apply-conflict",
    ],
    [
      "Helm 4 server-side: a custom resource conflicts the same way",
      changedImage,
      RUNNER_SET,
      "server-side",
      kubectlSet,
      [],
      "fails",
      "server-side-apply-conflict",
    ],
    [
      "Helm 4 server-side: a change still owned by Helm is re-applied",
      changedImage,
      DEPLOYMENT,
      "server-side",
      helm,
      [],
      "restores",
      "server-side-apply-resends",
    ],
    [
      "Helm 4 server-side: a removed entry nobody owns is re-applied",
      missingEnv,
      RUNNER_SET,
      "server-side",
      null,
      [],
      "restores",
      "server-side-apply-resends",
    ],
    [
      "Helm 4 server-side: a key missing from a map kubectl set selector owns whole conflicts",
      selectorKeyMissing,
      SERVICE,
      "server-side",
      kubectlSet,
      [],
      "fails",
      "server-side-apply-conflict",
    ],
    [
      "Helm 3: the same missing selector key is re-sent by the three-way merge",
      selectorKeyMissing,
      SERVICE,
      "client-side",
      kubectlSet,
      [],
      "restores",
      "three-way-merge-resends",
    ],
    [
      "an extra sidecar is kept, client-side",
      extraSidecar,
      DEPLOYMENT,
      "client-side",
      kubectlSet,
      [],
      "keeps",
      "added-live-kept",
    ],
    [
      "an extra sidecar is kept, server-side",
      extraSidecar,
      DEPLOYMENT,
      "server-side",
      kubectlSet,
      [],
      "keeps",
      "added-live-kept",
    ],
    [
      "a Service port renumbered live: the rendered port comes back under a taken name",
      renderedPort,
      SERVICE,
      "client-side",
      null,
      [renderedPort, livePort],
      "fails",
      "service-port-name-taken",
    ],
    [
      "a Service port renumbered live: the live port keeps the name",
      livePort,
      SERVICE,
      "server-side",
      null,
      [renderedPort, livePort],
      "fails",
      "service-port-name-taken",
    ],
    [
      "an extra Service port under its own name is only kept",
      otherPort,
      SERVICE,
      "client-side",
      null,
      [otherPort],
      "keeps",
      "added-live-kept",
    ],
    [
      "a missing Service port whose name nobody took is re-sent",
      renderedPort,
      SERVICE,
      "client-side",
      null,
      [renderedPort, otherPort],
      "restores",
      "three-way-merge-resends",
    ],
  ])("%s", (_name, finding, ref, applyMethod, owner, siblings, outcome, ruleId) => {
    const rule = upgradeRuleOf({
      finding,
      owner,
      ref,
      applyMethod,
      siblings: siblings.length ? siblings : [finding],
    });
    expect([rule.outcome, rule.id]).toEqual([outcome, ruleId]);
  });

  it("gives every rule a one-line reason and ends with a rule that always applies", () => {
    for (const rule of UPGRADE_RULES) expect(rule.reason).toMatch(/^[^\n]{20,}$/);
    expect(UPGRADE_RULES.at(-1)?.applies({} as never)).toBe(true);
  });
});

describe("a Secret value the chart generates", () => {
  const SECRET = { apiVersion: "v1", kind: "Secret" };
  const password: RawFinding = {
    type: "changed",
    code: "value-changed",
    path: [f("data"), f("password")],
    desired: "cmVjb3JkZWQ=",
    live: "ZWRpdGVk",
  };
  const kubectlPatch: FieldOwner = { manager: "kubectl-patch", operation: "Update", time: null };
  it.each<[string, "lookup" | "random" | null, ApplyMethod, UpgradeOutcome, string]>([
    [
      "lookup, Helm 3: the upgrade adopts the edited value",
      "lookup",
      "client-side",
      "rerenders",
      "generated-value-adopted",
    ],
    [
      "lookup, Helm 4: it applies the live value, no conflict",
      "lookup",
      "server-side",
      "rerenders",
      "generated-value-adopted",
    ],
    [
      "random, Helm 3: the upgrade writes a new value",
      "random",
      "client-side",
      "rerenders",
      "generated-value-replaced",
    ],
    [
      "random, Helm 4: a new value against kubectl-patch's conflicts",
      "random",
      "server-side",
      "fails",
      "server-side-apply-conflict",
    ],
    ["not generated, Helm 3: restored", null, "client-side", "restores", "three-way-merge-resends"],
  ])("%s", (_name, generated, applyMethod, outcome, ruleId) => {
    const rule = upgradeRuleOf({
      finding: password,
      owner: kubectlPatch,
      ref: SECRET,
      applyMethod,
      siblings: [password],
      generated,
    });
    expect([rule.outcome, rule.id]).toEqual([outcome, ruleId]);
  });

  it("is a Secret rule only: the same template generating a ConfigMap value is not graded so", () => {
    const rule = upgradeRuleOf({
      finding: password,
      owner: kubectlPatch,
      ref: { apiVersion: "v1", kind: "ConfigMap" },
      applyMethod: "client-side",
      siblings: [password],
      generated: "lookup",
    });
    expect(rule.id).toBe("three-way-merge-resends");
  });
});

describe("the object's verdict, from its findings' outcomes", () => {
  it.each<[UpgradeOutcome[], string]>([
    [["restores", "restores"], "yes"],
    [["restores", "keeps"], "partly"],
    [["keeps", "keeps"], "no"],
    [["restores", "fails"], "no"],
    [["fails"], "no"],
    [["rerenders"], "no"],
    [["restores", "rerenders"], "partly"],
  ])("%j → %s", (outcomes, verdict) => {
    expect(healVerdict(outcomes)).toBe(verdict);
  });
});
