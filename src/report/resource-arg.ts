import { groupOf, type ObjectRef } from "../model/kube.js";

/**
 * The type argument kubectl resolves unambiguously: `KIND.GROUP` in lower case
 * (`autoscalingrunnerset.actions.github.com`, `deployment.apps`), the bare kind for the core group
 * (`secret`). A bare kind can match a custom resource of another group with the same kind name.
 */
export function resourceArg(ref: Pick<ObjectRef, "apiVersion" | "kind">): string {
  const group = groupOf(ref.apiVersion);
  const kind = ref.kind.toLowerCase();
  return group === "" ? kind : `${kind}.${group}`;
}

/** `-n NAMESPACE`, or nothing for cluster-scoped objects. */
export function namespaceArgs(namespace: string | null): string[] {
  return namespace ? ["-n", namespace] : [];
}
