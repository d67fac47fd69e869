import { describe, expect, it } from "vitest";
import { selfHealsOnUpgrade, upgradePatchMechanism } from "../../../src/explain/self-heal.js";

describe("selfHealsOnUpgrade (Helm's client-side upgrade path)", () => {
  it.each([
    ["v1", "ConfigMap", true],
    ["v1", "Service", true],
    ["apps/v1", "Deployment", true],
    ["batch/v1", "CronJob", true],
    ["autoscaling/v2", "HorizontalPodAutoscaler", true],
    ["policy/v1", "PodDisruptionBudget", true],
    ["networking.k8s.io/v1", "Ingress", true],
    ["rbac.authorization.k8s.io/v1", "ClusterRole", true],
    ["storage.k8s.io/v1", "StorageClass", true],
    ["admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", true],
    ["scheduling.k8s.io/v1", "PriorityClass", true],
    ["coordination.k8s.io/v1", "Lease", true],
    ["discovery.k8s.io/v1", "EndpointSlice", true],
    ["certificates.k8s.io/v1", "CertificateSigningRequest", true],
    ["node.k8s.io/v1", "RuntimeClass", true],
    ["events.k8s.io/v1", "Event", true],
    ["flowcontrol.apiserver.k8s.io/v1", "FlowSchema", true],
    ["resource.k8s.io/v1", "DeviceClass", true],
    ["extensions/v1beta1", "Ingress", true],
    ["actions.github.com/v1alpha1", "AutoscalingRunnerSet", false],
    ["helm.toolkit.fluxcd.io/v2", "HelmRelease", false],
    ["monitoring.coreos.com/v1", "ServiceMonitor", false],
    ["snapshot.storage.k8s.io/v1", "VolumeSnapshotClass", false],
    ["autoscaling.k8s.io/v1", "VerticalPodAutoscaler", false],
    ["apiextensions.k8s.io/v1", "CustomResourceDefinition", false],
    ["apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", false],
    ["apiregistration.k8s.io/v1", "APIService", false],
  ])("%s %s → %s", (apiVersion, kind, heals) => {
    expect(selfHealsOnUpgrade(apiVersion, kind)).toBe(heals);
  });

  it("names the patch each kind gets", () => {
    expect(upgradePatchMechanism("apps/v1", "Deployment")).toBe("three-way-strategic-merge");
    expect(upgradePatchMechanism("actions.github.com/v1alpha1", "AutoscalingRunnerSet")).toBe(
      "two-way-merge-patch",
    );
    expect(upgradePatchMechanism("apiregistration.k8s.io/v1", "APIService")).toBe("two-way-merge-patch");
    expect(upgradePatchMechanism("apiextensions.k8s.io/v1", "CustomResourceDefinition")).toBe("crd-patch");
  });

  it("heals custom resources too when the release is applied server-side (Helm 4)", () => {
    expect(upgradePatchMechanism("actions.github.com/v1alpha1", "AutoscalingRunnerSet", "server-side")).toBe(
      "server-side-apply",
    );
    expect(selfHealsOnUpgrade("actions.github.com/v1alpha1", "AutoscalingRunnerSet", "server-side")).toBe(
      true,
    );
  });
});
