import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { diffObjects } from "../../../src/diff/diff-objects.js";
import { brief, loadCorpusObject } from "../diff/corpus-fixtures.js";
import { fluentdPair, type Loose, podSpecOf } from "../diff/mutated-fixtures.js";

describe("int-or-string and other scalar types are compared as the API sees them", () => {
  test('Service targetPort "1935" (a port name) is not the number 1935', () => {
    const desired = loadCorpusObject(
      "live-vs-desired/gitops-engine/smd-service-config-2-ports.yaml",
    ) as Loose;
    const live = loadCorpusObject("live-vs-desired/gitops-engine/smd-service-live.yaml");
    desired.spec.ports[1].targetPort = "1935";
    expect(diffObjects(desired, live, null)).toEqual([
      expect.objectContaining({ code: "value-changed", desired: "1935", live: 1935 }),
      expect.objectContaining({ code: "entry-extra" }),
    ]);
  });

  test('maxSurge "25%" and 25 differ', () => {
    const desired = loadCorpusObject("live-vs-desired/gitops-engine/smd-deploy-config.yaml") as Loose;
    const live = loadCorpusObject("live-vs-desired/gitops-engine/smd-deploy-live.yaml");
    desired.spec.strategy = { rollingUpdate: { maxSurge: 25 } };
    expect(diffObjects(desired, live, null).map(brief)).toEqual([
      "value-changed spec.strategy.rollingUpdate.maxSurge",
    ]);
  });

  test("a number written 60.0 in the rendered YAML equals live 60", () => {
    const { desired, live } = fluentdPair();
    podSpecOf(desired).terminationGracePeriodSeconds = parse(
      "terminationGracePeriodSeconds: 60.0",
    ).terminationGracePeriodSeconds;
    expect(podSpecOf(live).terminationGracePeriodSeconds).toBe(60);
    expect(diffObjects(desired, live, null)).toEqual([]);
  });

  test('a label value "true" is not the boolean true', () => {
    const { desired, live } = fluentdPair();
    (live as Loose).metadata.labels["kubernetes.io/cluster-service"] = true;
    expect(diffObjects(desired, live, null).map(brief)).toEqual([
      'value-changed metadata.labels["kubernetes.io/cluster-service"]',
    ]);
  });

  test("a scalar rendered where live has a map is a change", () => {
    const { desired, live } = fluentdPair();
    podSpecOf(desired).nodeSelector = "fluentd";
    expect(diffObjects(desired, live, null).map(brief)).toEqual([
      "value-changed spec.template.spec.nodeSelector",
    ]);
  });
});
