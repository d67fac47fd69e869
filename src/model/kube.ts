/** A Kubernetes object as plain JSON. Only the fields helm-drift reads are typed. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** What names a rendered object: enough to find it live, so a caller may keep only this much of it. */
export type ObjectIdentity = Pick<KubeObject, "apiVersion" | "kind"> & {
  metadata: Pick<ObjectMeta, "name" | "namespace">;
};

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  managedFields?: ManagedFieldsEntry[];
  [field: string]: unknown;
}

/** One entry of `metadata.managedFields` (k8s.io/apimachinery ManagedFieldsEntry). */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: "Apply" | "Update" | string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

/** Which object: enough to find it in a cluster and to name it to a person. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  /** null for cluster-scoped objects (and for namespaced ones whose namespace is not known). */
  namespace: string | null;
  name: string;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** API group of an apiVersion: "apps/v1" → "apps", "v1" → "" (the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash === -1 ? "" : apiVersion.slice(0, slash);
}

/**
 * The one way an object is named to people, everywhere: `Kind/namespace/name`, or `Kind/name` when
 * cluster-scoped (as fluxcd/pkg ssa/utils/fmt.go FmtUnstructured does).
 */
export function formatIdentity(ref: Pick<ObjectRef, "kind" | "namespace" | "name">): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

export function refOf(object: KubeObject): ObjectRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: object.metadata.namespace ?? null,
    name: object.metadata.name,
  };
}
