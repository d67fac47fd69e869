import { describe, expect, test } from "vitest";
import type { ListTypes } from "../../../src/cluster/cluster-reader.js";
import { compareObjects } from "../../../src/diff/diff-objects.js";
import { displayPair } from "../../../src/diff/display-pair.js";
import type { KubeObject } from "../../../src/model/kube.js";
import { loadCorpusObject } from "./corpus-fixtures.js";
import { fluentdPair, type Loose, podSpecOf } from "./mutated-fixtures.js";

/** The pair a unified diff shows, derived from the one comparison's findings. */
function projectForDisplay(desired: KubeObject, live: KubeObject, listTypes: ListTypes | null) {
  const comparison = compareObjects(desired, live, listTypes);
  return displayPair(comparison, comparison.findings);
}

describe("displayPair shows the rendered fields and the same fields live", () => {
  test.each([
    ["gitops-engine/elasticsearch-config.json", "gitops-engine/elasticsearch-live.json"],
    ["gitops-engine/grafana-clusterrole-config.json", "gitops-engine/grafana-clusterrole-live.json"],
    ["gitops-engine/wordpress-config.json", "gitops-engine/wordpress-live.json"],
    ["gitops-engine/smd-deploy-config.yaml", "gitops-engine/smd-deploy-live.yaml"],
    ["kubectl-apply/rc.yaml", "kubectl-apply/rc-managedfields-lastapplied.yaml"],
  ])("in-sync pair %s vs %s projects to identical sides", (desiredFile, liveFile) => {
    const desired = loadCorpusObject(`live-vs-desired/${desiredFile}`);
    const live = loadCorpusObject(`live-vs-desired/${liveFile}`);
    const shown = projectForDisplay(desired, live, null);
    expect(shown.live).toEqual(shown.desired);
  });

  test("server-set live-only fields (clusterIP, ipFamilies, nodePort, status, managedFields) are not shown; a field someone added live is", () => {
    const desired = loadCorpusObject("live-vs-desired/gitops-engine/smd-service-config.yaml");
    const live = loadCorpusObject("live-vs-desired/gitops-engine/smd-service-live-with-type.yaml");
    const shown = projectForDisplay(desired, live, null) as { desired: Loose; live: Loose };
    expect(Object.keys(shown.live)).toEqual(["metadata", "spec"]);
    // spec.type NodePort was set by a later kubectl apply (field-added); the rendered side has no type.
    expect(Object.keys(shown.live.spec)).toEqual(["ports", "type"]);
    expect(shown.live.spec.type).toBe("NodePort");
    expect(Object.keys(shown.desired.spec)).toEqual(["ports"]);
    expect(shown.live.spec.ports[1]).toEqual({ name: "rtmp", port: 1935, targetPort: 1935 });
    expect(shown.desired.spec.ports[1]).toEqual({ name: "rtmp", port: 1935, targetPort: 1936 });
  });

  test("keyed entries are shown in rendered order, and a live-only entry is appended so the diff shows it", () => {
    const desired = loadCorpusObject("live-vs-desired/gitops-engine/smd-service-config-2-ports.yaml");
    const live = loadCorpusObject("live-vs-desired/gitops-engine/smd-service-live.yaml");
    (live as Loose).spec.ports.reverse();
    const shown = projectForDisplay(desired, live, null) as { live: Loose };
    expect(shown.live.spec.ports).toEqual([
      { name: "rtmpk", port: 1986, protocol: "UDP", targetPort: 1986 },
      { name: "rtmp", port: 1935, targetPort: 1935 },
      { name: "https", port: 443, protocol: "TCP", targetPort: 443 },
    ]);
  });

  test("a field missing live is left out of the live side", () => {
    const { desired, live } = fluentdPair();
    delete podSpecOf(live).volumes;
    const shown = projectForDisplay(desired, live, null) as { desired: Loose; live: Loose };
    expect(shown.live.spec.template.spec.volumes).toBeUndefined();
    expect(shown.desired.spec.template.spec.volumes).toHaveLength(3);
  });

  test("an equivalent quantity is shown in the rendered spelling, a different one in the live spelling", () => {
    const { desired, live } = fluentdPair();
    podSpecOf(desired).containers[0].resources = { limits: { cpu: "1000m", memory: "500Mi" } };
    podSpecOf(live).containers[0].resources.limits.memory = "0.5Gi";
    const shown = projectForDisplay(desired, live, null) as { live: Loose };
    expect(shown.live.spec.template.spec.containers[0].resources).toEqual({
      limits: { cpu: "1000m", memory: "0.5Gi" },
    });
  });

  test("the rendered side is normalized: Secret stringData appears as base64 data", () => {
    const desired = loadCorpusObject("live-vs-desired/gitops-engine/wordpress-config.json") as Loose;
    desired.stringData = { "smtp-password": "hunter2" };
    const live = loadCorpusObject("live-vs-desired/gitops-engine/wordpress-live.json");
    const shown = projectForDisplay(desired, live, null) as { desired: Loose; live: Loose };
    expect(shown.desired.stringData).toBeUndefined();
    expect(shown.desired.data["smtp-password"]).toBe("aHVudGVyMg==");
    expect(shown.live.data).toEqual({ "wordpress-password": "Skt2T0tjMk5PdQ==" });
  });
});
