import jsonPatch, { compare, type Operation } from "fast-json-patch";
import { describe, expect, test } from "vitest";
import type { ListTypes } from "../../../src/cluster/cluster-reader.js";
import { compareObjects, diffObjects } from "../../../src/diff/diff-objects.js";
import type { RawFinding } from "../../../src/model/finding.js";
import type { KubeObject } from "../../../src/model/kube.js";
import { repairOperations } from "../../../src/plan/repair-operations.js";
import { recordedObject, renderedFor } from "./added-fields-fixtures.js";
import { brief, loadCorpusObject, loadFixture } from "./corpus-fixtures.js";
import { FLUENTD_MUTATIONS, fluentdPair, type Loose, podSpecOf } from "./mutated-fixtures.js";

/**
 * Where a finding may change the live object, as an RFC 6901 prefix into it: entries added or removed change
 * their list (compare() may shift positions), anything else only its own path.
 */
function livePrefix(finding: RawFinding): string {
  const path =
    finding.code === "entry-missing" || finding.code === "entry-extra"
      ? finding.path.slice(0, -1)
      : finding.path;
  return path
    .map((segment) => {
      if (segment.kind === "field") return `/${segment.name.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      return `/${segment.kind === "key" ? segment.liveIndex : segment.index}`;
    })
    .join("");
}

/** The live object after the repair patch built from the findings of the one comparison. */
function repairLive(desired: KubeObject, live: KubeObject, listTypes: ListTypes | null): KubeObject {
  const operations = repairOperations(live, diffObjects(desired, live, listTypes)) as Operation[];
  return jsonPatch.applyPatch(structuredClone(live), operations, true, false).newDocument;
}

function expectRepairUndoesExactlyTheDrift(desired: KubeObject, live: KubeObject): void {
  const before = structuredClone(live);
  const findings = diffObjects(desired, live, null);
  const repaired = repairLive(desired, live, null);
  expect(live).toEqual(before);
  expect(diffObjects(desired, repaired, null)).toEqual([]);
  const prefixes = findings.map(livePrefix);
  for (const operation of compare(live, repaired)) {
    expect(
      prefixes.some((prefix) => operation.path === prefix || operation.path.startsWith(`${prefix}/`)),
    ).toBe(true);
  }
}

describe("the repair patch leaves no drift and touches nothing else", () => {
  test.each(FLUENTD_MUTATIONS)("DaemonSet: $name", ({ mutate }) => {
    const pair = fluentdPair();
    mutate(pair);
    expectRepairUndoesExactlyTheDrift(pair.desired, pair.live);
  });

  test.each([
    ["gitops-engine/deployment-config.json", "gitops-engine/deployment-live.json"],
    ["gitops-engine/smd-service-config.yaml", "gitops-engine/smd-service-live-with-type.yaml"],
    ["gitops-engine/smd-service-config-ports.yaml", "gitops-engine/smd-service-live.yaml"],
    ["gitops-engine/smd-service-config-2-ports.yaml", "gitops-engine/smd-service-live.yaml"],
    [
      "gitops-engine/ssd-deploy-with-manual-apply-config.yaml",
      "gitops-engine/ssd-deploy-with-manual-apply-live.yaml",
    ],
    ["argo-cd-controller/target-deployment-new-entries.yaml", "argo-cd-controller/live-deployment.yaml"],
    [
      "argo-cd-controller/target-deployment-env-vars.yaml",
      "argo-cd-controller/live-deployment-env-vars.yaml",
    ],
    ["argo-cd-util-argo/desired_validating_webhook.yaml", "argo-cd-util-argo/live_validating_webhook.yaml"],
  ])("corpus pair %s vs %s", (desiredFile, liveFile) => {
    const desired = loadCorpusObject(`live-vs-desired/${desiredFile}`);
    const live = loadCorpusObject(`live-vs-desired/${liveFile}`);
    expect(diffObjects(desired, live, null).length).toBeGreaterThan(0);
    expectRepairUndoesExactlyTheDrift(desired, live);
  });

  test("an in-sync object is returned unchanged, status, managedFields and server defaults included", () => {
    const desired = loadCorpusObject("live-vs-desired/gitops-engine/smd-deploy-config.yaml");
    const live = loadCorpusObject("live-vs-desired/gitops-engine/smd-deploy-live.yaml");
    expect(repairLive(desired, live, null)).toEqual(live);
  });
});

describe("the patch a repair implies", () => {
  test("the ARC incident is repaired by adding back exactly the three lost fields", () => {
    const desired = loadFixture("arc-autoscalingrunnerset-rendered.yaml");
    const live = loadFixture("arc-autoscalingrunnerset-live.yaml");
    const spec = (live as Loose).spec.template.spec;
    delete spec.initContainers;
    delete spec.volumes;
    delete spec.serviceAccountName;
    const rendered = (desired as Loose).spec.template.spec;
    expect(compare(live, repairLive(desired, live, null))).toEqual(
      expect.arrayContaining([
        { op: "add", path: "/spec/template/spec/serviceAccountName", value: rendered.serviceAccountName },
        { op: "add", path: "/spec/template/spec/initContainers", value: rendered.initContainers },
        { op: "add", path: "/spec/template/spec/volumes", value: rendered.volumes },
      ]),
    );
    expect(compare(live, repairLive(desired, live, null))).toHaveLength(3);
  });

  test("a missing keyed entry is appended to the live list, after the entries live already has", () => {
    const { desired, live } = fluentdPair();
    podSpecOf(live).containers.reverse();
    podSpecOf(live).containers[0].env.splice(1, 1);
    const repaired = repairLive(desired, live, null);
    expect(podSpecOf(repaired).containers[0].env.map((env: Loose) => env.name)).toEqual([
      "POD_NAME",
      "POD_NAMESPACE",
    ]);
    expect(compare(live, repaired)).toEqual([
      {
        op: "add",
        path: "/spec/template/spec/containers/0/env/1",
        value: podSpecOf(desired).containers[1].env[1],
      },
    ]);
  });

  test("extra entries are removed by their live position, several in one list", () => {
    const { desired, live } = fluentdPair();
    const containers = podSpecOf(live).containers;
    containers.splice(1, 0, { name: "a", image: "a:1" });
    containers.push({ name: "b", image: "b:1" });
    const repaired = repairLive(desired, live, null);
    expect(podSpecOf(repaired).containers.map((c: Loose) => c.name)).toEqual([
      "fluentd-gcp",
      "prometheus-to-sd-exporter",
    ]);
    expect(podSpecOf(repaired).containers[1].terminationMessagePath).toBe("/dev/termination-log");
  });

  test("a changed value inside a matched entry is replaced in place, keeping the entry's server defaults", () => {
    const desired = loadCorpusObject("live-vs-desired/gitops-engine/smd-service-config.yaml");
    const live = loadCorpusObject("live-vs-desired/gitops-engine/smd-service-live-with-type.yaml");
    expect(compare(live, repairLive(desired, live, null))).toEqual([
      { op: "replace", path: "/spec/ports/1/targetPort", value: 1936 },
    ]);
  });

  test("a Secret rendered with stringData is repaired in data, base64-encoded, never with stringData", () => {
    const live = loadCorpusObject("live-vs-desired/gitops-engine/wordpress-live.json");
    const desired = loadCorpusObject("live-vs-desired/gitops-engine/wordpress-config.json") as Loose;
    desired.stringData = { "smtp-password": "s3cr€t" };
    const repaired = repairLive(desired, live, null) as Loose;
    expect(repaired.stringData).toBeUndefined();
    expect(repaired.data["smtp-password"]).toBe(Buffer.from("s3cr€t", "utf8").toString("base64"));
    expect(repaired.data["wordpress-password"]).toBe("Skt2T0tjMk5PdQ==");
    expect(diffObjects(desired, repaired, null).map(brief)).toEqual([]);
  });
});

describe("a field added live is removed, guarded by a test of the value helm-drift read", () => {
  test.each([
    ["node-selector", ["/spec/template/spec/nodeSelector"]],
    ["host-network", ["/spec/template/spec/hostNetwork"]],
    ["privileged", ["/spec/template/spec/containers/0/securityContext/privileged"]],
    ["capabilities-add", ["/spec/template/spec/containers/0/securityContext/capabilities"]],
    ["run-as-root", ["/spec/template/spec/containers/1/securityContext"]],
    ["host-path-volume", ["/spec/template/spec/volumes/3/hostPath"]],
    ["node-affinity", ["/spec/template/spec/affinity/nodeAffinity"]],
    ["object-annotation", ["/metadata/annotations/example.com~1owner-team"]],
    ["grace-period", ["/spec/template/spec/terminationGracePeriodSeconds"]],
    ["service-selector-key", ["/spec/selector/app.kubernetes.io~1component"]],
    ["secret-data-key", ["/data/backdoor-token"]],
  ])("%s", (fixture, pointers) => {
    const live = recordedObject(fixture);
    const desired = renderedFor(live);
    const before = structuredClone(live);
    const findings = compareObjects(desired, live, null).findings;
    const operations = repairOperations(live, findings) as Operation[];
    expect(live).toEqual(before);
    expect(operations).toEqual(
      pointers.flatMap((path) => [
        { op: "test", path, value: jsonPatch.getValueByPointer(live, path) },
        { op: "remove", path },
      ]),
    );
    const repaired = jsonPatch.applyPatch(structuredClone(live), operations, true, false).newDocument;
    expect(compare(live, repaired)).toEqual(pointers.map((path) => ({ op: "remove", path })));
    // The managedFields still name the removed fields (the server would drop them): nothing is found there.
    expect(compareObjects(desired, repaired, null).findings).toEqual([]);
  });

  test("the patch fails rather than remove a field that changed since it was read", () => {
    const live = recordedObject("host-network");
    const operations = repairOperations(live, compareObjects(renderedFor(live), live, null).findings);
    const changedMeanwhile = structuredClone(live) as Loose;
    changedMeanwhile.spec.template.spec.hostNetwork = false;
    expect(() => jsonPatch.applyPatch(changedMeanwhile, operations as Operation[], true, false)).toThrow(
      /Test operation failed/,
    );
  });
});
