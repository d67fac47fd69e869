import { describe, expect, test } from "vitest";
import { diffObjects } from "../../../src/diff/diff-objects.js";
import type { KubeObject } from "../../../src/model/kube.js";
import { NormalizationError } from "../../../src/normalize/normalization-error.js";
import { normalizeLive, normalizeRendered } from "../../../src/normalize/normalize-object.js";
import { SERVER_METADATA_FIELDS } from "../../../src/normalize/server-metadata.js";
import { brief, loadCorpusObject } from "../diff/corpus-fixtures.js";
import type { Loose } from "../diff/mutated-fixtures.js";

const LIVE = "live-vs-desired/gitops-engine/smd-deploy-live.yaml";
const CONFIG = "live-vs-desired/gitops-engine/smd-deploy-config.yaml";

describe("fields that are never compared", () => {
  test("server metadata, status, last-applied and apiVersion/kind are removed from the live copy", () => {
    const live = loadCorpusObject("live-vs-desired/kubectl-apply/rc-managedfields-lastapplied.yaml");
    const normalized = normalizeLive(live) as Loose;
    for (const field of SERVER_METADATA_FIELDS) expect(normalized.metadata).not.toHaveProperty(field);
    expect(normalized).not.toHaveProperty("status");
    expect(normalized).not.toHaveProperty("apiVersion");
    expect(normalized).not.toHaveProperty("kind");
    expect(normalized.metadata.annotations).toEqual({});
    expect(normalized.metadata.labels).toEqual({ name: "test-rc" });
    expect((live as Loose).status).toBeDefined();
  });

  test.each([
    { name: "uid", value: "00000000-0000-0000-0000-000000000000" },
    { name: "resourceVersion", value: "1" },
    { name: "generation", value: 99 },
    { name: "creationTimestamp", value: "2000-01-01T00:00:00Z" },
    { name: "selfLink", value: "/apis/apps/v1/namespaces/x/deployments/y" },
    { name: "deletionTimestamp", value: "2000-01-01T00:00:00Z" },
    { name: "deletionGracePeriodSeconds", value: 5 },
    { name: "managedFields", value: [{ manager: "helm", operation: "Update" }] },
  ])("a rendered metadata.$name that differs from live is not drift", ({ name, value }) => {
    const desired = loadCorpusObject(CONFIG) as Loose;
    desired.metadata[name] = value;
    expect(diffObjects(desired, loadCorpusObject(LIVE), null)).toEqual([]);
  });

  test("a rendered status is not compared", () => {
    const desired = loadCorpusObject(CONFIG) as Loose;
    desired.status = { replicas: 7 };
    expect(diffObjects(desired, loadCorpusObject(LIVE), null)).toEqual([]);
  });

  test("a live object served at another apiVersion is compared field by field", () => {
    const live = loadCorpusObject(LIVE) as Loose;
    live.apiVersion = "extensions/v1beta1";
    expect(diffObjects(loadCorpusObject(CONFIG), live, null)).toEqual([]);
  });

  test("a rendered object without metadata.namespace is not reported (the core fills it in)", () => {
    const desired = loadCorpusObject(CONFIG) as Loose;
    delete desired.metadata.namespace;
    expect(diffObjects(desired, loadCorpusObject(LIVE), null)).toEqual([]);
  });

  test("a rendered manifest that states Helm's own label and release annotations matches live", () => {
    const desired = loadCorpusObject(CONFIG) as Loose;
    const live = loadCorpusObject(LIVE) as Loose;
    const helmLabels = { "app.kubernetes.io/managed-by": "Helm" };
    const helmAnnotations = {
      "meta.helm.sh/release-name": "nginx",
      "meta.helm.sh/release-namespace": "default",
    };
    Object.assign(live.metadata.labels, helmLabels);
    Object.assign(live.metadata.annotations, helmAnnotations);
    expect(diffObjects(desired, live, null)).toEqual([]);
    Object.assign(desired.metadata.labels, helmLabels);
    desired.metadata.annotations = { ...helmAnnotations };
    expect(diffObjects(desired, live, null)).toEqual([]);
    live.metadata.annotations["meta.helm.sh/release-name"] = "other";
    expect(diffObjects(desired, live, null).map(brief)).toEqual([
      'value-changed metadata.annotations["meta.helm.sh/release-name"]',
    ]);
  });

  test("the last-applied annotation is ignored even when the rendered object carries a stale one", () => {
    const desired = loadCorpusObject(CONFIG) as Loose;
    desired.metadata.annotations = { "kubectl.kubernetes.io/last-applied-configuration": "{}" };
    expect(diffObjects(desired, loadCorpusObject(LIVE), null)).toEqual([]);
  });

  test("normalizing does not change its input", () => {
    const desired = loadCorpusObject(CONFIG);
    const before = structuredClone(desired);
    normalizeRendered(desired);
    expect(desired).toEqual(before);
  });
});

describe("objects that cannot be normalized", () => {
  test("a live value that is not a Kubernetes object is refused, not compared", () => {
    const desired = loadCorpusObject(CONFIG);
    const notAnObject = { apiVersion: "apps/v1", kind: "Deployment" } as unknown as KubeObject;
    expect(() => diffObjects(desired, notAnObject, null)).toThrow(NormalizationError);
    expect(() => diffObjects(desired, notAnObject, null)).toThrow(
      "the live object is not a Kubernetes object",
    );
  });
});
