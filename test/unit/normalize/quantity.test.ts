import { describe, expect, test } from "vitest";
import { diffObjects } from "../../../src/diff/diff-objects.js";
import { parseQuantity, quantitiesEqual } from "../../../src/normalize/quantity.js";
import { isQuantityPath } from "../../../src/normalize/quantity-paths.js";
import { brief } from "../diff/corpus-fixtures.js";
import { fluentdPair, podSpecOf } from "../diff/mutated-fixtures.js";

describe("quantities that spell the same amount are equal", () => {
  test.each([
    ["1", "1"],
    [1, "1"],
    ["1", "1000m"],
    [1, "1000m"],
    [0.25, "250m"],
    ["0.1", "100m"],
    ["1e3", "1k"],
    ["1E3", "1k"],
    ["1e-3", "1m"],
    ["1024Mi", "1Gi"],
    ["1Gi", "1073741824"],
    ["1.5Gi", "1536Mi"],
    ["1000M", "1G"],
    ["1000000000n", "1"],
    ["1000u", "1m"],
    ["0.5Gi", "512Mi"],
    ["1E", "1000P"],
    ["1Ei", "1024Pi"],
    ["+1", "1"],
    ["-0", "0"],
    ["0Gi", "0m"],
    ["1.", "1"],
    [".5", "500m"],
    ["001.500", "1500m"],
    [1e21, "1e21"],
    ["12e5", "1200k"],
  ])("%j = %j", (a, b) => {
    expect(quantitiesEqual(a, b)).toBe(true);
    expect(quantitiesEqual(b, a)).toBe(true);
  });
});

describe("quantities that differ are not equal", () => {
  test.each([
    ["1", "1001m"],
    ["1Gi", "1G"],
    ["1Mi", "1M"],
    ["1k", "1Ki"],
    ["-1", "1"],
    ["0.1", "0.10000000000000001"],
    ["100m", "0.1001"],
    ["1e1000000000", "1e999999999"],
  ])("%j ≠ %j", (a, b) => {
    expect(quantitiesEqual(a, b)).toBe(false);
  });
});

describe("strings that are not quantities", () => {
  test.each([
    "",
    "1K",
    "1KI",
    "1e",
    "e3",
    "1 Gi",
    " 1",
    "1.2.3",
    "abc",
    "1Gib",
    "--1",
    "1e3.5",
    "0x10",
    "Infinity",
    "1e3000000000",
  ])("%j is not a quantity, so it equals nothing but the same string", (text) => {
    expect(parseQuantity(text)).toBeNull();
    expect(quantitiesEqual(text, text)).toBe(false);
  });

  test("non-string, non-number values are not quantities", () => {
    expect(parseQuantity(true)).toBeNull();
    expect(parseQuantity(null)).toBeNull();
    expect(parseQuantity({ cpu: 1 })).toBeNull();
  });
});

describe("where quantities are compared numerically", () => {
  test.each([
    {
      kind: "Deployment",
      fields: ["spec", "template", "spec", "containers", "resources", "limits", "cpu"],
      quantity: true,
    },
    {
      kind: "Deployment",
      fields: ["spec", "template", "spec", "initContainers", "resources", "requests", "memory"],
      quantity: true,
    },
    {
      kind: "StatefulSet",
      fields: ["spec", "volumeClaimTemplates", "spec", "resources", "requests", "storage"],
      quantity: true,
    },
    { kind: "PersistentVolumeClaim", fields: ["spec", "resources", "requests", "storage"], quantity: true },
    {
      kind: "Deployment",
      fields: ["spec", "template", "spec", "volumes", "emptyDir", "sizeLimit"],
      quantity: true,
    },
    {
      kind: "Deployment",
      fields: ["spec", "template", "spec", "containers", "env", "valueFrom", "resourceFieldRef", "divisor"],
      quantity: true,
    },
    { kind: "Deployment", fields: ["spec", "template", "spec", "overhead", "cpu"], quantity: true },
    { kind: "RuntimeClass", fields: ["overhead", "podFixed", "memory"], quantity: true },
    { kind: "ResourceQuota", fields: ["spec", "hard", "requests.cpu"], quantity: true },
    { kind: "LimitRange", fields: ["spec", "limits", "defaultRequest", "memory"], quantity: true },
    { kind: "PersistentVolume", fields: ["spec", "capacity", "storage"], quantity: true },
    {
      kind: "AutoscalingRunnerSet",
      fields: ["spec", "template", "spec", "containers", "resources", "limits", "cpu"],
      quantity: true,
    },
    { kind: "Deployment", fields: ["spec", "replicas"], quantity: false },
    { kind: "Deployment", fields: ["metadata", "annotations", "cpu"], quantity: false },
    { kind: "ConfigMap", fields: ["data", "hard"], quantity: false },
    {
      kind: "Deployment",
      fields: ["spec", "template", "spec", "containers", "resources", "claims"],
      quantity: false,
    },
  ])("$kind $fields: $quantity", ({ kind, fields, quantity }) => {
    expect(isQuantityPath(kind, fields)).toBe(quantity);
  });

  test("a container limit rendered as 1000m and 0.5Gi matches live 1 and 512Mi", () => {
    const { desired, live } = fluentdPair();
    podSpecOf(desired).containers[0].resources = { limits: { cpu: "1000m", memory: "0.5Gi" } };
    podSpecOf(live).containers[0].resources.limits.memory = "512Mi";
    expect(diffObjects(desired, live, null)).toEqual([]);
  });

  test("a rendered limit that is a different amount is a change", () => {
    const { desired, live } = fluentdPair();
    podSpecOf(desired).containers[0].resources = { limits: { cpu: "1100m" } };
    expect(diffObjects(desired, live, null).map(brief)).toEqual([
      "value-changed spec.template.spec.containers[name=fluentd-gcp].resources.limits.cpu",
    ]);
  });

  test("an invalid quantity is compared as a string: equal to itself, different from a valid spelling", () => {
    const { desired, live } = fluentdPair();
    podSpecOf(desired).containers[0].resources = { limits: { cpu: "1 core" } };
    podSpecOf(live).containers[0].resources.limits.cpu = "1 core";
    expect(diffObjects(desired, live, null)).toEqual([]);
    podSpecOf(live).containers[0].resources.limits.cpu = "1";
    expect(diffObjects(desired, live, null).map(brief)).toEqual([
      "value-changed spec.template.spec.containers[name=fluentd-gcp].resources.limits.cpu",
    ]);
  });

  test("the same spellings outside a quantity field are different values", () => {
    const { desired, live } = fluentdPair();
    (desired.metadata.labels as Record<string, string>).version = "1000m";
    (live.metadata.labels as Record<string, string>).version = "1";
    expect(diffObjects(desired, live, null).map(brief)).toEqual(["value-changed metadata.labels.version"]);
  });
});
