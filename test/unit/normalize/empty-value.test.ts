import { describe, expect, test } from "vitest";
import { diffObjects } from "../../../src/diff/diff-objects.js";
import { isEmptyValue } from "../../../src/normalize/empty-value.js";
import { brief, loadCorpusObject } from "../diff/corpus-fixtures.js";
import { fluentdPair, type Loose, podSpecOf } from "../diff/mutated-fixtures.js";

describe("isEmptyValue", () => {
  test.each([
    { value: null, empty: true },
    { value: undefined, empty: true },
    { value: "", empty: true },
    { value: [], empty: true },
    { value: {}, empty: true },
    { value: { limits: {}, requests: null }, empty: true },
    { value: { a: { b: [] } }, empty: true },
    { value: 0, empty: false },
    { value: false, empty: false },
    { value: " ", empty: false },
    { value: [null], empty: false },
    { value: [{}], empty: false },
    { value: { a: 0 }, empty: false },
  ])("$value → $empty", ({ value, empty }) => {
    expect(isEmptyValue(value)).toBe(empty);
  });
});

describe("a rendered empty value matches an absent or null live field", () => {
  test.each([
    { name: "securityContext: {}", field: "securityContext", value: {} },
    { name: "resources with empty limits", field: "resources", value: { limits: {}, requests: null } },
    { name: "annotations: null (a YAML key with no value)", field: "annotations", value: null },
    { name: 'hostname: ""', field: "hostname", value: "" },
    { name: "imagePullSecrets: []", field: "imagePullSecrets", value: [] },
  ])("rendered $name, absent live", ({ field, value }) => {
    const { desired, live } = fluentdPair();
    podSpecOf(desired)[field] = value;
    delete podSpecOf(live)[field];
    expect(diffObjects(desired, live, null)).toEqual([]);
  });

  test("rendered rules: [] matches live rules: null (grafana ClusterRole)", () => {
    const desired = loadCorpusObject("live-vs-desired/gitops-engine/grafana-clusterrole-config.json");
    const live = loadCorpusObject("live-vs-desired/gitops-engine/grafana-clusterrole-live.json");
    expect((desired as Loose).rules).toEqual([]);
    expect((live as Loose).rules).toBeNull();
    expect(diffObjects(desired, live, null)).toEqual([]);
  });

  test('rendered Secret data "" matches live null (wordpress)', () => {
    const desired = loadCorpusObject("live-vs-desired/gitops-engine/wordpress-config.json");
    const live = loadCorpusObject("live-vs-desired/gitops-engine/wordpress-live.json");
    expect(diffObjects(desired, live, null)).toEqual([]);
  });
});

describe("empty is not a wildcard", () => {
  test("rendered rules: [] against live rules with entries is a change (the role gained permissions)", () => {
    const desired = loadCorpusObject("live-vs-desired/gitops-engine/grafana-clusterrole-config.json");
    const live = loadCorpusObject("live-vs-desired/gitops-engine/grafana-clusterrole-live.json") as Loose;
    live.rules = [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }];
    expect(diffObjects(desired, live, null).map(brief)).toEqual(["value-changed rules"]);
  });

  test("rendered env: [] against live env vars reports each live var as extra", () => {
    const { desired, live } = fluentdPair();
    podSpecOf(desired).containers[0].env = [];
    expect(diffObjects(desired, live, null).map(brief)).toEqual([
      "entry-extra spec.template.spec.containers[name=fluentd-gcp].env[name=NODE_NAME]",
      "entry-extra spec.template.spec.containers[name=fluentd-gcp].env[name=STACKDRIVER_METADATA_AGENT_URL]",
    ]);
  });

  test('rendered "" against a live non-empty string is a change', () => {
    const desired = loadCorpusObject("live-vs-desired/gitops-engine/wordpress-config.json");
    const live = loadCorpusObject("live-vs-desired/gitops-engine/wordpress-live.json") as Loose;
    live.data["smtp-password"] = "cGFzcw==";
    expect(diffObjects(desired, live, null).map(brief)).toEqual(["value-changed data.smtp-password"]);
  });
});
