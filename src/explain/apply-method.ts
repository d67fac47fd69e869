import { HELM_FIELD_MANAGER } from "../model/field-managers.js";
import type { KubeObject } from "../model/kube.js";
import type { ApplyMethod } from "./self-heal.js";

/**
 * How Helm writes this object on upgrade. Helm 4 installs with server-side apply by default, under field
 * manager "helm" with operation Apply, and `helm upgrade --server-side=auto` keeps a release on the method
 * it was installed with (helm/helm v4 pkg/action/upgrade.go, pkg/kube/client.go `Update` with
 * ServerSideApply). A server-side apply re-sends every rendered field, so it restores fields missing live —
 * also on custom resources, which Helm 3's two-way merge patch never repairs. Helm 3 and Helm 4 releases
 * applied client-side write with operation Update.
 */
export function applyMethodOf(live: KubeObject): ApplyMethod {
  const byHelm = (live.metadata.managedFields ?? []).filter((entry) => entry.manager === HELM_FIELD_MANAGER);
  return byHelm.some((entry) => entry.operation === "Apply" && !entry.subresource)
    ? "server-side"
    : "client-side";
}
