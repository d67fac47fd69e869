import { isPlainObject } from "../model/kube.js";

export const LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

/**
 * `kubectl apply` (client-side) stores the whole applied object in this annotation. It is bookkeeping for
 * kubectl's three-way merge, not state Helm renders; Helm never writes it.
 * Upstream: https://kubernetes.io/docs/reference/labels-annotations-taints/#kubectl-kubernetes-io-last-applied-configuration
 */
export function removeLastAppliedAnnotation(object: Record<string, unknown>): void {
  const metadata = object.metadata;
  if (!isPlainObject(metadata)) return;
  const annotations = metadata.annotations;
  if (!isPlainObject(annotations)) return;
  delete annotations[LAST_APPLIED_ANNOTATION];
}
