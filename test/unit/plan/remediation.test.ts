import { execFileSync } from "node:child_process";
import jsonPatch, { type Operation } from "fast-json-patch";
import { describe, expect, it } from "vitest";
import { stepDescription } from "../../../src/catalogue/messages.js";
import { diffObjects } from "../../../src/diff/diff-objects.js";
import type { KubeObject, ObjectRef } from "../../../src/model/kube.js";
import type { PatchOperation, RemediationAction, RemediationPlan } from "../../../src/model/remediation.js";
import { planRemediation, type RemediationInput } from "../../../src/plan/remediation.js";
import { repairOperations } from "../../../src/plan/repair-operations.js";
import { actionCommand } from "../../../src/report/action-command.js";
import { corpusObject } from "../explain/corpus.js";
import { FLUX, incidentLive, incidentRepaired, REF, RELEASE } from "../explain/incident-arc.js";

/**
 * The argument vector a POSIX shell builds from a rendered command line: proves the quoting, not a
 * re-implementation of it. kubectl, helm, flux and helm-drift are shell functions that print their arguments.
 */
function argv(command: string): string[] {
  const stubs = ["kubectl", "helm", "flux", "helm-drift"]
    .map((tool) => `${tool.replace("-", "_")}() { printf '%s\\0' ${tool} "$@"; }`)
    .join("; ");
  const output = execFileSync("sh", ["-c", `${stubs}; ${command.replace(/^helm-drift /, "helm_drift ")}`], {
    encoding: "utf8",
  });
  return output.split("\0").slice(0, -1);
}

function applied(live: KubeObject, operations: readonly PatchOperation[]): KubeObject {
  return jsonPatch.applyPatch(structuredClone(live), operations as Operation[], true, false).newDocument;
}

/** The guarded JSON patch that reverts every finding of desired vs live. */
function operationsFor(desired: KubeObject, live: KubeObject): PatchOperation[] {
  return repairOperations(live, diffObjects(desired, live, null));
}

function commands(remediation: RemediationPlan): string[] {
  return remediation.steps.map(actionCommand);
}

function everyStep(remediation: RemediationPlan): RemediationAction[] {
  return [...remediation.steps, ...remediation.alternatives.flatMap((a) => a.steps)];
}

function patchStep(steps: RemediationAction[]): Extract<RemediationAction, { action: "json-patch" }> {
  const step = steps.find((candidate) => candidate.action === "json-patch");
  if (step?.action !== "json-patch") throw new Error("no json-patch step");
  return step;
}

const incident: RemediationInput = {
  release: RELEASE,
  ref: REF,
  exists: true,
  operations: operationsFor(incidentRepaired(), incidentLive()),
  flux: FLUX,
};

