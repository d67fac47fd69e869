import { readFileSync } from "node:fs";
import jsonPatch, { type Operation } from "fast-json-patch";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../src/model/kube.js";
import type { RemediationAction } from "../../../src/model/remediation.js";
import type { ResourceReport } from "../../../src/model/report.js";
import type { NoiseRules } from "../../../src/noise/finding-filter.js";
import { parseLiveObjects } from "../../../src/sources/live-objects.js";
import { checkOne } from "../../helpers/check-one.js";
import { corpusPath } from "../../helpers/corpus.js";

const load = (relative: string): KubeObject => {
  const file = corpusPath(relative);
  const [object] = parseLiveObjects(readFileSync(file, "utf8"), file);
  if (!object) throw new Error(`no object in ${relative}`);
  return object;
};

function patchOf(resource: ResourceReport): Operation[] {
  const steps: RemediationAction[] = [
    ...(resource.remediation?.steps ?? []),
    ...(resource.remediation?.alternatives.flatMap((a) => a.steps) ?? []),
  ];
  const patch = steps.find((step) => step.action === "json-patch");
  return patch?.action === "json-patch" ? (patch.operations as Operation[]) : [];
}

function valueAtPointer(object: unknown, pointer: string): unknown {
  return jsonPatch.getValueByPointer(object, pointer);
}

// argoproj/argo-cd util/argo testdata: replicas last written by kube-controller-manager (the HPA's writer).
const managedReplicaDesired = () => load("live-vs-desired/argo-cd-util-argo/desired_deployment.yaml");
const managedReplicaLive = () =>
  load("live-vs-desired/argo-cd-util-argo/live_deployment_with_managed_replica.yaml");

/** An HPA that targets `deployment` (autoscaling/v2, as `kubectl autoscale` creates it). */
function hpaFor(deployment: KubeObject): KubeObject {
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: deployment.metadata.name, namespace: deployment.metadata.namespace ?? "default" },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
      minReplicas: 1,
      maxReplicas: 5,
    },
  };
}

describe("a repair never reverts what it does not report as drift to repair", () => {
  it("reports an autoscaler's replicas as info, and the plan leaves them alone and says why", async () => {
    const live = managedReplicaLive();
    const { resource } = await checkOne(managedReplicaDesired(), live, { alsoLive: [hpaFor(live)] });
    const replicas = resource.findings.find((finding) => finding.path === "spec.replicas");
    expect(replicas).toMatchObject({
      severity: "info",
      severityRule: "replicas-owned-by-autoscaler",
      repair: "leave",
      owner: { manager: "kube-controller-manager" },
    });
    expect(resource.remediation?.leavesAlone).toEqual([
      { path: "spec.replicas", pointer: "/spec/replicas", rule: "replicas-owned-by-autoscaler" },
    ]);
    const patch = patchOf(resource);
    expect(patch.map((operation) => operation.path)).not.toContain("/spec/replicas");
    expect(patch).toContainEqual({ op: "replace", path: "/spec/revisionHistoryLimit", value: 1 });
    const patched = jsonPatch.applyPatch(structuredClone(live), patch, true, false).newDocument;
    expect((patched.spec as { replicas: number }).replicas).toBe(2);
    expect((patched.spec as { revisionHistoryLimit: number }).revisionHistoryLimit).toBe(1);
  });

  it("finds the autoscaler in the release as well as in the cluster", async () => {
    const live = managedReplicaLive();
    const { resource } = await checkOne(managedReplicaDesired(), live, {
      alsoRendered: [hpaFor(live)],
    });
    const replicas = resource.findings.find((finding) => finding.path === "spec.replicas");
    expect(replicas).toMatchObject({ severity: "info", repair: "leave" });
  });

  it("grades kube-controller-manager's replicas as anyone's when no autoscaler targets the object", async () => {
    const live = managedReplicaLive();
    const elsewhere = hpaFor({ ...live, metadata: { ...live.metadata, name: "another-deployment" } });
    const { resource } = await checkOne(managedReplicaDesired(), live, { alsoLive: [elsewhere] });
    const replicas = resource.findings.find((finding) => finding.path === "spec.replicas");
    expect(replicas).toMatchObject({ severity: "medium", severityRule: "default", repair: "revert" });
    expect(patchOf(resource).map((operation) => operation.path)).toContain("/spec/replicas");
  });

  it("drops a filtered finding from everything derived: findings, explanations, patch, diff and summary", async () => {
    const ignoreHistory = ignoring("/spec/revisionHistoryLimit");
    const unfiltered = await checkOne(managedReplicaDesired(), managedReplicaLive());
    const filtered = await checkOne(managedReplicaDesired(), managedReplicaLive(), { noise: ignoreHistory });
    const paths = (resource: ResourceReport) => resource.findings.map((finding) => finding.path);
    expect(paths(unfiltered.resource)).toContain("spec.revisionHistoryLimit");
    expect(paths(filtered.resource)).not.toContain("spec.revisionHistoryLimit");
    expect(JSON.stringify(filtered.resource.explanations)).not.toContain("revisionHistoryLimit");
    const changedLines = (diff: string | null | undefined) =>
      (diff ?? "")
        .split("\n")
        .filter((line) => /^[-+]\s/.test(line) && line.includes("revisionHistoryLimit"));
    expect(changedLines(unfiltered.resource.diff)).toHaveLength(2);
    expect(changedLines(filtered.resource.diff)).toEqual([]);
    expect(patchOf(filtered.resource).map((operation) => operation.path)).not.toContain(
      "/spec/revisionHistoryLimit",
    );
    expect(filtered.report.summary.findings).toBe(unfiltered.report.summary.findings - 1);
  });

  it("is in sync when the filter drops every finding", async () => {
    const { resource, report } = await checkOne(managedReplicaDesired(), managedReplicaLive(), {
      noise: ignoring(""),
    });
    expect(resource.status).toBe("InSync");
    expect(resource.remediation).toBeNull();
    expect(report.summary.ignored).toBe(resource.ignoredFindings?.length);
    expect(report.summary.ignored).toBeGreaterThan(0);
  });
});

