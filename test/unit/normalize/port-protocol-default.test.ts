import { describe, expect, test } from "vitest";
import { diffObjects } from "../../../src/diff/diff-objects.js";
import { brief, loadCorpusObject } from "../diff/corpus-fixtures.js";
import type { Loose } from "../diff/mutated-fixtures.js";

const DEPLOY_CONFIG = "live-vs-desired/gitops-engine/smd-deploy2-config.yaml";
const DEPLOY_LIVE = "live-vs-desired/gitops-engine/smd-deploy2-predicted-live.json";

describe("a port without protocol is the TCP port", () => {
  test("container port rendered without protocol matches the live port with protocol TCP", () => {
    const desired = loadCorpusObject(DEPLOY_CONFIG) as Loose;
    delete desired.spec.template.spec.containers[0].ports[1].protocol;
    expect(diffObjects(desired, loadCorpusObject(DEPLOY_LIVE), null)).toEqual([]);
  });

  test("the same container port over UDP is a different entry", () => {
    const desired = loadCorpusObject(DEPLOY_CONFIG) as Loose;
    desired.spec.template.spec.containers[0].ports[1].protocol = "UDP";
    expect(diffObjects(desired, loadCorpusObject(DEPLOY_LIVE), null).map(brief)).toEqual([
      "entry-missing spec.template.spec.containers[name=nginx].ports[containerPort=80,protocol=UDP]",
      "entry-extra spec.template.spec.containers[name=nginx].ports[containerPort=80,protocol=TCP]",
    ]);
  });

  test("Service ports are keyed by port and protocol, TCP when absent", () => {
    const desired = loadCorpusObject(
      "live-vs-desired/gitops-engine/smd-service-config-2-ports.yaml",
    ) as Loose;
    const live = loadCorpusObject("live-vs-desired/gitops-engine/smd-service-live.yaml") as Loose;
    live.spec.ports.splice(2, 1);
    expect(desired.spec.ports[1].protocol).toBeUndefined();
    expect(diffObjects(desired, live, null)).toEqual([]);
    live.spec.ports[1].protocol = "SCTP";
    expect(diffObjects(desired, live, null).map(brief)).toEqual([
      "entry-missing spec.ports[port=1935,protocol=TCP]",
      "entry-extra spec.ports[port=1935,protocol=SCTP]",
    ]);
  });
});
