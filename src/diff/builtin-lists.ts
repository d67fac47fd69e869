import type { ListType } from "./list-type.js";

/**
 * List types outside pod specs, from k8s.io/api and apimachinery merge keys
 * (https://github.com/kubernetes/api, https://github.com/kubernetes/apimachinery/blob/master/pkg/apis/meta/v1/types.go).
 * RBAC `rules`, Ingress `rules`, Endpoints `subsets` and the like have no merge key: atomic.
 */
const byName: ListType = { type: "map", keys: ["name"] };

export function builtinListType(group: string, kind: string, schema: readonly string[]): ListType | null {
  const path = schema.join(".");
  if (path === "metadata.ownerReferences") return { type: "map", keys: ["uid"] };
  if (path === "metadata.finalizers") return { type: "set" };
  if (schema[schema.length - 1] === "conditions") return { type: "map", keys: ["type"] };
  if (group === "" && kind === "Service" && path === "spec.ports") {
    return { type: "map", keys: ["port", "protocol"] };
  }
  if (group === "" && kind === "ServiceAccount" && (path === "secrets" || path === "imagePullSecrets")) {
    return byName;
  }
  if (
    group === "admissionregistration.k8s.io" &&
    (kind === "ValidatingWebhookConfiguration" || kind === "MutatingWebhookConfiguration") &&
    path === "webhooks"
  ) {
    return byName;
  }
  return null;
}
