import { groupOf, type ObjectRef } from "./kube.js";

/**
 * The one test for "this object is a Secret": kind `Secret` in the core API group (`apiVersion: v1`). Kind alone
 * is not enough: a custom resource of another group may also be named `Secret`, and none of core Secret's
 * behaviour applies to it (the API server folds `stringData` into base64 `data` only for core Secrets). The
 * group is compared, not the exact apiVersion, as everywhere else helm-drift matches kinds (`groupOf`).
 * https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/secret-v1/
 */
export function isSecret(ref: Pick<ObjectRef, "apiVersion" | "kind">): boolean {
  return ref.kind === "Secret" && groupOf(ref.apiVersion) === "";
}
