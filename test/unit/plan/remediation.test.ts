import { execFileSync } from "node:child_process";
import jsonPatch, { type Operation } from "fast-json-patch";
import { describe, expect, it } from "vitest";
import type { KubeObject, ObjectRef } from "../../../src/model/kube.js";
import type { Remediation } from "../../../src/model/report.js";
import { planRemediation, type RemediationInput } from "../../../src/plan/remediation.js";
import { corpusObject } from "../explain/corpus.js";
import { FLUX, incidentLive, incidentRepaired, REF, RELEASE } from "../explain/incident-arc.js";

/**
 * The argument vector a POSIX shell builds from a command line: proves the quoting, not a re-implementation
 * of it. kubectl, helm, flux and helm-drift are shell functions that print their arguments.
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

/** The JSON patch a `kubectl patch … --type json -p '…'` step sends. */
function patchOf(command: string): Operation[] {
  const words = argv(command);
  expect(words.slice(0, 2)).toEqual(["kubectl", "patch"]);
  expect(words[words.indexOf("--type") + 1]).toBe("json");
  return JSON.parse(words[words.indexOf("-p") + 1] ?? "null") as Operation[];
}

function applied(live: KubeObject, operations: Operation[]): KubeObject {
  return jsonPatch.applyPatch(structuredClone(live), operations, true, false).newDocument;
}

function commands(remediation: Remediation): string[] {
  return remediation.steps.map((step) => step.command);
}

function everyCommand(remediation: Remediation): string[] {
  return [
    ...commands(remediation),
    ...(remediation.alternatives ?? []).flatMap((a) => a.steps.map((s) => s.command)),
  ];
}

const incident: RemediationInput = {
  release: RELEASE,
  ref: REF,
  live: incidentLive(),
  repaired: incidentRepaired(),
  flux: FLUX,
};

