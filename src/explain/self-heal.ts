import { groupOf } from "../model/kube.js";

/**
 * How `helm upgrade` patches an object that exists live, which decides whether a field missing or changed
 * live is re-sent. helm/helm `pkg/kube/client.go` `createPatch`, read at commit 002ac7844eb6 (helm/helm#9937
 * links the same branch in Helm 3: blob/433b90c4b6010415524bfd98b77efca0e6ec7205/pkg/kube/client.go#L457):
 *
 *     _, isUnstructured := versionedObject.(runtime.Unstructured)
 *     _, isCRD := versionedObject.(*apiextv1beta1.CustomResourceDefinition)
 *     if isUnstructured || isCRD {
 *         // fall back to generic JSON merge patch
 *         patch, err := jsonpatch.CreateMergePatch(oldData, newData)
 *     ...
 *     patch, err := strategicpatch.CreateThreeWayMergePatch(oldData, newData, currentData, patchMeta, true)
 *
 * `versionedObject` is unstructured unless the kind is in Helm's native scheme: client-go's
 * `kubernetes/scheme` plus apiextensions v1beta1 and v1 (`kubernetesNativeScheme` in `pkg/kube/converter.go`).
 * Helm 4 keeps this client-side path for releases installed by Helm 3 (`--server-side=auto`); its upgrade
 * never sets `ThreeWayMergeForUnstructured` (pkg/action/upgrade.go). Reports: helm/helm#9937, #12827, #10210.
 *
 * - `three-way-strategic-merge`: built-in kinds; live state is an input, a field missing live is re-sent.
 * - `two-way-merge-patch`: custom resources (and kinds outside the native scheme, e.g. APIService):
 *   old manifest → new manifest, live ignored; a field in both manifests is never re-sent.
 * - `crd-patch`: CustomResourceDefinition objects. apiextensions.k8s.io/v1beta1 ones take the two-way merge
 *   patch (`isCRD`); v1 ones are converted to the typed v1 struct and get a strategic three-way patch, which
 *   upstream reports failing on CRDs (helm/helm#10495). Either way, not something to rely on.
 * - `server-side-apply`: Helm 4 releases applied server-side send the whole rendered object; applying
 *   re-adds a field nobody owns, whatever the kind.
 */
export type UpgradePatchMechanism =
  | "three-way-strategic-merge"
  | "two-way-merge-patch"
  | "crd-patch"
  | "server-side-apply";

export type ApplyMethod = "client-side" | "server-side";

/**
 * API groups whose kinds are in client-go's `kubernetes/scheme` (`localSchemeBuilder`), i.e. typed in Helm.
 * apiregistration.k8s.io (APIService) is built into Kubernetes but NOT in that scheme (it lives in
 * k8s.io/kube-aggregator), so Helm treats it as unstructured.
 */
const NATIVE_SCHEME_GROUPS: ReadonlySet<string> = new Set([
  "",
  "admissionregistration.k8s.io",
  "apps",
  "authentication.k8s.io",
  "authorization.k8s.io",
  "autoscaling",
  "batch",
  "certificates.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "events.k8s.io",
  "extensions",
  "flowcontrol.apiserver.k8s.io",
  "internal.apiserver.k8s.io",
  "networking.k8s.io",
  "node.k8s.io",
  "policy",
  "rbac.authorization.k8s.io",
  "resource.k8s.io",
  "scheduling.k8s.io",
  "storage.k8s.io",
  "storagemigration.k8s.io",
]);

const CRD_GROUP = "apiextensions.k8s.io";

export function upgradePatchMechanism(
  apiVersion: string,
  kind: string,
  applyMethod: ApplyMethod = "client-side",
): UpgradePatchMechanism {
  if (applyMethod === "server-side") return "server-side-apply";
  const group = groupOf(apiVersion);
  if (group === CRD_GROUP && kind === "CustomResourceDefinition") return "crd-patch";
  return NATIVE_SCHEME_GROUPS.has(group) ? "three-way-strategic-merge" : "two-way-merge-patch";
}

/** Whether the next `helm upgrade` re-sends a rendered field that is missing or changed live. */
export function selfHealsOnUpgrade(
  apiVersion: string,
  kind: string,
  applyMethod: ApplyMethod = "client-side",
): boolean {
  const mechanism = upgradePatchMechanism(apiVersion, kind, applyMethod);
  return mechanism === "three-way-strategic-merge" || mechanism === "server-side-apply";
}
