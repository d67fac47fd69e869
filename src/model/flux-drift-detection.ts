import { isPlainObject, type KubeObject } from "./kube.js";

/**
 * Flux's opt-out: an object whose annotations or labels carry `helm.toolkit.fluxcd.io/driftDetection: disabled`
 * is left out of the HelmRelease's drift detection (helm-controller api/v2 `DriftDetectionMetadataKey`,
 * `DriftDetectionDisabledValue`; fluxcd/pkg ssa `AnyInMetadata` looks in both maps).
 * https://fluxcd.io/flux/components/helm/helmreleases/#drift-detection
 */
export const DRIFT_DETECTION_KEY = "helm.toolkit.fluxcd.io/driftDetection";
export const DRIFT_DETECTION_DISABLED = "disabled";

/** Where the object opts out of drift detection, or null when it does not. */
export function driftDetectionOptOut(
  object: KubeObject | null | undefined,
): { metadata: "annotations" | "labels" } | null {
  const metadata = object?.metadata;
  if (!isPlainObject(metadata)) return null;
  for (const map of ["annotations", "labels"] as const) {
    const entries = metadata[map];
    if (isPlainObject(entries) && entries[DRIFT_DETECTION_KEY] === DRIFT_DETECTION_DISABLED) {
      return { metadata: map };
    }
  }
  return null;
}

/**
 * The HelmRelease API versions that have `spec.driftDetection.ignore`, newest first: v2 (Flux 2.3+) and the
 * deprecated v2beta2 that older clusters still serve (the field came with v2beta2, Flux 2.2).
 */
export const HELM_RELEASE_API_VERSIONS = [
  "helm.toolkit.fluxcd.io/v2",
  "helm.toolkit.fluxcd.io/v2beta2",
] as const;
export const HELM_RELEASE_KIND = "HelmRelease";
