/**
 * `apiVersion` and `kind` are not compared: the caller already fetched the live object for this kind, and the
 * API server may serve it at another version than the rendered one (e.g. rendered `apps/v1beta1`, read back
 * as `apps/v1`), with the same fields.
 * Upstream: https://kubernetes.io/docs/reference/using-api/#api-versioning (one object, several served versions)
 */
export function removeTypeMeta(object: Record<string, unknown>): void {
  delete object.apiVersion;
  delete object.kind;
}
