import { describe, expect, it } from "vitest";
import { ownerOf } from "../../../src/explain/managed-fields.js";
import type { FieldOwner, RawFinding, Severity } from "../../../src/model/finding.js";
import type { Path, PathSegment } from "../../../src/model/path.js";
import { findBrokenReferences } from "../../../src/rules/broken-references.js";
import {
  objectMissingSeverity,
  SEVERITY_RULES,
  severityOf,
  severityRuleOf,
} from "../../../src/rules/severity.js";
import { corpusObject } from "../explain/corpus.js";
import { incidentDiffFindings, incidentLive } from "../explain/incident-arc.js";

const f = (name: string): PathSegment => ({ kind: "field", name });
const liveOnly = (key: Record<string, string>): PathSegment => ({
  kind: "key",
  key,
  index: -1,
  liveIndex: 1,
});
const both = (key: Record<string, string>): PathSegment => ({ kind: "key", key, index: 0, liveIndex: 0 });
const at = (...names: string[]): PathSegment[] => names.map(f);
const podSpec = at("spec", "template", "spec");
const runner = [...podSpec, f("containers"), both({ name: "runner" })];

const changed = (path: Path): RawFinding => ({
  type: "changed",
  code: "value-changed",
  path,
  desired: "a",
  live: "b",
});
const missing = (
  path: Path,
  code: "field-missing" | "list-missing" | "map-missing" = "field-missing",
): RawFinding => ({
  type: "missing",
  code,
  path,
  desired: "a",
  live: undefined,
});
const extra = (path: Path): RawFinding => ({
  type: "extra",
  code: "entry-extra",
  path,
  desired: undefined,
  live: {},
});

const hpa: FieldOwner = {
  manager: "kube-controller-manager",
  operation: "Update",
  time: "2024-01-01T00:00:00Z",
};
const viaScale: FieldOwner = {
  manager: "keda-operator",
  operation: "Update",
  subresource: "scale",
  time: "2024-01-01T00:00:00Z",
};
const helm: FieldOwner = { manager: "helm", operation: "Update", time: "2024-01-01T00:00:00Z" };

