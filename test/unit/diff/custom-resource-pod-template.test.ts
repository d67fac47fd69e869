import { describe, expect, test } from "vitest";
import type { ListTypes } from "../../../src/cluster/cluster-reader.js";
import { diffObjects } from "../../../src/diff/diff-objects.js";
import type { KubeObject } from "../../../src/model/kube.js";
import { brief, loadCorpusObject, loadFixture } from "./corpus-fixtures.js";
import { listTypesFromCrd } from "./crd-list-types.js";
import type { Loose } from "./mutated-fixtures.js";

const arcListTypes = listTypesFromCrd(
  loadCorpusObject("arc/crds/actions.github.com_autoscalingrunnersets.yaml"),
  "v1alpha1",
);

function arcPair(): { desired: KubeObject; live: KubeObject } {
  return {
    desired: loadFixture("arc-autoscalingrunnerset-rendered.yaml"),
    live: loadFixture("arc-autoscalingrunnerset-live.yaml"),
  };
}

function runnerPodSpec(object: KubeObject): Loose {
  return (object as Loose).spec.template.spec;
}

const withAndWithoutCrd: Array<{ source: string; listTypes: ListTypes | null }> = [
  { source: "with the CRD's list types", listTypes: arcListTypes },
  { source: "without list types (PodSpec table fallback)", listTypes: null },
];

describe.each(withAndWithoutCrd)("AutoscalingRunnerSet pod template $source", ({ listTypes }) => {
  test("the freshly installed runner set is in sync (Helm's own labels and annotations, finalizer, status are live-only)", () => {
    const { desired, live } = arcPair();
    expect(diffObjects(desired, live, listTypes)).toEqual([]);
  });

  test("the incident: live lost initContainers, volumes and serviceAccountName — exactly three findings", () => {
    const { desired, live } = arcPair();
    const spec = runnerPodSpec(live);
    delete spec.initContainers;
    delete spec.volumes;
    delete spec.serviceAccountName;
    expect(diffObjects(desired, live, listTypes)).toEqual([
      expect.objectContaining({ code: "field-missing", desired: "arc-runners-gha-rs-no-permission" }),
      expect.objectContaining({ code: "list-missing", desired: runnerPodSpec(desired).initContainers }),
      expect.objectContaining({ code: "list-missing", desired: runnerPodSpec(desired).volumes }),
    ]);
    expect(diffObjects(desired, live, listTypes).map(brief)).toEqual([
      "field-missing spec.template.spec.serviceAccountName",
      "list-missing spec.template.spec.initContainers",
      "list-missing spec.template.spec.volumes",
    ]);
  });

  test("init containers and volumes in another live order are in sync", () => {
    const { desired, live } = arcPair();
    runnerPodSpec(live).initContainers.reverse();
    runnerPodSpec(live).volumes.reverse();
    runnerPodSpec(live).initContainers[1].volumeMounts.reverse();
    expect(diffObjects(desired, live, listTypes)).toEqual([]);
  });

  test("a dropped init container, a dropped runner volume mount and an added sidecar are keyed entries", () => {
    const { desired, live } = arcPair();
    const spec = runnerPodSpec(live);
    spec.initContainers = spec.initContainers.filter((c: Loose) => c.name !== "kube-init");
    spec.containers[0].volumeMounts.pop();
    spec.containers.push({ name: "log-shipper", image: "fluent/fluent-bit:3.0" });
    expect(diffObjects(desired, live, listTypes).map(brief)).toEqual([
      "entry-missing spec.template.spec.initContainers[name=kube-init]",
      "entry-missing spec.template.spec.containers[name=runner].volumeMounts[mountPath=/var/run]",
      "entry-extra spec.template.spec.containers[name=log-shipper]",
    ]);
  });

  test("a changed dind argument is one change of the whole atomic args list", () => {
    const { desired, live } = arcPair();
    runnerPodSpec(live).initContainers[1].args[2] = "--group=999";
    expect(diffObjects(desired, live, listTypes).map(brief)).toEqual([
      "value-changed spec.template.spec.initContainers[name=dind].args",
    ]);
  });
});

describe("CRD list types take precedence over the PodSpec table", () => {
  test("a CRD that declares containers atomic makes an added container a change of the whole list, not an extra entry", () => {
    const { desired, live } = arcPair();
    runnerPodSpec(live).containers.push({ name: "log-shipper", image: "fluent/fluent-bit:3.0" });
    const atomicContainers: ListTypes = new Map([
      ["spec.template.spec.containers", { type: "atomic", keys: [] }],
    ]);
    expect(diffObjects(desired, live, atomicContainers).map(brief)).toEqual([
      "value-changed spec.template.spec.containers",
    ]);
    expect(diffObjects(desired, live, arcListTypes).map(brief)).toEqual([
      "entry-extra spec.template.spec.containers[name=log-shipper]",
    ]);
  });

  test("the ARC CRD's facts are keyed by schema path: containers by name, ports by containerPort and protocol", () => {
    expect(arcListTypes.get("spec.template.spec.containers")).toEqual({ type: "map", keys: ["name"] });
    expect(arcListTypes.get("spec.template.spec.containers.ports")).toEqual({
      type: "map",
      keys: ["containerPort", "protocol"],
    });
    expect(arcListTypes.get("spec.template.spec.tolerations")).toEqual({ type: "atomic", keys: [] });
  });

  test("a map list type without keys is refused, not guessed", () => {
    const { desired, live } = arcPair();
    const broken: ListTypes = new Map([["spec.template.spec.volumes", { type: "map", keys: [] }]]);
    expect(() => diffObjects(desired, live, broken)).toThrow(/spec\.template\.spec\.volumes.*without keys/);
  });
});
