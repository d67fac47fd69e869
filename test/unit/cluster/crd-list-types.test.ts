import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { listTypesFromCrd } from "../../../src/cluster/crd-list-types.js";
import type { KubeObject } from "../../../src/model/kube.js";
import { corpusPath } from "../../helpers/corpus.js";

const load = (file: string) => parse(readFileSync(corpusPath(file), "utf8")) as KubeObject;

describe("listTypesFromCrd on the ARC AutoscalingRunnerSet CRD (gha-runner-scale-set 0.14.2)", () => {
  const types = listTypesFromCrd(load("arc/crds/actions.github.com_autoscalingrunnersets.yaml"), "v1alpha1");

  test.each([
    ["spec.template.spec.containers", "map", ["name"]],
    ["spec.template.spec.initContainers", "map", ["name"]],
    ["spec.template.spec.volumes", "map", ["name"]],
    ["spec.template.spec.containers.env", "map", ["name"]],
    ["spec.template.spec.containers.ports", "map", ["containerPort", "protocol"]],
    ["spec.template.spec.containers.volumeMounts", "map", ["mountPath"]],
    ["spec.template.spec.topologySpreadConstraints", "map", ["topologyKey", "whenUnsatisfiable"]],
    ["spec.template.spec.tolerations", "atomic", []],
    ["spec.template.spec.containers.args", "atomic", []],
    ["spec.template.spec.containers.restartPolicyRules.exitCodes.values", "set", []],
    ["spec.listenerTemplate.spec.containers", "map", ["name"]],
  ])("%s is %s keyed by %j", (field, type, keys) => {
    expect(types?.get(field)).toEqual({ type, keys });
  });

  test("all 294 markers of the schema are found; lists without a marker are absent", () => {
    expect(types?.size).toBe(294);
    expect(types?.has("spec.listenerTemplate.spec.containers.resources.claims")).toBe(true);
    // This CRD marks the listener's container claims but not the runner template's.
    expect(types?.has("spec.template.spec.containers.resources.claims")).toBe(false);
    expect(types?.has("spec.runnerScaleSetLabels")).toBe(false);
    expect(types?.has("spec")).toBe(false);
  });

  test("values of free-form maps are not followed (their keys are data, not fields)", () => {
    expect([...(types?.keys() ?? [])].filter((key) => key.startsWith("spec.listenerMetrics"))).toEqual([]);
  });

  test("a version the CRD does not define has no schema: null", () => {
    expect(listTypesFromCrd(load("arc/crds/actions.github.com_autoscalingrunnersets.yaml"), "v1")).toBeNull();
  });
});

describe("listTypesFromCrd on the Flux HelmRelease CRD", () => {
  test("v2 declares no list types: an empty map, so every list falls back", () => {
    const types = listTypesFromCrd(load("flux/crds/helm.toolkit.fluxcd.io_helmreleases.yaml"), "v2");
    expect(types).toEqual(new Map());
  });

  test("each version of a multi-version CRD (v1.4.5: v2 and v2beta2) has its own schema", () => {
    const crd = load("flux/crds/v1.4.5/helm.toolkit.fluxcd.io_helmreleases.yaml");
    expect(listTypesFromCrd(crd, "v2")).toEqual(new Map());
    expect(listTypesFromCrd(crd, "v2beta2")).toEqual(new Map());
    expect(listTypesFromCrd(crd, "v2beta1")).toBeNull();
  });
});

describe("listTypesFromCrd path rules", () => {
  test("list items add no segment; nested lists of lists keep the field path", () => {
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "widgets.example.com" },
      spec: {
        versions: [
          {
            name: "v1",
            schema: {
              openAPIV3Schema: {
                type: "object",
                properties: {
                  spec: {
                    type: "object",
                    properties: {
                      rules: {
                        type: "array",
                        "x-kubernetes-list-type": "map",
                        "x-kubernetes-list-map-keys": ["host", "port"],
                        items: {
                          type: "object",
                          properties: {
                            paths: {
                              type: "array",
                              "x-kubernetes-list-type": "set",
                              items: { type: "string" },
                            },
                          },
                        },
                      },
                      plain: { type: "array", items: { type: "string" } },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    } as KubeObject;
    expect(listTypesFromCrd(crd, "v1")).toEqual(
      new Map([
        ["spec.rules", { type: "map", keys: ["host", "port"] }],
        ["spec.rules.paths", { type: "set", keys: [] }],
      ]),
    );
  });
});