describe("planRemediation for the incident", () => {
  const remediation = planRemediation(incident);

  it("suspends Flux, deletes the custom resource, upgrades, verifies and resumes", () => {
    expect(remediation.strategy).toBe("recreate");
    expect(remediation.steps).toEqual([
      { action: "flux-suspend", helmRelease: FLUX },
      { action: "delete", target: REF, wait: true, customResource: true },
      {
        action: "helm-upgrade",
        release: "arc-runners",
        namespace: "arc-runners",
        chart: "gha-runner-scale-set",
        chartName: "gha-runner-scale-set",
        chartRefKnown: false,
        version: "0.14.2",
        reuseValues: true,
        forceConflicts: false,
      },
      { action: "verify", release: "arc-runners", namespace: "arc-runners" },
      { action: "flux-resume", helmRelease: FLUX },
    ]);
    expect(commands(remediation)).toEqual([
      "flux suspend helmrelease arc-runners -n flux-system",
      "kubectl delete autoscalingrunnerset.actions.github.com arc-runners -n arc-runners",
      "helm upgrade arc-runners gha-runner-scale-set --reuse-values --version 0.14.2 -n arc-runners",
      "helm-drift check arc-runners -n arc-runners",
      "flux resume helmrelease arc-runners -n flux-system",
    ]);
  });

  it("gives the kubectl form of suspend and resume in the descriptions", () => {
    const [suspend, , , , resume] = remediation.steps.map((step) => stepDescription(step, remediation.steps));
    expect(suspend).toContain(
      `kubectl patch helmrelease arc-runners -n flux-system --type merge -p '{"spec":{"suspend":true}}'`,
    );
    expect(resume).toContain(`'{"spec":{"suspend":false}}'`);
  });

  it("says the chart name must be replaced by the chart reference when that is unknown", () => {
    const upgrade = stepDescription(remediation.steps[2] as RemediationAction);
    expect(upgrade).toContain('"gha-runner-scale-set" is only the chart\'s name');
    expect(upgrade).toContain("chart reference the release was installed from");
  });

  it("uses the chart reference when it is known", () => {
    const chartRef = "oci://ghcr.io/actions/actions-runner-controller-charts/gha-runner-scale-set";
    const withRef = planRemediation({ ...incident, chartRef });
    expect(commands(withRef)[2]).toBe(
      `helm upgrade arc-runners ${chartRef} --reuse-values --version 0.14.2 -n arc-runners`,
    );
    expect(stepDescription(withRef.steps[2] as RemediationAction)).not.toContain("only the chart's name");
  });

  it("leaves out --version and says so when the chart version is unknown", () => {
    const noVersion = planRemediation({ ...incident, release: { ...RELEASE, chartVersion: null } });
    expect(commands(noVersion)[2]).toBe(
      "helm upgrade arc-runners gha-runner-scale-set --reuse-values -n arc-runners",
    );
    expect(stepDescription(noVersion.steps[2] as RemediationAction)).toContain("add --version");
  });

  it("explains why it recreates", () => {
    expect(remediation.reason).toEqual({ code: "recreate-custom-resource" });
  });

  it("offers an in-place patch that turns the live object into the repaired one", () => {
    const [alternative] = remediation.alternatives;
    expect(alternative?.strategy).toBe("patch");
    const steps = alternative?.steps ?? [];
    expect(steps.map((step) => step.action)).toEqual(["flux-suspend", "json-patch", "verify", "flux-resume"]);
    expect(applied(incidentLive(), patchStep(steps).operations)).toEqual(incidentRepaired());
    // The command people paste sends exactly these operations.
    const words = argv(actionCommand(patchStep(steps)));
    expect(words.slice(0, 2)).toEqual(["kubectl", "patch"]);
    expect(JSON.parse(words[words.indexOf("-p") + 1] ?? "null")).toEqual(patchStep(steps).operations);
  });

  it("has no Flux steps when Flux does not manage the release", () => {
    const plain = planRemediation({ ...incident, flux: null });
    expect(commands(plain).some((command) => command.startsWith("flux"))).toBe(false);
    expect(commands(plain)[0]).toBe(
      "kubectl delete autoscalingrunnerset.actions.github.com arc-runners -n arc-runners",
    );
  });

  it("patches in place when no release is known to upgrade", () => {
    const noRelease = planRemediation({ ...incident, release: null, flux: null });
    expect(noRelease.strategy).toBe("patch");
    expect(noRelease.reason).toEqual({ code: "patch-custom-resource-no-release" });
    expect(everyStep(noRelease).map((step) => step.action)).toEqual(["json-patch"]);
  });
});