/** A config with one ignore rule on every object. */
function ignoring(...paths: string[]): NoiseRules {
  return {
    ignore: [{ paths, target: null, origin: { kind: "config", file: "test.yaml" }, index: 0 }],
    ignoreManagers: [],
    severityOverrides: [],
  };
}

describe("every finding that exists live can be named by a pointer into the live object", () => {
  it("an extra container added by hand: its livePointer addresses it in the live object", async () => {
    const live = load("live-vs-desired/gitops-engine/ssd-deploy-with-manual-apply-live.yaml");
    const desired = structuredClone(live);
    const podSpec = (desired.spec as { template: { spec: { containers: unknown[] } } }).template.spec;
    const [first, ...added] = podSpec.containers;
    podSpec.containers = [first];
    const { resource } = await checkOne(desired, live);
    const extras = resource.findings.filter((finding) => finding.type === "extra");
    expect(extras).toHaveLength(added.length);
    for (const [i, extra] of extras.entries()) {
      expect(extra.pointer).toBeNull();
      expect(valueAtPointer(live, extra.livePointer ?? "")).toEqual(added[i]);
    }
  });

  it("a mount naming a missing volume: its livePointer addresses the mount", async () => {
    const live = load("live-vs-desired/gitops-engine/ssd-deploy-with-manual-apply-live.yaml");
    const broken = structuredClone(live);
    const container = (broken.spec as { template: { spec: { containers: Record<string, unknown>[] } } })
      .template.spec.containers[0] as Record<string, unknown>;
    const mount = { name: "kubectl-bin", mountPath: "/usr/local/kubectl-bin" };
    container.volumeMounts = [mount];
    const { resource } = await checkOne(live, broken);
    const reference = resource.findings.find((finding) => finding.type === "broken-reference");
    expect(reference?.repair).toBe("consequence");
    expect(valueAtPointer(broken, reference?.livePointer ?? "")).toEqual(mount);
  });

  it("a changed field has both pointers, a missing one only the rendered pointer", async () => {
    const { resource } = await checkOne(managedReplicaDesired(), managedReplicaLive());
    const changed = resource.findings.find((finding) => finding.path === "spec.revisionHistoryLimit");
    expect(changed).toMatchObject({
      pointer: "/spec/revisionHistoryLimit",
      livePointer: "/spec/revisionHistoryLimit",
    });
    const live = managedReplicaLive();
    delete (live.spec as Record<string, unknown>).revisionHistoryLimit;
    const missing = (await checkOne(managedReplicaDesired(), live)).resource.findings.find(
      (finding) => finding.path === "spec.revisionHistoryLimit",
    );
    expect(missing).toMatchObject({
      type: "missing",
      pointer: "/spec/revisionHistoryLimit",
      livePointer: null,
    });
  });
});
