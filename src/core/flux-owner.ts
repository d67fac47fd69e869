import type { KubeObject } from "../model/kube.js";
import type { FluxOwner } from "../model/report.js";

/**
 * Flux's helm-controller post-renders every object of a release with these labels, naming the HelmRelease
 * that owns it (fluxcd/helm-controller internal/postrender/origin_labels.go).
 */
export const FLUX_NAME_LABEL = "helm.toolkit.fluxcd.io/name";
export const FLUX_NAMESPACE_LABEL = "helm.toolkit.fluxcd.io/namespace";

export function fluxOwnerOf(object: KubeObject | null | undefined): FluxOwner | null {
  const labels = object?.metadata?.labels;
  const name = labels?.[FLUX_NAME_LABEL];
  const namespace = labels?.[FLUX_NAMESPACE_LABEL];
  return name && namespace ? { name, namespace } : null;
}