describe("planRemediation never deletes objects that hold data", () => {
  const pvc: KubeObject = {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: {
      name: "data-postgres-0",
      namespace: "db",
      resourceVersion: "10",
      labels: { app: "postgres" },
    },
    spec: {
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "10Gi" } },
      storageClassName: "standard",
    },
  };
  const pv: KubeObject = {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: "pv-nfs", resourceVersion: "11" },
    spec: {
      capacity: { storage: "100Gi" },
      persistentVolumeReclaimPolicy: "Retain",
      nfs: { server: "nfs", path: "/x" },
    },
  };
  const namespace: KubeObject = {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "arc-runners", resourceVersion: "12" },
  };
  const crd = corpusObject("arc/crds/actions.github.com_autoscalingrunnersets.yaml");

  it.each([
    ["PersistentVolumeClaim", pvc],
    ["PersistentVolume", pv],
    ["Namespace", namespace],
    ["CustomResourceDefinition", crd],
  ])("patches a %s in place and says why", (kind, live) => {
    const desired = structuredClone(live);
    desired.metadata.labels = { ...desired.metadata.labels, "app.kubernetes.io/managed-by": "Helm" };
    const ref: ObjectRef = {
      apiVersion: live.apiVersion,
      kind: live.kind,
      namespace: live.metadata.namespace ?? null,
      name: live.metadata.name,
    };
    const operations = operationsFor(desired, live);
    const remediation = planRemediation({ release: RELEASE, ref, exists: true, operations, flux: FLUX });
    expect(remediation.strategy).toBe("patch");
    expect(remediation.alternatives).toEqual([]);
    expect(everyStep(remediation).some((step) => step.action === "delete")).toBe(false);
    expect(remediation.reason).toEqual({ code: "never-deleted", kind });
    expect(applied(live, patchStep(remediation.steps).operations)).toEqual(desired);
  });

  it("addresses a cluster-scoped object without a namespace flag", () => {
    const desired = structuredClone(namespace);
    desired.metadata.labels = { team: "ci" };
    const remediation = planRemediation({
      release: RELEASE,
      ref: { apiVersion: "v1", kind: "Namespace", namespace: null, name: "arc-runners" },
      exists: true,
      operations: operationsFor(desired, namespace),
      flux: null,
    });
    const words = argv(commands(remediation)[0] ?? "");
    expect(words.slice(0, 4)).toEqual(["kubectl", "patch", "namespace", "arc-runners"]);
    expect(words).not.toContain("-n");
  });
});

describe("planRemediation for a built-in kind", () => {
  const live = corpusObject("live-vs-desired/gitops-engine/ssd-deploy-with-manual-apply-live.yaml");
  // The chart renders one container with a newer image; live has a second one added by hand.
  const desired = structuredClone(live);
  const podSpec = (desired.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template
    .spec;
  podSpec.containers = podSpec.containers.slice(0, 1);
  (podSpec.containers[0] as Record<string, unknown>).image = "nginx:1.27";
  const ref: ObjectRef = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    namespace: "default",
    name: "manual-apply-test-deployment",
  };
  const operations = operationsFor(desired, live);
  const remediation = planRemediation({ release: RELEASE, ref, exists: true, operations, flux: null });
  const patch = patchStep(remediation.steps).operations;

  it("patches in place, names the fully qualified kind, and says why not helm upgrade", () => {
    expect(remediation.strategy).toBe("patch");
    expect(argv(commands(remediation)[0] ?? "").slice(0, 6)).toEqual([
      "kubectl",
      "patch",
      "deployment.apps",
      "manual-apply-test-deployment",
      "-n",
      "default",
    ]);
    expect(remediation.reason).toEqual({ code: "built-in-patch" });
    expect(everyStep(remediation).some((step) => step.action === "delete")).toBe(false);
  });

  it("produces a patch that removes the sidecar and restores the image, and nothing else", () => {
    const patched = applied(live, patch);
    expect(diffObjects(desired, patched, null)).toEqual([]);
    expect(patched).toEqual(desired);
  });

  it("guards every replace and remove with a test of the value read, so a raced write fails the patch", () => {
    patch.forEach((operation, i) => {
      if (operation.op === "replace" || operation.op === "remove") {
        expect(patch[i - 1]).toMatchObject({ op: "test", path: operation.path });
      }
    });
    const raced = structuredClone(live);
    const racedSpec = (raced.spec as { template: { spec: { containers: Record<string, unknown>[] } } })
      .template.spec;
    (racedSpec.containers[0] as Record<string, unknown>).image = "nginx:1.28";
    expect(() => applied(raced, patch)).toThrow(/Test operation failed/);
  });

  it("leaves server-maintained fields out of the patch", () => {
    const paths = patch.map((operation) => operation.path);
    expect(
      paths.filter((path) => /^\/(status|metadata\/(managedFields|resourceVersion|generation))/.test(path)),
    ).toEqual([]);
  });
});

