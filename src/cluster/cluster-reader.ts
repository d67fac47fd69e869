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

/** Which objects a list reads: one kind, in one namespace or (null) in all of them. */
export interface ListScope {
  apiVersion: string;
  kind: string;
  /**
   * For a namespaced kind, the namespace to list, or null for every namespace. Ignored for a cluster-scoped
   * kind (as `kubectl get clusterroles -n x` ignores `-n`).
   */
  namespace: string | null;
}

/** One page of a list request (the API's `limit`, `continue` and `labelSelector` query parameters). */
export interface ListOptions {
  /** At most this many items per page: a whole number of at least 1; absent, everything in one page. */
  limit?: number;
  /** Where the previous page of the same scope and selector ended (its `continue`); absent, the first page. */
  continue?: string;
  /** A Kubernetes label selector (`app=web,tier!=cache`, `env in (prod,stage)`, `!legacy`). */
  labelSelector?: string;
}

export type ListResult =
  | {
      status: "listed";
      /** The page's objects, each with its own apiVersion and kind (the list's, minus `List`). */
      items: KubeObject[];
      /** Pass as `continue` for the next page; null when this was the last page. */
      continue: string | null;
      /** The list's resourceVersion (where a watch would start); null when the reader has none (offline). */
      resourceVersion: string | null;
      /**
       * How many objects the pages after this one hold (the API's `metadata.remainingItemCount`, set for a
       * paged LIST without a selector); absent when the server did not say.
       */
      remainingItemCount?: number;
    }
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

/** The page size of ListOptions: null when there is no limit. Any other limit than a whole number ≥ 1 is a bug. */
export function pageLimit(options: ListOptions): number | null {
  const { limit } = options;
  if (limit === undefined) return null;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`list limit must be a whole number of at least 1, not ${limit}`);
  }
  return limit;
}

/** Everything helm-drift reads from a cluster. Read-only by construction. */
export interface ClusterReader {
  /** Discovery: how apiVersion/kind is served, or null when it is not. */
  resolve(apiVersion: string, kind: string): Promise<ResourceInfo | null>;
  /** One object. `ref.namespace` is already filled in for namespaced kinds. */
  get(ref: ObjectRef): Promise<GetResult>;
  /**
   * One page of the objects of a kind (LIST). Follow `continue` until it is null to read them all, or use
   * `listPages`. A `continue` token too old for the API server to resume from throws ListExpiredError.
   */
  list(scope: ListScope, options?: ListOptions): Promise<ListResult>;
  /** List-type facts from the CRD that serves group/kind at version; null when it is not a CRD or cannot be read. */
  listTypes(apiVersion: string, kind: string): Promise<ListTypes | null>;
  /**
   * A hint, before the first `get`: these objects (namespace filled in as for `get`) are about to be read, so a
   * reader may read them in bulk (src/cluster/batching-reader.ts). Reads nothing by itself; optional.
   */
  prefetch?(refs: readonly ObjectRef[]): void;
}
