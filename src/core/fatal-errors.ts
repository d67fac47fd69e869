import {
  ClusterUnreachableError,
  HelmDriftError,
  HelmUnavailableError,
  KubeconfigError,
  UsageError,
} from "../errors.js";

/**
 * Failures that would repeat for every release and object (no cluster, no helm, no kubeconfig): the check
 * stops with one line instead of reporting the same error a thousand times. Any other known failure is
 * confined to the release or object it happened to.
 */
export function isFatal(error: unknown): boolean {
  return (
    error instanceof ClusterUnreachableError ||
    error instanceof HelmUnavailableError ||
    error instanceof KubeconfigError ||
    error instanceof UsageError ||
    !(error instanceof HelmDriftError)
  );
}