describe("planRemediation shell quoting", () => {
  it("quotes a patch whose values contain single quotes so the shell passes it through unchanged", () => {
    const desired = incidentRepaired();
    desired.metadata.annotations = {
      ...desired.metadata.annotations,
      "example.com/note": `it's "quoted" $HOME \`date\` \\ back`,
    };
    const operations = operationsFor(desired, incidentLive());
    const remediation = planRemediation({ ...incident, operations, flux: null, release: null });
    const command = commands(remediation)[0] ?? "";
    expect(command).toContain(`'\\''`);
    const words = argv(command);
    const sent = JSON.parse(words[words.indexOf("-p") + 1] ?? "null") as PatchOperation[];
    expect(applied(incidentLive(), sent)).toEqual(desired);
  });
});

describe("planRemediation for a Secret", () => {
  const ref: ObjectRef = {
    apiVersion: "v1",
    kind: "Secret",
    namespace: "argocd",
    name: "wordpress-wordpress",
  };
  const live = corpusObject("live-vs-desired/gitops-engine/wordpress-live.json");
  const desired = structuredClone(live);
  desired.data = { "smtp-password": "", "wordpress-password": "Xkt2T0tjMk5PdQ==" };
  const operations = operationsFor(desired, live);
  const secrets = ["Skt2T0tjMk5PdQ==", "Xkt2T0tjMk5PdQ==", "JKvOKc2NOu", "^KvOKc2NOu"];
  const release = {
    name: "wordpress",
    namespace: "argocd",
    revision: 4,
    chartName: "wordpress",
    chartVersion: "5.0.1",
  };
  const input = { release, ref, exists: true, operations };

  it("recreates it through helm upgrade and never prints a value", () => {
    const remediation = planRemediation({ ...input, flux: FLUX });
    expect(remediation.strategy).toBe("recreate");
    expect(commands(remediation)).toEqual([
      "flux suspend helmrelease arc-runners -n flux-system",
      "kubectl delete secret wordpress-wordpress -n argocd",
      "helm upgrade wordpress wordpress --reuse-values --version 5.0.1 -n argocd",
      "helm-drift check wordpress -n argocd",
      "flux resume helmrelease arc-runners -n flux-system",
    ]);
    const shown = JSON.stringify([remediation, everyStep(remediation).map(actionCommand)]);
    for (const secret of secrets) expect(shown).not.toContain(secret);
    expect(remediation.reason).toEqual({ code: "secret-recreate" });
  });

  it("offers to re-apply the Secret from the stored release manifest without printing it", () => {
    const remediation = planRemediation({ ...input, flux: null });
    expect(remediation.alternatives[0]?.steps.map(actionCommand)).toEqual([
      `helm get manifest wordpress -n argocd --revision 4 | yq 'select(.kind == "Secret" and .metadata.name == "wordpress-wordpress")' | kubectl apply --server-side --field-manager=helm-drift --force-conflicts -n argocd -f -`,
      "helm-drift check wordpress -n argocd",
    ]);
    expect(remediation.alternatives[0]?.steps[0]).toEqual({
      action: "server-side-apply",
      target: ref,
      source: { from: "release-manifest", release: "wordpress", namespace: "argocd", revision: 4 },
      fieldManager: "helm-drift",
      forceConflicts: true,
      omit: [],
    });
  });

  it("re-applies from the manifest when no release is known, still without values", () => {
    const remediation = planRemediation({ ...input, release: null, flux: null });
    expect(remediation.strategy).toBe("patch");
    expect(commands(remediation)).toEqual([
      "kubectl apply --server-side --field-manager=helm-drift --force-conflicts -n argocd -f -",
    ]);
    const shown = JSON.stringify(remediation);
    for (const secret of secrets) expect(shown).not.toContain(secret);
  });
});

describe("planRemediation for an object missing live", () => {
  it("lets helm upgrade create it, inside a Flux suspension", () => {
    const remediation = planRemediation({ ...incident, exists: false, operations: [] });
    expect(remediation.strategy).toBe("upgrade");
    expect(commands(remediation)).toEqual([
      "flux suspend helmrelease arc-runners -n flux-system",
      "helm upgrade arc-runners gha-runner-scale-set --reuse-values --version 0.14.2 -n arc-runners",
      "helm-drift check arc-runners -n arc-runners",
      "flux resume helmrelease arc-runners -n flux-system",
    ]);
    expect(remediation.reason).toEqual({ code: "object-missing" });
  });

  it("says what to do when no release is known", () => {
    const remediation = planRemediation({ ...incident, release: null, exists: false, operations: [] });
    expect(remediation.steps).toEqual([]);
    expect(remediation.reason).toEqual({ code: "object-missing-no-release" });
  });
});

