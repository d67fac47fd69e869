import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../src/model/kube.js";
import { formatPath } from "../../../src/model/path.js";
import { findBrokenReferences } from "../../../src/rules/broken-references.js";
import { corpusObject } from "../explain/corpus.js";
import { INIT_CONTAINERS, incidentLive, incidentRepaired, VOLUMES } from "../explain/incident-arc.js";

function summary(live: KubeObject) {
  return findBrokenReferences(live).map((finding) => ({
    path: formatPath(finding.path),
    volume: finding.desired,
    container: finding.type === "broken-reference" ? finding.container : null,
  }));
}

describe("findBrokenReferences over real live objects", () => {
  it.each([
    ["a Pod whose mount names its service-account volume", "live-objects/kubernetes-fieldmanager/pod.yaml"],
    ["a Deployment without volume mounts", "live-vs-desired/gitops-engine/smd-deploy-live.yaml"],
    [
      "a StatefulSet mounting a volumeClaimTemplates volume",
      "live-vs-desired/gitops-engine/elasticsearch-live.json",
    ],
    ["a StatefulSet recorded by k9s", "live-objects/k9s/sts.json"],
    ["a DaemonSet recorded by k9s", "live-objects/k9s/ds.json"],
  ])("finds nothing in %s", (_name, file) => {
    expect(findBrokenReferences(corpusObject(file))).toEqual([]);
  });

  it("treats a mount of a claim template volume as broken once the StatefulSet has no such template", () => {
    const sts = corpusObject("live-vs-desired/gitops-engine/elasticsearch-live.json");
    delete (sts.spec as Record<string, unknown>).volumeClaimTemplates;
    expect(summary(sts)).toEqual([
      {
        path: "spec.template.spec.containers[name=elasticsearch].volumeMounts[mountPath=/usr/share/elasticsearch/data]",
        volume: "data",
        container: "elasticsearch",
      },
      {
        path: "spec.template.spec.initContainers[name=chown].volumeMounts[mountPath=/usr/share/elasticsearch/data]",
        volume: "data",
        container: "chown",
      },
    ]);
  });
});

describe("findBrokenReferences in the incident's AutoscalingRunnerSet", () => {
  it("reports every runner mount whose volume is missing from the custom resource's pod template", () => {
    const findings = findBrokenReferences(incidentLive());
    expect(findings).toEqual([
      {
        type: "broken-reference",
        code: "volume-mount-broken",
        path: [
          { kind: "field", name: "spec" },
          { kind: "field", name: "template" },
          { kind: "field", name: "spec" },
          { kind: "field", name: "containers" },
          { kind: "key", key: { name: "runner" }, index: -1, liveIndex: 0 },
          { kind: "field", name: "volumeMounts" },
          { kind: "key", key: { mountPath: "/home/runner/_work" }, index: -1, liveIndex: 0 },
        ],
        desired: "work",
        live: { name: "work", mountPath: "/home/runner/_work" },
        container: "runner",
      },
      {
        type: "broken-reference",
        code: "volume-mount-broken",
        path: [
          { kind: "field", name: "spec" },
          { kind: "field", name: "template" },
          { kind: "field", name: "spec" },
          { kind: "field", name: "containers" },
          { kind: "key", key: { name: "runner" }, index: -1, liveIndex: 0 },
          { kind: "field", name: "volumeMounts" },
          { kind: "key", key: { mountPath: "/usr/local/kubectl-bin" }, index: -1, liveIndex: 1 },
        ],
        desired: "kubectl-bin",
        live: { name: "kubectl-bin", mountPath: "/usr/local/kubectl-bin" },
        container: "runner",
      },
    ]);
  });

  it("finds nothing once the volumes are back", () => {
    expect(findBrokenReferences(incidentRepaired())).toEqual([]);
  });
});

describe("findBrokenReferences recognises pod specs by shape", () => {
  const cronJob: KubeObject = {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: "backup" },
    spec: {
      schedule: "0 3 * * *",
      jobTemplate: {
        spec: {
          template: {
            spec: {
              containers: [
                { name: "dump", image: "postgres:16", volumeMounts: [{ name: "out", mountPath: "/out" }] },
              ],
              restartPolicy: "OnFailure",
            },
          },
        },
      },
    },
  };

  it("checks the pod template of a CronJob's job template", () => {
    expect(summary(cronJob)).toEqual([
      {
        path: "spec.jobTemplate.spec.template.spec.containers[name=dump].volumeMounts[mountPath=/out]",
        volume: "out",
        container: "dump",
      },
    ]);
  });

  it("checks init and ephemeral containers and volumeDevices, keyed by devicePath", () => {
    const pod: KubeObject = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: {
        volumes: [{ name: "present", emptyDir: {} }],
        initContainers: [
          {
            name: "init",
            volumeMounts: [
              { name: "present", mountPath: "/a" },
              { name: "gone", mountPath: "/b" },
            ],
          },
        ],
        containers: [{ name: "main", volumeDevices: [{ name: "block", devicePath: "/dev/xvda" }] }],
        ephemeralContainers: [{ name: "debug", volumeMounts: [{ name: "scratch", mountPath: "/s" }] }],
      },
    };
    expect(summary(pod)).toEqual([
      {
        path: "spec.containers[name=main].volumeDevices[devicePath=/dev/xvda]",
        volume: "block",
        container: "main",
      },
      {
        path: "spec.initContainers[name=init].volumeMounts[mountPath=/b]",
        volume: "gone",
        container: "init",
      },
      {
        path: "spec.ephemeralContainers[name=debug].volumeMounts[mountPath=/s]",
        volume: "scratch",
        container: "debug",
      },
    ]);
  });

  it("finds pod specs anywhere in a custom resource, including inside lists", () => {
    const custom: KubeObject = {
      apiVersion: "example.com/v1",
      kind: "Workflow",
      metadata: { name: "w" },
      spec: {
        stages: [
          {
            name: "build",
            pod: { containers: [{ name: "c", volumeMounts: [{ name: "cache", mountPath: "/cache" }] }] },
          },
          { name: "test", pod: { containers: [{ name: "c" }], volumes: [] } },
        ],
      },
    };
    expect(summary(custom)).toEqual([
      {
        path: "spec.stages[0].pod.containers[name=c].volumeMounts[mountPath=/cache]",
        volume: "cache",
        container: "c",
      },
    ]);
  });

  it("does not look into metadata or status", () => {
    const live = incidentLive();
    live.status = {
      template: { spec: { containers: [{ name: "x", volumeMounts: [{ name: "y", mountPath: "/y" }] }] } },
    };
    (live.spec as { template: { spec: Record<string, unknown> } }).template.spec.volumes =
      structuredClone(VOLUMES);
    (live.spec as { template: { spec: Record<string, unknown> } }).template.spec.initContainers =
      structuredClone(INIT_CONTAINERS);
    expect(findBrokenReferences(live)).toEqual([]);
  });
});
