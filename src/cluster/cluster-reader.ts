import type { KubeObject, ObjectRef } from "../model/kube.js";

/** How the API serves a kind (from discovery). */
export interface ResourceInfo {
  group: string;
  version: string;
  /** Plural resource name, e.g. `deployments`, `autoscalingrunnersets`. */
  resource: string;
  namespaced: boolean;
}

export type GetResult =
  | { status: "found"; object: KubeObject }
  | { status: "not-found" }
  /** 403 from the API server; reason is its message. */
  | { status: "forbidden"; reason: string }
  /** Discovery does not know this apiVersion/kind. */
  | { status: "kind-not-served"; reason: string };

/**
 * The list-type facts of a custom resource's schema (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`),
 * keyed by a schema path of field names joined with "." (list items add no segment),
 * e.g. `spec.template.spec.containers` → { type: "map", keys: ["name"] }.
 */
export type ListTypes = ReadonlyMap<string, { type: "atomic" | "set" | "map"; keys: string[] }>;

/** Everything helm-drift reads from a cluster. Read-only by construction. */
export interface ClusterReader {
  /** Discovery: how apiVersion/kind is served, or null when it is not. */
  resolve(apiVersion: string, kind: string): Promise<ResourceInfo | null>;
  /** One object. `ref.namespace` is already filled in for namespaced kinds. */
  get(ref: ObjectRef): Promise<GetResult>;
  /** List-type facts from the CRD that serves group/kind at version; null when it is not a CRD or cannot be read. */
  listTypes(apiVersion: string, kind: string): Promise<ListTypes | null>;
}
