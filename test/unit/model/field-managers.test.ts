import { describe, expect, it } from "vitest";
import {
  isBookkeepingField,
  isHelmManager,
  MANAGER_FACTS,
  managerRole,
  managerRoleOn,
} from "../../../src/model/field-managers.js";

describe("who a managedFields manager is", () => {
  it.each([
    ["helm", "helm"],
    ["helm-controller", "helm"],
    ["terraform-provider-helm_v2.17.0_x5", "helm"],
    ["Go-http-client", "unattributable"],
    ["kube-controller-manager", "controller"],
    ["kube-scheduler", "controller"],
    ["kubelet", "controller"],
    ["kube-apiserver", "controller"],
    ["cainjector", "controller"],
    ["manager", "controller"],
    ["kubectl-patch", null],
    ["kubectl-edit", null],
    ["kubectl-client-side-apply", null],
    ["argocd-controller", null],
    ["helm-drift-e2e", null],
  ])("%s → %s", (manager, role) => {
    expect(managerRole(manager)).toBe(role);
  });

  it("only Helm's own managers are Helm", () => {
    expect(["helm", "helm-controller", "kubectl-patch", "Go-http-client"].filter(isHelmManager)).toEqual([
      "helm",
      "helm-controller",
    ]);
  });

  it("a manager that writes the object's status is its controller; one that does not is someone else", () => {
    const managedFields = [
      { manager: "arc-controller", subresource: "status" },
      { manager: "arc-controller" },
      { manager: "kubectl-patch" },
    ];
    expect(managerRoleOn("arc-controller", managedFields)).toBe("controller");
    expect(managerRoleOn("kubectl-patch", managedFields)).toBeNull();
    expect(managerRoleOn("helm", managedFields)).toBe("helm");
  });

  it("every fact says why, with a source", () => {
    for (const fact of MANAGER_FACTS) {
      expect(fact.reason).toMatch(/^[^\n]{20,}$/);
      expect(fact.source).toMatch(/^https:\/\//);
    }
  });
});

describe("bookkeeping metadata", () => {
  it.each<[string[], boolean]>([
    [["metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"], true],
    [["spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"], true],
    [["metadata", "annotations", "deployment.kubernetes.io/revision"], true],
    [["metadata", "annotations", "meta.helm.sh/release-name"], true],
    [["metadata", "labels", "app.kubernetes.io/managed-by"], true],
    [["metadata", "finalizers"], true],
    [["metadata", "ownerReferences"], true],
    [["metadata", "annotations", "example.com/owner-team"], false],
    [["metadata", "labels", "kubectl.kubernetes.io/restartedAt"], false],
    [["spec", "template", "metadata", "annotations", "sidecar.istio.io/inject"], false],
    [["spec", "template", "spec", "nodeSelector"], false],
  ])("%j → %s", (fields, bookkeeping) => {
    expect(isBookkeepingField(fields)).toBe(bookkeeping);
  });
});
