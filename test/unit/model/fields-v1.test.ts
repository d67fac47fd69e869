import { describe, expect, it } from "vitest";
import { claimedPaths, parseFieldsV1Key } from "../../../src/model/fields-v1.js";
import { recordedObject } from "../diff/added-fields-fixtures.js";

describe("fieldsV1 keys", () => {
  it.each([
    ["f:nodeSelector", { kind: "field", name: "nodeSelector" }],
    ["f:kubernetes.io/hostname", { kind: "field", name: "kubernetes.io/hostname" }],
    [
      'k:{"containerPort":8080,"protocol":"TCP"}',
      { kind: "key", key: { containerPort: 8080, protocol: "TCP" } },
    ],
    ['v:"kubernetes.io/pvc-protection"', { kind: "value", value: "kubernetes.io/pvc-protection" }],
    ["i:2", { kind: "index", index: 2 }],
    [".", "self"],
    ["k:not json", null],
    ["x:name", null],
  ])("%s", (key, step) => {
    expect(parseFieldsV1Key(key)).toEqual(step);
  });
});

describe("the paths a managedFields entry claims", () => {
  it("a kubectl patch recorded from the API server claims its leaves, not the maps it passed through", () => {
    const live = recordedObject("privileged");
    const patch = live.metadata.managedFields?.find((entry) => entry.manager === "kubectl-patch");
    expect(claimedPaths(patch?.fieldsV1 ?? {})).toEqual([
      {
        steps: [
          { kind: "field", name: "spec" },
          { kind: "field", name: "template" },
          { kind: "field", name: "spec" },
          { kind: "field", name: "containers" },
          { kind: "key", key: { name: "webapp" } },
          { kind: "field", name: "securityContext" },
          { kind: "field", name: "privileged" },
        ],
        whole: true,
      },
    ]);
  });

  it("`.` claims the node itself (its existence); `{}` claims the whole value; set members are `v:`", () => {
    const claims = claimedPaths({
      "f:metadata": {
        "f:annotations": { ".": {}, "f:team": {} },
        "f:finalizers": { ".": {}, 'v:"example.com/cleanup"': {} },
      },
      "f:spec": { "f:selector": {} },
    });
    expect(
      claims.map(({ steps, whole }) => [steps.map((step) => JSON.stringify(step)).join(" "), whole]),
    ).toEqual([
      ['{"kind":"field","name":"metadata"} {"kind":"field","name":"annotations"}', false],
      [
        '{"kind":"field","name":"metadata"} {"kind":"field","name":"annotations"} {"kind":"field","name":"team"}',
        true,
      ],
      ['{"kind":"field","name":"metadata"} {"kind":"field","name":"finalizers"}', false],
      [
        '{"kind":"field","name":"metadata"} {"kind":"field","name":"finalizers"} {"kind":"value","value":"example.com/cleanup"}',
        true,
      ],
      ['{"kind":"field","name":"spec"} {"kind":"field","name":"selector"}', true],
    ]);
  });

  it("a real Helm 3 install (an Update) claims the server's defaults too, as leaves", () => {
    const live = recordedObject("node-selector");
    const helm = live.metadata.managedFields?.find((entry) => entry.manager === "helm");
    const leaves = claimedPaths(helm?.fieldsV1 ?? {})
      .filter((claim) => claim.whole)
      .map((claim) => claim.steps.map((step) => (step.kind === "field" ? step.name : "*")).join("."));
    expect(leaves).toEqual(
      expect.arrayContaining([
        "spec.template.spec.terminationGracePeriodSeconds",
        "spec.template.spec.dnsPolicy",
        "spec.progressDeadlineSeconds",
        "spec.template.spec.containers.*.terminationMessagePath",
      ]),
    );
  });
});
