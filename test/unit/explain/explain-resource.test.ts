import { describe, expect, it } from "vitest";
import { explanationText } from "../../../src/catalogue/messages.js";
import { explainResource } from "../../../src/explain/explain-resource.js";
import type { Explanation } from "../../../src/explain/explanation.js";
import { ownerOf } from "../../../src/explain/managed-fields.js";
import type { ApplyMethod } from "../../../src/explain/self-heal.js";
import { upgradeRuleOf } from "../../../src/explain/upgrade-outcome.js";
import type { RawFinding } from "../../../src/model/finding.js";
import { type KubeObject, refOf } from "../../../src/model/kube.js";
import type { PathSegment } from "../../../src/model/path.js";
import { findBrokenReferences } from "../../../src/rules/broken-references.js";
import { corpusObject } from "./corpus.js";
import { incidentDiffFindings, incidentLive, REF } from "./incident-arc.js";

function explain(live: KubeObject, findings: RawFinding[], applyMethod: ApplyMethod = "client-side") {
  const ref = refOf(live);
  const owners = findings.map((finding) => ownerOf(live.metadata.managedFields, finding.path));
  const upgrades = findings.map((finding, i) =>
    finding.type === "broken-reference"
      ? null
      : upgradeRuleOf({ finding, owner: owners[i] ?? null, ref, applyMethod, siblings: findings }),
  );
  return explainResource({ ref, live, findings, owners, upgrades });
}

function byCode<C extends Explanation["code"]>(
  explanations: Explanation[],
  code: C,
): Extract<Explanation, { code: C }>[] {
  return explanations.filter((e): e is Extract<Explanation, { code: C }> => e.code === code);
}

const f = (name: string): PathSegment => ({ kind: "field", name });

describe("explainResource for the incident's AutoscalingRunnerSet", () => {
  const live = incidentLive();
  const findings = [...incidentDiffFindings(), ...findBrokenReferences(live)];
  const explanations = explain(live, findings);
  const missing = [
    "spec.template.spec.initContainers",
    "spec.template.spec.volumes",
    "spec.template.spec.serviceAccountName",
  ];

  it("says pods created from the template fail, one explanation per broken mount", () => {
    expect(byCode(explanations, "volume-not-found")).toEqual([
      { code: "volume-not-found", container: "runner", volume: "work", mountPath: "/home/runner/_work" },
      {
        code: "volume-not-found",
        container: "runner",
        volume: "kubectl-bin",
        mountPath: "/usr/local/kubectl-bin",
      },
    ]);
  });

  it("says no manager claims the missing fields and lists who wrote the object", () => {
    const [unowned] = byCode(explanations, "missing-unowned");
    expect(unowned?.paths).toEqual(missing);
    expect(unowned?.managers.map((m) => m.manager)).toEqual([
      "manager",
      "manager",
      "kubectl-client-side-apply",
      "helm-controller",
    ]);
  });

  it("attributes the runner's mounts to the kubectl apply that wrote the atomic containers list", () => {
    expect(byCode(explanations, "written-by")).toEqual([
      {
        code: "written-by",
        owner: { manager: "kubectl-client-side-apply", operation: "Update", time: "2024-06-10T08:30:00Z" },
        paths: [
          "spec.template.spec.containers[name=runner].volumeMounts[mountPath=/home/runner/_work]",
          "spec.template.spec.containers[name=runner].volumeMounts[mountPath=/usr/local/kubectl-bin]",
        ],
      },
    ]);
  });

  it("says the last-applied annotation tracked only containers and lacks the missing fields", () => {
    expect(byCode(explanations, "last-applied-lacks")).toEqual([
      {
        code: "last-applied-lacks",
        lacking: missing,
        tracked: [{ at: "spec.template.spec", fields: ["containers"] }],
      },
    ]);
  });

  it("says helm upgrade will not restore them because custom resources get a two-way merge patch", () => {
    expect(byCode(explanations, "upgrade-does-not-restore")).toEqual([
      { code: "upgrade-does-not-restore", mechanism: "two-way-merge-patch", paths: missing },
    ]);
    expect(byCode(explanations, "upgrade-restores")).toEqual([]);
  });

  it("puts the failing pods first", () => {
    expect(explanations[0]?.code).toBe("volume-not-found");
  });

  it("words every explanation for people", () => {
    const text = explanations.map(explanationText).join("\n");
    expect(text).toContain('container "runner" mounts volume "kubectl-bin" at /usr/local/kubectl-bin');
    expect(text).toContain("No manager on the server claims spec.template.spec.initContainers");
    expect(text).toContain(
      "sent only containers under spec.template.spec and lacks spec.template.spec.initContainers",
    );
    expect(text).toContain("helm upgrade will not restore spec.template.spec.initContainers");
    expect(text).toContain("two-way JSON merge patch");
  });
});

