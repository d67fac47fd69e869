import type { ClusterReader, ListTypes } from "../cluster/cluster-reader.js";
import { selfHealsOnUpgrade } from "../explain/self-heal.js";
import type { KubeObject, ObjectRef } from "../model/kube.js";
import type { Limiter } from "./limiter.js";

/** Where a rendered object is live, as read from the cluster: everything the pure comparison needs. */
export type LocatedResource =
  /** `listTypes`: the CRD's list-type facts for a custom resource, null for built-in kinds. */
  | { status: "found"; ref: ObjectRef; live: KubeObject; listTypes: ListTypes | null }
  | { status: "not-found"; ref: ObjectRef }
  | { status: "kind-not-served"; ref: ObjectRef; detail: string | null }
  | { status: "forbidden"; ref: ObjectRef; detail: string };

/**
 * The I/O half of checking one object: discovery (is the kind served, is it namespaced), the live object, and
 * for a custom resource its CRD's list types. Kept apart from the comparison so that a reader can fetch a
 * release's objects in bulk (LIST per resource and namespace) and hand them to the same pure steps.
 */
export async function locateResource(
  desired: KubeObject,
  releaseNamespace: string | null,
  reader: ClusterReader,
  limit: Limiter,
): Promise<LocatedResource> {
  const info = await limit(() => reader.resolve(desired.apiVersion, desired.kind));
  const ref: ObjectRef = {
    apiVersion: desired.apiVersion,
    kind: desired.kind,
    namespace: info?.namespaced === false ? null : (desired.metadata.namespace ?? releaseNamespace),
    name: desired.metadata.name,
  };
  if (!info) return { status: "kind-not-served", ref, detail: null };
  const got = await limit(() => reader.get(ref));
  switch (got.status) {
    case "kind-not-served":
      return { status: "kind-not-served", ref, detail: got.reason };
    case "not-found":
      return { status: "not-found", ref };
    case "forbidden":
      return { status: "forbidden", ref, detail: got.reason };
    case "found": {
      // Built-in kinds have fixed list types (src/diff/list-type.ts); only custom resources need their CRD's.
      const builtIn = selfHealsOnUpgrade(desired.apiVersion, desired.kind, "client-side");
      const listTypes = builtIn
        ? null
        : await limit(() => reader.listTypes(desired.apiVersion, desired.kind));
      return { status: "found", ref, live: got.object, listTypes };
    }
  }
}