describe("planRemediation for the incident", () => {
  const remediation = planRemediation(incident);

  it("suspends Flux, deletes the custom resource, upgrades, verifies and resumes", () => {
    expect(remediation.strategy).toBe("recreate");
    expect(commands(remediation)).toEqual([
      "flux suspend helmrelease arc-runners -n flux-system",
      "kubectl delete autoscalingrunnerset.actions.github.com arc-runners -n arc-runners",
      "helm upgrade arc-runners gha-runner-scale-set --reuse-values --version 0.14.2 -n arc-runners",
      "helm-drift check arc-runners -n arc-runners",
      "flux resume helmrelease arc-runners -n flux-system",
    ]);
  });

  it("gives the kubectl form of suspend and resume in the descriptions", () => {
    expect(remediation.steps[0]?.description).toContain(
      `kubectl patch helmrelease arc-runners -n flux-system --type merge -p '{"spec":{"suspend":true}}'`,
    );
    expect(remediation.steps.at(-1)?.description).toContain(`'{"spec":{"suspend":false}}'`);
  });

  it("says the chart name must be replaced by the chart reference when that is unknown", () => {
    const upgrade = remediation.steps[2]?.description ?? "";
    expect(upgrade).toContain('"gha-runner-scale-set" is only the chart\'s name');
    expect(upgrade).toContain("chart reference the release was installed from");
  });

  it("uses the chart reference when it is known", () => {
    const chartRef = "oci://ghcr.io/actions/actions-runner-controller-charts/gha-runner-scale-set";
    const withRef = planRemediation({ ...incident, chartRef });
    expect(withRef.steps[2]?.command).toBe(
      `helm upgrade arc-runners ${chartRef} --reuse-values --version 0.14.2 -n arc-runners`,
    );
    expect(withRef.steps[2]?.description).not.toContain("only the chart's name");
  });

  it("leaves out --version and says so when the chart version is unknown", () => {
    const noVersion = planRemediation({ ...incident, release: { ...RELEASE, chartVersion: null } });
    expect(noVersion.steps[2]?.command).toBe(
      "helm upgrade arc-runners gha-runner-scale-set --reuse-values -n arc-runners",
    );
    expect(noVersion.steps[2]?.description).toContain("add --version");
  });

  it("explains why it recreates", () => {
    expect(remediation.reason).toContain("two-way merge patch");
  });

  it("offers an in-place patch that turns the live object into the repaired one", () => {
    const [alternative] = remediation.alternatives ?? [];
    expect(alternative?.strategy).toBe("patch");
    const steps = alternative?.steps ?? [];
    expect(steps.map((step) => argv(step.command).slice(0, 2))).toEqual([
      ["flux", "suspend"],
      ["kubectl", "patch"],
      ["helm-drift", "check"],
      ["flux", "resume"],
    ]);
    const patch = patchOf(steps[1]?.command ?? "");
    expect(applied(incidentLive(), patch)).toEqual(incidentRepaired());
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
    expect(noRelease.reason).toContain("No Helm release is known");
    expect(everyCommand(noRelease).every((command) => command.startsWith("kubectl patch"))).toBe(true);
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
    ["PersistentVolumeClaim", pvc, "delete its volume and the data on it"],
    ["PersistentVolume", pv, "reclaim policy"],
    ["Namespace", namespace, "deletes everything in it"],
    ["CustomResourceDefinition", crd, "deletes every custom resource of that kind"],
  ])("patches a %s in place and says why", (_kind, live, because) => {
    const repaired = structuredClone(live);
    repaired.metadata.labels = { ...repaired.metadata.labels, "app.kubernetes.io/managed-by": "Helm" };
    const ref: ObjectRef = {
      apiVersion: live.apiVersion,
      kind: live.kind,
      namespace: live.metadata.namespace ?? null,
      name: live.metadata.name,
    };
    const remediation = planRemediation({ release: RELEASE, ref, live, repaired, flux: FLUX });
    expect(remediation.strategy).toBe("patch");
    expect(remediation.alternatives).toBeUndefined();
    expect(everyCommand(remediation).some((command) => command.includes("delete"))).toBe(false);
    expect(remediation.reason).toContain(because);
    const patchStep = remediation.steps.find((step) => step.command.startsWith("kubectl patch"));
    expect(applied(live, patchOf(patchStep?.command ?? ""))).toEqual(repaired);
  });

  it("addresses a cluster-scoped object without a namespace flag", () => {
    const repaired = structuredClone(namespace);
    repaired.metadata.labels = { team: "ci" };
    const remediation = planRemediation({
      release: RELEASE,
      ref: { apiVersion: "v1", kind: "Namespace", namespace: null, name: "arc-runners" },
      live: namespace,
      repaired,
      flux: null,
    });
    expect(argv(remediation.steps[0]?.command ?? "").slice(0, 4)).toEqual([
      "kubectl",
      "patch",
      "namespace",
      "arc-runners",
    ]);
    expect(argv(remediation.steps[0]?.command ?? "")).not.toContain("-n");
  });
});

describe("planRemediation for a built-in kind", () => {
  const live = corpusObject("live-vs-desired/gitops-engine/ssd-deploy-with-manual-apply-live.yaml");
  const repaired = structuredClone(live);
  const podSpec = (repaired.spec as { template: { spec: { containers: Record<string, unknown>[] } } })
    .template.spec;
  podSpec.containers = podSpec.containers.slice(0, 1);
  (podSpec.containers[0] as Record<string, unknown>).image = "nginx:1.27";
  const ref: ObjectRef = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    namespace: "default",
    name: "manual-apply-test-deployment",
  };
  const remediation = planRemediation({ release: RELEASE, ref, live, repaired, flux: null });
  const patch = patchOf(remediation.steps[0]?.command ?? "");

  it("patches in place, names the fully qualified kind, and says why not helm upgrade", () => {
    expect(remediation.strategy).toBe("patch");
    expect(argv(remediation.steps[0]?.command ?? "").slice(0, 6)).toEqual([
      "kubectl",
      "patch",
      "deployment.apps",
      "manual-apply-test-deployment",
      "-n",
      "default",
    ]);
    expect(remediation.reason).toContain("does not remove entries added live");
    expect(everyCommand(remediation).some((command) => command.includes("delete"))).toBe(false);
  });

  it("produces a patch that removes the sidecar and restores the image", () => {
    expect(applied(live, patch)).toEqual(repaired);
  });

  it("produces a patch the server rejects if a patched field changed meanwhile", () => {
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
    const bumped = structuredClone(repaired);
    bumped.metadata.resourceVersion = "99999";
    bumped.status = { replicas: 7 };
    const again = planRemediation({ release: RELEASE, ref, live, repaired: bumped, flux: null });
    expect(patchOf(again.steps[0]?.command ?? "")).toEqual(patch);
  });
});