describe("explainResource evidence variants", () => {
  const finding: RawFinding = {
    type: "missing",
    code: "field-missing",
    path: [f("spec"), f("template"), f("spec"), f("serviceAccountName")],
    desired: "sa",
    live: undefined,
  };

  it("says managedFields are unavailable when kubectl get hid them", () => {
    const live = incidentLive();
    delete live.metadata.managedFields;
    const explanations = explain(live, [finding]);
    expect(byCode(explanations, "managed-fields-absent")).toHaveLength(1);
    expect(byCode(explanations, "missing-unowned")).toEqual([]);
    expect(explanationText({ code: "managed-fields-absent" })).toContain("cannot be attributed");
  });

  it("says there is no last-applied annotation", () => {
    const live = incidentLive();
    delete live.metadata.annotations?.["kubectl.kubernetes.io/last-applied-configuration"];
    expect(byCode(explain(live, [finding]), "last-applied-absent")).toHaveLength(1);
  });

  it("treats an unreadable annotation as evidence it cannot use, without failing", () => {
    const live = incidentLive();
    (live.metadata.annotations ?? {})["kubectl.kubernetes.io/last-applied-configuration"] = '{"spec":';
    const explanations = explain(live, [finding]);
    expect(byCode(explanations, "last-applied-unreadable")).toEqual([
      { code: "last-applied-unreadable", reason: "not-json" },
    ]);
    expect(explanations.map(explanationText).join("\n")).toContain("is not valid JSON");
  });

  it("says a field the last kubectl apply sent was removed by something else afterwards", () => {
    const live = incidentLive();
    const maxRunnersChanged: RawFinding = {
      type: "changed",
      code: "value-changed",
      path: [f("spec"), f("maxRunners")],
      desired: 5,
      live: 9,
    };
    (live.spec as Record<string, unknown>).maxRunners = 9;
    expect(byCode(explain(live, [maxRunnersChanged]), "last-applied-differs-from-live")).toEqual([
      { code: "last-applied-differs-from-live", paths: ["spec.maxRunners"] },
    ]);
  });

  it("explains a sidecar added by kubectl apply in a real Deployment", () => {
    const live = corpusObject("live-vs-desired/gitops-engine/ssd-deploy-with-manual-apply-live.yaml");
    (live.metadata.annotations ?? {})["kubectl.kubernetes.io/last-applied-configuration"] = JSON.stringify({
      spec: {
        template: {
          spec: {
            containers: [
              (live.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers[1],
            ],
          },
        },
      },
    });
    const sidecar: RawFinding = {
      type: "extra",
      code: "entry-extra",
      path: [
        f("spec"),
        f("template"),
        f("spec"),
        f("containers"),
        { kind: "key", key: { name: "idle" }, index: -1, liveIndex: 1 },
      ],
      desired: undefined,
      live: {},
    };
    const explanations = explain(live, [sidecar]);
    expect(explanations).toEqual([
      {
        code: "written-by",
        owner: { manager: "kubectl-client-side-apply", operation: "Update", time: "2025-02-25T01:29:34Z" },
        paths: ["spec.template.spec.containers[name=idle]"],
      },
      { code: "last-applied-matches-live", paths: ["spec.template.spec.containers[name=idle]"] },
      { code: "upgrade-keeps-extra", paths: ["spec.template.spec.containers[name=idle]"] },
    ]);
  });

  it("says helm upgrade restores a missing field of a built-in kind", () => {
    const live = corpusObject("live-vs-desired/gitops-engine/smd-deploy-live.yaml");
    const explanations = explain(live, [finding]);
    expect(byCode(explanations, "upgrade-restores")).toEqual([
      {
        code: "upgrade-restores",
        mechanism: "three-way-strategic-merge",
        paths: ["spec.template.spec.serviceAccountName"],
      },
    ]);
    expect(explanations.map(explanationText).join("\n")).toContain("three-way strategic merge");
  });

  it("says a server-side applied release restores a custom resource", () => {
    const explanations = explain(incidentLive(), [finding], "server-side");
    expect(byCode(explanations, "upgrade-restores")).toEqual([
      {
        code: "upgrade-restores",
        mechanism: "server-side-apply",
        paths: ["spec.template.spec.serviceAccountName"],
      },
    ]);
  });

  it("says helm upgrade creates an object that is missing live", () => {
    const explanations = explainResource({
      ref: REF,
      live: null,
      findings: [],
      owners: [],
      upgrades: [],
    });
    expect(explanations).toEqual([{ code: "object-missing" }]);
    expect(explanationText({ code: "object-missing" })).toContain("helm upgrade creates");
  });

  it("has nothing to explain without findings", () => {
    expect(explain(incidentLive(), [])).toEqual([]);
  });
});
