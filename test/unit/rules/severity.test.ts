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
const byKubectlScale: FieldOwner = {
  manager: "kubectl",
  operation: "Update",
  subresource: "scale",
  time: null,
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
      "spec.replicas written by kube-controller-manager with no autoscaler targeting the object is medium",
      changed(at("spec", "replicas")),
      "Deployment",
      hpa,
      "medium",
      "default",
    ],
    [
      "spec.replicas scaled through the scale subresource with no autoscaler targeting the object is medium",
      changed(at("spec", "replicas")),
      "ExampleApp",
      viaScale,
      "medium",
      "default",
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

  it.each([
    [
      "the autoscaler's own write (kube-controller-manager) is info, left alone",
      hpa,
      "info",
      "replicas-owned-by-autoscaler",
    ],
    [
      "KEDA scaling to or from zero (keda-operator, scale subresource) is info",
      viaScale,
      "info",
      "replicas-owned-by-autoscaler",
    ],
    [
      "a hand scale of an autoscaled object (kubectl, scale subresource) is medium",
      byKubectlScale,
      "medium",
      "default",
    ],
    ["a kubectl patch of an autoscaled object's replicas is medium", helm, "medium", "default"],
  ] as const)("an autoscaler targets the object: %s", (_name, owner, severity, ruleId) => {
    const finding = changed(at("spec", "replicas"));
    expect(severityOf(finding, "Deployment", owner, { autoscaled: true })).toBe(severity);
    expect(severityRuleOf(finding, "Deployment", owner, { autoscaled: true }).id).toBe(ruleId);
  });

  it("uses the real HPA owner of spec.replicas from managedFields", () => {
    const live = corpusObject("live-vs-desired/argo-cd-util-argo/live_deployment_with_managed_replica.yaml");
    const path = at("spec", "replicas");
    const owner = ownerOf(live.metadata.managedFields, path);
    expect(severityOf(changed(path), "Deployment", owner, { autoscaled: true })).toBe("info");
    expect(severityOf(changed(path), "Deployment", owner, { autoscaled: false })).toBe("medium");
  });

  it("gives every rule a one-line reason and ends with a rule that always applies", () => {
    for (const rule of SEVERITY_RULES) expect(rule.reason).toMatch(/^[^\n]{20,}$/);
    expect(SEVERITY_RULES.at(-1)?.id).toBe("default");
  });
});

