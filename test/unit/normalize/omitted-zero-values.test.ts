import { describe, expect, it } from "vitest";
import { diffObjects } from "../../../src/diff/diff-objects.js";
import type { KubeObject } from "../../../src/model/kube.js";
import { isOmittedZeroValue } from "../../../src/normalize/omitted-zero-values.js";

describe("zero values the API server never returns (non-pointer omitempty fields)", () => {
  it.each<[string, string, string[], unknown, boolean]>([
    [
      "hostNetwork: false in a pod template",
      "Deployment",
      ["spec", "template", "spec", "hostNetwork"],
      false,
      true,
    ],
    [
      "readOnly: false on a volumeMount",
      "StatefulSet",
      ["spec", "template", "spec", "containers", "volumeMounts", "readOnly"],
      false,
      true,
    ],
    [
      "probe initialDelaySeconds: 0",
      "Deployment",
      ["spec", "template", "spec", "containers", "livenessProbe", "initialDelaySeconds"],
      0,
      true,
    ],
    ["Deployment minReadySeconds: 0", "Deployment", ["spec", "minReadySeconds"], 0, true],
    ["Service publishNotReadyAddresses: false", "Service", ["spec", "publishNotReadyAddresses"], false, true],
    [
      "a pointer field keeps an explicit false: privileged",
      "Deployment",
      ["spec", "template", "spec", "containers", "securityContext", "privileged"],
      false,
      false,
    ],
    [
      "a pointer field keeps an explicit false: automountServiceAccountToken",
      "Deployment",
      ["spec", "template", "spec", "automountServiceAccountToken"],
      false,
      false,
    ],
    ["a CronJob's suspend: false is kept (pointer)", "CronJob", ["spec", "suspend"], false, false],
    [
      "a non-zero hostNetwork is never omitted",
      "Deployment",
      ["spec", "template", "spec", "hostNetwork"],
      true,
      false,
    ],
    ["minReadySeconds of a custom resource is not assumed", "Widget", ["spec", "minReadySeconds"], 0, false],
  ])("%s", (_name, kind, fields, value, omitted) => {
    expect(isOmittedZeroValue(kind, fields, value)).toBe(omitted);
  });

  it("a rendered hostNetwork: false is in sync with a live object that has none, hostNetwork: true is not", () => {
    const rendered = (hostNetwork: boolean): KubeObject => ({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "db" },
      spec: { template: { spec: { hostNetwork, containers: [{ name: "db", image: "postgres:16" }] } } },
    });
    const live: KubeObject = {
      ...rendered(false),
      spec: { template: { spec: { containers: [{ name: "db", image: "postgres:16" }] } } },
    };
    expect(diffObjects(rendered(false), live, null)).toEqual([]);
    expect(diffObjects(rendered(true), live, null).map((f) => f.code)).toEqual(["field-missing"]);
  });
});

describe("HPA metric targets are quantities the server canonicalizes", () => {
  const hpa = (averageValue: string | number): KubeObject => ({
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "web" },
    spec: {
      metrics: [
        { type: "Pods", pods: { metric: { name: "rps" }, target: { type: "AverageValue", averageValue } } },
      ],
    },
  });
  it.each<[string | number, string, number]>([
    [0.5, "500m", 0],
    ["1024Mi", "1Gi", 0],
    ["1000m", "1", 0],
    ["2", "1", 1],
  ])("rendered %s vs live %s gives %i findings", (rendered, live, count) => {
    expect(diffObjects(hpa(rendered), hpa(live), null)).toHaveLength(count);
  });
});