describe("severityOf", () => {
  it.each<[string, RawFinding, string, FieldOwner | null, Severity, string]>([
    [
      "a rewritten Service selector is high: it decides which pods get the traffic",
      changed(at("spec", "selector", "app")),
      "Service",
      null,
      "high",
      "service-routing",
    ],
    [
      "a Service's session affinity is medium",
      changed(at("spec", "sessionAffinity")),
      "Service",
      null,
      "medium",
      "default",
    ],
    [
      "a runner mount whose volume is gone is critical",
      findBrokenReferences(incidentLive())[0] as RawFinding,
      "AutoscalingRunnerSet",
      null,
      "critical",
      "broken-reference",
    ],
    [
      "a pod template without its containers list is critical",
      missing([...podSpec, f("containers")], "list-missing"),
      "Deployment",
      null,
      "critical",
      "pod-containers-missing",
    ],
    [
      "missing initContainers of the incident are high",
      incidentDiffFindings()[0] as RawFinding,
      "AutoscalingRunnerSet",
      null,
      "high",
      "pod-structure",
    ],
    [
      "missing volumes of the incident are high (the broken mounts carry the critical)",
      incidentDiffFindings()[1] as RawFinding,
      "AutoscalingRunnerSet",
      null,
      "high",
      "pod-structure",
    ],
    [
      "a missing serviceAccountName is high",
      incidentDiffFindings()[2] as RawFinding,
      "AutoscalingRunnerSet",
      null,
      "high",
      "pod-structure",
    ],
    [
      "a changed image is high",
      changed([...runner, f("image")]),
      "Deployment",
      helm,
      "high",
      "pod-structure",
    ],
    [
      "changed args are high",
      changed([...runner, f("args"), { kind: "index", index: 0 }]),
      "Deployment",
      helm,
      "high",
      "pod-structure",
    ],
    [
      "a privileged flag is high",
      changed([...runner, f("securityContext"), f("privileged")]),
      "DaemonSet",
      helm,
      "high",
      "pod-structure",
    ],
    [
      "hostNetwork is high",
      changed([...podSpec, f("hostNetwork")]),
      "DaemonSet",
      helm,
      "high",
      "pod-structure",
    ],
    [
      "an injected sidecar container is high",
      extra([...podSpec, f("containers"), liveOnly({ name: "istio-proxy" })]),
      "Deployment",
      null,
      "high",
      "extra-pod-entry",
    ],
    [
      "an extra volume is high",
      extra([...podSpec, f("volumes"), liveOnly({ name: "debug" })]),
      "Deployment",
      null,
      "high",
      "extra-pod-entry",
    ],
    [
      "a changed volume source is high",
      changed([...podSpec, f("volumes"), both({ name: "cfg" }), f("configMap"), f("name")]),
      "Deployment",
      helm,
      "high",
      "pod-structure",
    ],
    [
      "a missing container entry is high",
      {
        type: "missing",
        code: "entry-missing",
        path: [...podSpec, f("containers"), both({ name: "runner" })],
        desired: {},
        live: undefined,
      },
      "Deployment",
      null,
      "high",
      "pod-structure",
    ],
    [
      "changed container resources are medium",
      changed([...runner, f("resources"), f("limits"), f("memory")]),
      "Deployment",
      helm,
      "medium",
      "default",
    ],
    [
      "an extra env var is medium",
      extra([...runner, f("env"), liveOnly({ name: "DEBUG" })]),
      "Deployment",
      null,
      "medium",
      "default",
    ],
    [
      "HPA-owned spec.replicas is info",
      changed(at("spec", "replicas")),
      "Deployment",
      hpa,
      "info",
      "replicas-owned-by-autoscaler",
    ],
    [
      "spec.replicas owned through the scale subresource is info",
      changed(at("spec", "replicas")),
      "ExampleApp",
      viaScale,
      "info",
      "replicas-owned-by-autoscaler",
    ],
    [
      "spec.replicas changed by helm itself is medium",
      changed(at("spec", "replicas")),
      "Deployment",
      helm,
      "medium",
      "default",
    ],
    [
      "spec.replicas without an owner is medium",
      changed(at("spec", "replicas")),
      "Deployment",
      null,
      "medium",
      "default",
    ],
    [
      "a ClusterRole's rules are high",
      changed([f("rules"), { kind: "index", index: 0 }]),
      "ClusterRole",
      helm,
      "high",
      "rbac",
    ],
    [
      "a RoleBinding's subjects are high",
      missing(at("subjects"), "list-missing"),
      "RoleBinding",
      null,
      "high",
      "rbac",
    ],
    ["a RoleBinding's roleRef is high", changed(at("roleRef", "name")), "RoleBinding", helm, "high", "rbac"],
    [
      "a webhook's failurePolicy is high",
      changed([f("webhooks"), both({ name: "v.example.com" }), f("failurePolicy")]),
      "ValidatingWebhookConfiguration",
      helm,
      "high",
      "admission-webhook",
    ],
    [
      "a webhook's clientConfig is high",
      changed([f("webhooks"), both({ name: "m.example.com" }), f("clientConfig"), f("url")]),
      "MutatingWebhookConfiguration",
      helm,
      "high",
      "admission-webhook",
    ],
    [
      "a missing webhook entry is high",
      {
        type: "missing",
        code: "entry-missing",
        path: [f("webhooks"), both({ name: "v.example.com" })],
        desired: {},
        live: undefined,
      },
      "ValidatingWebhookConfiguration",
      null,
      "high",
      "admission-webhook",
    ],
    [
      "a webhook's timeout is medium",
      changed([f("webhooks"), both({ name: "v.example.com" }), f("timeoutSeconds")]),
      "ValidatingWebhookConfiguration",
      helm,
      "medium",
      "default",
    ],
    [
      "an object label is low",
      changed(at("metadata", "labels", "app.kubernetes.io/version")),
      "Deployment",
      helm,
      "low",
      "object-labels-annotations",
    ],
    [
      "an object annotation named like a pod field is still low",
      changed(at("metadata", "annotations", "image")),
      "Deployment",
      helm,
      "low",
      "object-labels-annotations",
    ],
    [
      "a pod template label is medium",
      changed(at("spec", "template", "metadata", "labels", "app")),
      "Deployment",
      helm,
      "medium",
      "pod-template-labels-annotations",
    ],
    ["Secret data is medium", changed(at("data", "password")), "Secret", helm, "medium", "config-data"],
    [
      "a ConfigMap key named like a pod field is medium, not high",
      changed(at("data", "image")),
      "ConfigMap",
      helm,
      "medium",
      "config-data",
    ],
    [
      "a Service port's targetPort is high: traffic goes to another container port",
      changed([f("spec"), f("ports"), both({ port: "80" }), f("targetPort")]),
      "Service",
      helm,
      "high",
      "service-routing",
    ],
  ])("%s", (_name, finding, kind, owner, severity, ruleId) => {
    expect(severityOf(finding, kind, owner)).toBe(severity);
    expect(severityRuleOf(finding, kind, owner).id).toBe(ruleId);
  });

  it("uses the real HPA owner of spec.replicas from managedFields", () => {
    const live = corpusObject("live-vs-desired/argo-cd-util-argo/live_deployment_with_managed_replica.yaml");
    const path = at("spec", "replicas");
    expect(severityOf(changed(path), "Deployment", ownerOf(live.metadata.managedFields, path))).toBe("info");
  });

  it("gives every rule a one-line reason and ends with a rule that always applies", () => {
    for (const rule of SEVERITY_RULES) expect(rule.reason).toMatch(/^[^\n]{20,}$/);
    expect(SEVERITY_RULES.at(-1)?.id).toBe("default");
  });
});

describe("objectMissingSeverity", () => {
  it.each([
    "Deployment",
    "AutoscalingRunnerSet",
    "CustomResourceDefinition",
    "Namespace",
    "ClusterRole",
    "ConfigMap",
  ])("rates a missing %s high", (kind) => {
    expect(objectMissingSeverity(kind)).toBe("high");
  });
});
