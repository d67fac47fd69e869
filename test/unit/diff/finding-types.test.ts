import { describe, expect, test } from "vitest";
import { diffObjects } from "../../../src/diff/diff-objects.js";
import { brief, loadCorpusObject } from "./corpus-fixtures.js";
import { FLUENTD_MUTATIONS, fluentdPair, podSpecOf } from "./mutated-fixtures.js";

describe("findings on a mutated copy of a real DaemonSet", () => {
  test("the unmutated pair is in sync", () => {
    const { desired, live } = fluentdPair();
    expect(diffObjects(desired, live, null)).toEqual([]);
  });

  test.each(FLUENTD_MUTATIONS)("$name", ({ mutate, expected }) => {
    const pair = fluentdPair();
    mutate(pair);
    expect(diffObjects(pair.desired, pair.live, null).map(brief)).toEqual(expected);
  });
});

describe("what a finding carries", () => {
  test("an extra entry names its key, index -1 and its live position, and carries the live entry", () => {
    const { desired, live } = fluentdPair();
    const sidecar = { name: "istio-proxy", image: "docker.io/istio/proxyv2:1.22.0" };
    podSpecOf(live).containers.unshift(sidecar);
    const [finding] = diffObjects(desired, live, null);
    expect(finding).toEqual({
      type: "extra",
      code: "entry-extra",
      path: [
        { kind: "field", name: "spec" },
        { kind: "field", name: "template" },
        { kind: "field", name: "spec" },
        { kind: "field", name: "containers" },
        { kind: "key", key: { name: "istio-proxy" }, index: -1, liveIndex: 0 },
      ],
      desired: undefined,
      live: sidecar,
    });
  });

  test("a matched entry's path segment has both its rendered and its live position", () => {
    const { desired, live } = fluentdPair();
    podSpecOf(live).containers.reverse();
    podSpecOf(live).containers[1].image = "other:1";
    const [finding] = diffObjects(desired, live, null);
    expect(finding?.path[4]).toEqual({ kind: "key", key: { name: "fluentd-gcp" }, index: 0, liveIndex: 1 });
    expect(finding).toMatchObject({
      code: "value-changed",
      desired: "gcr.io/stackdriver-agents/stackdriver-logging-agent:0.6-1.6.0-1",
      live: "other:1",
    });
  });

  test("a missing entry carries the rendered entry and live position -1", () => {
    const { desired, live } = fluentdPair();
    const exporter = podSpecOf(desired).containers[1];
    podSpecOf(live).containers.splice(1, 1);
    const [finding] = diffObjects(desired, live, null);
    expect(finding).toMatchObject({
      type: "missing",
      code: "entry-missing",
      desired: exporter,
      live: undefined,
    });
    expect(finding?.path[4]).toEqual({
      kind: "key",
      key: { name: "prometheus-to-sd-exporter" },
      index: 1,
      liveIndex: -1,
    });
  });

  test("a missing whole list carries the rendered list", () => {
    const { desired, live } = fluentdPair();
    delete podSpecOf(live).volumes;
    expect(diffObjects(desired, live, null)).toEqual([
      expect.objectContaining({ code: "list-missing", desired: podSpecOf(desired).volumes, live: undefined }),
    ]);
  });

  test("an atomic list change carries both whole lists", () => {
    const { desired, live } = fluentdPair();
    podSpecOf(live).tolerations.pop();
    expect(diffObjects(desired, live, null)).toEqual([
      expect.objectContaining({
        code: "value-changed",
        desired: podSpecOf(desired).tolerations,
        live: [{ effect: "NoExecute", operator: "Exists" }],
      }),
    ]);
  });
});

describe("init containers of a built-in workload", () => {
  test("a StatefulSet whose init containers were removed live has one list-missing; one changed init container is a keyed change", () => {
    const desired = loadCorpusObject("live-vs-desired/gitops-engine/elasticsearch-config.json");
    const live = loadCorpusObject("live-vs-desired/gitops-engine/elasticsearch-live.json");
    const initContainers = podSpecOf(live).initContainers;
    delete podSpecOf(live).initContainers;
    expect(diffObjects(desired, live, null).map(brief)).toEqual([
      "list-missing spec.template.spec.initContainers",
    ]);
    podSpecOf(live).initContainers = initContainers;
    initContainers[0].securityContext.privileged = false;
    expect(diffObjects(desired, live, null).map(brief)).toEqual([
      "value-changed spec.template.spec.initContainers[name=sysctl].securityContext.privileged",
    ]);
  });
});