describe("severity of a field added live (field-added)", () => {
  const added = (path: Path, live: unknown): RawFinding => ({
    type: "added",
    code: "field-added",
    path,
    desired: undefined,
    live,
  });
  const webapp = [...podSpec, f("containers"), both({ name: "webapp" })];
  const kubectlPatch: FieldOwner = { manager: "kubectl-patch", operation: "Update", time: null };

  it.each<[string, RawFinding, string, Severity, string]>([
    [
      "privileged: true",
      added([...webapp, f("securityContext"), f("privileged")], true),
      "Deployment",
      "high",
      "added-security-relevant",
    ],
    [
      "allowPrivilegeEscalation: true",
      added([...webapp, f("securityContext"), f("allowPrivilegeEscalation")], true),
      "Deployment",
      "high",
      "added-security-relevant",
    ],
    [
      "hostNetwork: true",
      added([...podSpec, f("hostNetwork")], true),
      "Deployment",
      "high",
      "added-security-relevant",
    ],
    [
      "hostPID: true",
      added([...podSpec, f("hostPID")], true),
      "DaemonSet",
      "high",
      "added-security-relevant",
    ],
    [
      "hostIPC: true",
      added([...podSpec, f("hostIPC")], true),
      "StatefulSet",
      "high",
      "added-security-relevant",
    ],
    [
      "a hostPath volume source",
      added([...podSpec, f("volumes"), both({ name: "tmp" }), f("hostPath")], { path: "/" }),
      "Deployment",
      "high",
      "added-security-relevant",
    ],
    [
      "added capabilities",
      added([...webapp, f("securityContext"), f("capabilities"), f("add")], ["NET_ADMIN"]),
      "Deployment",
      "high",
      "added-security-relevant",
    ],
    [
      "a whole securityContext that adds capabilities",
      added([...webapp, f("securityContext")], { capabilities: { add: ["SYS_ADMIN"] } }),
      "Deployment",
      "high",
      "added-security-relevant",
    ],
    [
      "runAsUser: 0",
      added([...webapp, f("securityContext"), f("runAsUser")], 0),
      "Deployment",
      "high",
      "added-security-relevant",
    ],
    [
      "a whole securityContext running as root",
      added([...webapp, f("securityContext")], { runAsUser: 0 }),
      "Deployment",
      "high",
      "added-security-relevant",
    ],
    [
      "runAsNonRoot: false",
      added([...podSpec, f("securityContext"), f("runAsNonRoot")], false),
      "Deployment",
      "high",
      "added-security-relevant",
    ],
    [
      "an Unconfined seccomp profile",
      added([...podSpec, f("securityContext"), f("seccompProfile")], { type: "Unconfined" }),
      "Deployment",
      "high",
      "added-security-relevant",
    ],
    [
      "a hostPort",
      added([...webapp, f("ports"), both({ containerPort: "8080" }), f("hostPort")], 8080),
      "Deployment",
      "high",
      "added-security-relevant",
    ],
    [
      "a nodeSelector",
      added([...podSpec, f("nodeSelector")], { pool: "gpu" }),
      "Deployment",
      "high",
      "added-security-relevant",
    ],
    [
      "tolerations",
      added([...podSpec, f("tolerations")], [{ operator: "Exists" }]),
      "Deployment",
      "high",
      "added-security-relevant",
    ],
    [
      "a nodeAffinity",
      added([...podSpec, f("affinity"), f("nodeAffinity")], {}),
      "Deployment",
      "high",
      "added-security-relevant",
    ],
    [
      "a nodeName",
      added([...podSpec, f("nodeName")], "node-1"),
      "Deployment",
      "high",
      "added-security-relevant",
    ],
    [
      "an annotation of the object is low",
      added(at("metadata", "annotations", "team"), "payments"),
      "Deployment",
      "low",
      "object-labels-annotations",
    ],
    [
      "a label of the object is low",
      added(at("metadata", "labels", "tier"), "gold"),
      "Service",
      "low",
      "object-labels-annotations",
    ],
    [
      "a pod-template annotation is medium",
      added(at("spec", "template", "metadata", "annotations", "x"), "y"),
      "Deployment",
      "medium",
      "pod-template-labels-annotations",
    ],
    ["a ConfigMap key is medium", added(at("data", "EXTRA"), "1"), "ConfigMap", "medium", "config-data"],
    [
      "a hardening securityContext field is graded like a changed one (pod-structure)",
      added([...webapp, f("securityContext"), f("readOnlyRootFilesystem")], true),
      "Deployment",
      "high",
      "pod-structure",
    ],
    [
      "privileged: false is no privilege, and graded like a changed one",
      added([...webapp, f("securityContext"), f("privileged")], false),
      "Deployment",
      "high",
      "pod-structure",
    ],
    [
      "a command overriding the image's entrypoint is high (pod-structure)",
      added([...webapp, f("command")], ["sh"]),
      "Deployment",
      "high",
      "pod-structure",
    ],
    [
      "a key added to a Service selector is high (service-routing)",
      added(at("spec", "selector", "tier"), "canary"),
      "Service",
      "high",
      "service-routing",
    ],
    [
      "a shorter terminationGracePeriodSeconds is medium",
      added([...podSpec, f("terminationGracePeriodSeconds")], 5),
      "Deployment",
      "medium",
      "added-field",
    ],
    [
      "a probe is medium",
      added([...webapp, f("livenessProbe")], { tcpSocket: { port: 80 } }),
      "Deployment",
      "medium",
      "added-field",
    ],
    [
      "a field of a custom resource is medium",
      added(at("spec", "maxRunners"), 50),
      "AutoscalingRunnerSet",
      "medium",
      "added-field",
    ],
  ])("%s", (_name, finding, kind, severity, ruleId) => {
    expect(severityRuleOf(finding, kind, kubectlPatch)).toMatchObject({ severity, id: ruleId });
  });

  it("grades the security-relevant rule above every rule for labels, annotations and generic fields", () => {
    const ids = SEVERITY_RULES.map((rule) => rule.id);
    expect(ids.indexOf("added-security-relevant")).toBeLessThan(ids.indexOf("object-labels-annotations"));
    expect(ids.indexOf("added-field")).toBe(ids.indexOf("default") - 1);
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
