import { isPlainObject } from "../model/kube.js";

/**
 * Metadata the API server writes and owns. A rendered manifest never sets them meaningfully (kubectl and some
 * chart tooling emit `creationTimestamp: null`), so they are dropped from both sides before comparing; the
 * repair patch, built from the findings, therefore never writes them. The one list of server-set metadata;
 * `status` is the server's too, handled by status.ts.
 * Upstream: argoproj/gitops-engine pkg/diff/diff.go `normalizeObject`/`remarshal` and fluxcd/pkg
 * ssa/normalize/normalize.go (creationTimestamp), https://github.com/argoproj/gitops-engine/blob/master/pkg/diff/diff.go
 */
export const SERVER_METADATA_FIELDS = [
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "managedFields",
  "selfLink",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
] as const;

export function removeServerMetadata(object: Record<string, unknown>): void {
  const metadata = object.metadata;
  if (!isPlainObject(metadata)) return;
  for (const field of SERVER_METADATA_FIELDS) delete metadata[field];
}