describe("planRemediation shell quoting", () => {
  it("quotes a patch whose values contain single quotes so the shell passes it through unchanged", () => {
    const repaired = incidentRepaired();
    repaired.metadata.annotations = {
      ...repaired.metadata.annotations,
      "example.com/note": `it's "quoted" $HOME \`date\` \\ back`,
    };
    const remediation = planRemediation({ ...incident, repaired, flux: null, release: null });
    const command = remediation.steps[0]?.command ?? "";
    expect(command).toContain(`'\\''`);
    expect(applied(incidentLive(), patchOf(command))).toEqual(repaired);
  });
});

describe("planRemediation for a Secret", () => {
  const live = corpusObject("live-vs-desired/gitops-engine/wordpress-live.json");
  const repaired = structuredClone(live);
  repaired.data = { "smtp-password": "", "wordpress-password": "Xkt2T0tjMk5PdQ==" };
  const ref: ObjectRef = {
    apiVersion: "v1",
    kind: "Secret",
    namespace: "argocd",
    name: "wordpress-wordpress",
  };
  const secrets = ["Skt2T0tjMk5PdQ==", "Xkt2T0tjMk5PdQ==", "JKvOKc2NOu", "^KvOKc2NOu"];
  const release = { name: "wordpress", namespace: "argocd", chartName: "wordpress", chartVersion: "5.0.1" };

  it("recreates it through helm upgrade and never prints a value", () => {
    const remediation = planRemediation({ release, ref, live, repaired, flux: FLUX });
    expect(remediation.strategy).toBe("recreate");
    expect(commands(remediation)).toEqual([
      "flux suspend helmrelease arc-runners -n flux-system",
      "kubectl delete secret wordpress-wordpress -n argocd",
      "helm upgrade wordpress wordpress --reuse-values --version 5.0.1 -n argocd",
      "helm-drift check wordpress -n argocd",
      "flux resume helmrelease arc-runners -n flux-system",
    ]);
    const shown = JSON.stringify(remediation);
    for (const secret of secrets) expect(shown).not.toContain(secret);
    expect(remediation.reason).toContain("never printed");
  });

  it("offers to re-apply the Secret from the stored release manifest without printing it", () => {
    const remediation = planRemediation({ release, ref, live, repaired, flux: null });
    expect(remediation.alternatives?.[0]?.steps.map((step) => step.command)).toEqual([
      `helm get manifest wordpress -n argocd | yq 'select(.kind == "Secret" and .metadata.name == "wordpress-wordpress")' | kubectl apply --server-side --field-manager=helm-drift --force-conflicts -n argocd -f -`,
      "helm-drift check wordpress -n argocd",
    ]);
  });

  it("re-applies from the manifest when no release is known, still without values", () => {
    const remediation = planRemediation({ release: null, ref, live, repaired, flux: null });
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
    const remediation = planRemediation({ ...incident, live: null, repaired: null });
    expect(remediation.strategy).toBe("upgrade");
    expect(commands(remediation)).toEqual([
      "flux suspend helmrelease arc-runners -n flux-system",
      "helm upgrade arc-runners gha-runner-scale-set --reuse-values --version 0.14.2 -n arc-runners",
      "helm-drift check arc-runners -n arc-runners",
      "flux resume helmrelease arc-runners -n flux-system",
    ]);
    expect(remediation.reason).toContain("creates the objects of the release manifest that are not found");
  });

  it("says what to do when no release is known", () => {
    const remediation = planRemediation({ ...incident, release: null, live: null, repaired: null });
    expect(remediation.steps).toEqual([]);
    expect(remediation.reason).toContain("No Helm release is known");
  });
});