describe("planRemediation names what it leaves alone", () => {
  it("carries the fields it does not revert, with the rule that says why", () => {
    const leavesAlone = [
      { path: "spec.replicas", pointer: "/spec/replicas", rule: "replicas-owned-by-autoscaler" },
    ];
    const remediation = planRemediation({ ...incident, leavesAlone });
    expect(remediation.leavesAlone).toEqual(leavesAlone);
  });
});

describe("planRemediation for a release Helm applies server-side (Helm 4)", () => {
  const removal: PatchOperation[] = [
    { op: "test", path: "/spec/template/spec/containers/1/name", value: "log-shipper" },
    { op: "remove", path: "/spec/template/spec/containers/1" },
  ];
  const serverSide: RemediationInput = {
    ...incident,
    applyMethod: "server-side",
    restores: true,
    removals: removal,
    conflictingManagers: ["kubectl-patch"],
    leavesAlone: [{ path: "spec.replicas", pointer: "/spec/replicas", rule: "replicas-owned-by-autoscaler" }],
  };

  it("removes what was added live, then applies the recorded object as Helm, forcing conflicts", () => {
    const remediation = planRemediation(serverSide);
    expect(remediation.strategy).toBe("apply");
    expect(remediation.reason).toEqual({ code: "apply-as-helm", managers: ["kubectl-patch"] });
    expect(remediation.steps.map((step) => step.action)).toEqual([
      "flux-suspend",
      "json-patch",
      "server-side-apply",
      "verify",
      "flux-resume",
    ]);
    expect(commands(remediation).slice(1, 3)).toEqual([
      `kubectl patch autoscalingrunnerset.actions.github.com arc-runners -n arc-runners --type json -p '${JSON.stringify(removal)}'`,
      `helm get manifest arc-runners -n arc-runners --revision 3 | yq 'select(.kind == "AutoscalingRunnerSet" and .metadata.name == "arc-runners") | del(.spec.replicas)' | kubectl apply --server-side --field-manager=helm --force-conflicts -n arc-runners -f -`,
    ]);
  });

  it("offers helm upgrade --force-conflicts as the alternative, never a JSON patch of the values alone", () => {
    const remediation = planRemediation(serverSide);
    expect(remediation.alternatives.map((a) => [a.strategy, a.reason.code])).toEqual([
      ["upgrade", "upgrade-force-conflicts-alternative"],
    ]);
    expect(commands({ ...remediation, steps: remediation.alternatives[0]?.steps ?? [] })).toContain(
      "helm upgrade arc-runners gha-runner-scale-set --reuse-values --force-conflicts --version 0.14.2 -n arc-runners",
    );
    const patches = everyStep(remediation).filter((step) => step.action === "json-patch");
    for (const patch of patches) {
      expect(patch.action === "json-patch" && patch.operations).toEqual(removal);
    }
  });

  it("only removes, with a patch, when nothing rendered is to be restored", () => {
    const remediation = planRemediation({ ...serverSide, restores: false, operations: removal });
    expect(remediation.strategy).toBe("patch");
    expect(remediation.reason).toEqual({ code: "server-side-apply-patch" });
  });

  it("applies from the checked manifest when no release is known", () => {
    const remediation = planRemediation({ ...serverSide, release: null, flux: null });
    const apply = remediation.steps.find((step) => step.action === "server-side-apply");
    expect(apply).toMatchObject({ source: { from: "rendered-manifest" }, fieldManager: "helm" });
    expect(actionCommand(apply as RemediationAction)).toBe(
      "yq 'del(.spec.replicas)' | kubectl apply --server-side --field-manager=helm --force-conflicts -n arc-runners -f -",
    );
  });
});
