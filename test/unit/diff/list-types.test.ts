import { describe, expect, test } from "vitest";
import { diffObjects } from "../../../src/diff/diff-objects.js";
import { brief, loadCorpusObject } from "./corpus-fixtures.js";
import { fluentdPair, type Loose, podSpecOf } from "./mutated-fixtures.js";

describe("built-in list types outside the container lists", () => {
  test("finalizers are a set: order and live-only members are not drift, a lost member is", () => {
    const { desired, live } = fluentdPair();
    (desired as Loose).metadata.finalizers = ["example.com/a", "example.com/b"];
    (live as Loose).metadata.finalizers = ["example.com/c", "example.com/b", "example.com/a"];
    expect(diffObjects(desired, live, null)).toEqual([]);
    (live as Loose).metadata.finalizers = ["example.com/b"];
    expect(diffObjects(desired, live, null)).toEqual([
      expect.objectContaining({ code: "entry-missing", desired: "example.com/a" }),
    ]);
    expect(diffObjects(desired, live, null).map(brief)).toEqual(["entry-missing metadata.finalizers[0]"]);
  });

  test("ownerReferences are keyed by uid", () => {
    const { desired, live } = fluentdPair();
    const owner = {
      apiVersion: "v1",
      kind: "ConfigMap",
      name: "owner",
      uid: "5b5c0d7e-0d1a-4c3b-9b1e-1f0e2d3c4b5a",
    };
    (desired as Loose).metadata.ownerReferences = [owner];
    (live as Loose).metadata.ownerReferences = [{ ...owner, name: "renamed" }];
    expect(diffObjects(desired, live, null).map(brief)).toEqual([
      "value-changed metadata.ownerReferences[uid=5b5c0d7e-0d1a-4c3b-9b1e-1f0e2d3c4b5a].name",
    ]);
  });

  test("topologySpreadConstraints are keyed by topologyKey and whenUnsatisfiable", () => {
    const { desired, live } = fluentdPair();
    const zone = {
      maxSkew: 1,
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: "DoNotSchedule",
    };
    const host = { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway" };
    podSpecOf(desired).topologySpreadConstraints = [zone, host];
    podSpecOf(live).topologySpreadConstraints = [{ ...host, maxSkew: 2 }, zone];
    expect(diffObjects(desired, live, null).map(brief)).toEqual([
      "value-changed spec.template.spec.topologySpreadConstraints[topologyKey=kubernetes.io/hostname,whenUnsatisfiable=ScheduleAnyway].maxSkew",
    ]);
  });

  test("hostAliases are keyed by ip", () => {
    const { desired, live } = fluentdPair();
    podSpecOf(desired).hostAliases = [{ ip: "10.0.0.1", hostnames: ["a"] }];
    podSpecOf(live).hostAliases = [{ ip: "10.0.0.2", hostnames: ["a"] }];
    expect(diffObjects(desired, live, null).map(brief)).toEqual([
      "entry-missing spec.template.spec.hostAliases[ip=10.0.0.1]",
      "entry-extra spec.template.spec.hostAliases[ip=10.0.0.2]",
    ]);
  });

  test("webhooks of a webhook configuration are keyed by name", () => {
    const desired = loadCorpusObject(
      "live-vs-desired/gitops-engine/mutatingwebhookconfig-config.json",
    ) as Loose;
    const live = loadCorpusObject("live-vs-desired/gitops-engine/mutatingwebhookconfig-live.json") as Loose;
    live.webhooks.unshift({ ...live.webhooks[0], name: "injected.example.com" });
    expect(diffObjects(desired, live, null).map(brief)).toEqual([
      "entry-extra webhooks[name=injected.example.com]",
    ]);
  });

  test("RBAC rules are atomic: an extra rule live is a change of the whole list", () => {
    const desired = loadCorpusObject(
      "live-vs-desired/gitops-engine/grafana-clusterrole-config.json",
    ) as Loose;
    const role = loadCorpusObject("live-vs-desired/gitops-engine/grafana-clusterrole-live.json") as Loose;
    desired.rules = [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }];
    role.rules = [...desired.rules, { apiGroups: [""], resources: ["secrets"], verbs: ["get"] }];
    expect(diffObjects(desired, role, null).map(brief)).toEqual(["value-changed rules"]);
  });

  test("the same list name on an unrelated kind is atomic: Endpoints subset ports are compared in order", () => {
    const desired = loadCorpusObject("live-vs-desired/gitops-engine/endpoints-config.json") as Loose;
    const live = loadCorpusObject("live-vs-desired/gitops-engine/endpoints-live.json") as Loose;
    live.subsets[0].ports.reverse();
    expect(diffObjects(desired, live, null).map(brief)).toEqual(["value-changed subsets"]);
  });

  test("a CronJob's pod spec is found under jobTemplate: containers keyed by name", () => {
    const { desired, live } = fluentdPair();
    const asCronJob = (daemonSet: Loose) => ({
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: daemonSet.metadata,
      spec: { schedule: "0 * * * *", jobTemplate: { spec: { template: daemonSet.spec.template } } },
    });
    const cronDesired = asCronJob(desired);
    const cronLive = asCronJob(live);
    cronLive.spec.jobTemplate.spec.template.spec.containers.reverse();
    cronLive.spec.jobTemplate.spec.template.spec.containers[0].image = "k8s.gcr.io/prometheus-to-sd:v0.4.0";
    expect(diffObjects(cronDesired, cronLive, null).map(brief)).toEqual([
      "value-changed spec.jobTemplate.spec.template.spec.containers[name=prometheus-to-sd-exporter].image",
    ]);
  });
});
