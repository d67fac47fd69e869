import type { ClusterReader, ListTypes, ResourceInfo } from "../cluster/cluster-reader.js";
import { ownerOf } from "../explain/managed-fields.js";
import { selfHealsOnUpgrade } from "../explain/self-heal.js";
import { isAutoscalerManager, type ScaleTarget, targets } from "../model/autoscaler.js";
import type { KubeObject, ObjectIdentity, ObjectRef } from "../model/kube.js";
import { ClusterAutoscalers } from "./cluster-autoscalers.js";
import type { Limiter } from "./limiter.js";

/** Where a rendered object is live, as read from the cluster: everything the pure comparison needs. */
export type LocatedResource =
  /**
   * `listTypes`: the CRD's list-type facts for a custom resource, null for built-in kinds. `autoscaled`: an
   * autoscaler targets the object (in the release, or found in the cluster).
   */
  | { status: "found"; ref: ObjectRef; live: KubeObject; listTypes: ListTypes | null; autoscaled: boolean }
  | { status: "not-found"; ref: ObjectRef }
  | { status: "kind-not-served"; ref: ObjectRef; detail: string | null }
  | { status: "forbidden"; ref: ObjectRef; detail: string };

/**
 * The I/O half of checking one object: discovery (is the kind served, is it namespaced), the live object, for
 * a custom resource its CRD's list types, and whether an autoscaler targets it. Kept apart from the comparison
 * so that a reader can fetch a release's objects in bulk (LIST per resource and namespace) and hand them to
 * the same pure steps. `releaseScaleTargets`: what the release's own autoscalers scale; `clusterAutoscalers`:
 * what the live ones do, shared by a run so that a namespace's autoscalers are listed once.
 */
export async function locateResource(
  desired: KubeObject,
  releaseNamespace: string | null,
  reader: ClusterReader,
  limit: Limiter,
  releaseScaleTargets: readonly ScaleTarget[] = [],
  clusterAutoscalers: ClusterAutoscalers = new ClusterAutoscalers(reader, limit),
): Promise<LocatedResource> {
  const { info, ref } = await liveRefOf(desired, releaseNamespace, reader, limit);
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
      const autoscaled =
        releaseScaleTargets.some((target) => targets(target, ref)) ||
        (scaledByAutoscalerManager(got.object) && (await clusterAutoscalers.target(ref)));
      return { status: "found", ref, live: got.object, listTypes, autoscaled };
    }
  }
}

/**
 * Which live object a rendered one is, and how the cluster serves its kind (null when it does not): a
 * namespaced kind's object is in its own namespace, else the release's; a cluster-scoped one in none. Discovery
 * is the only request (one per group-version for the run); a refused or failed discovery throws.
 */
export async function liveRefOf(
  desired: ObjectIdentity,
  releaseNamespace: string | null,
  reader: ClusterReader,
  limit: Limiter,
): Promise<{ info: ResourceInfo | null; ref: ObjectRef }> {
  const info = await limit(() => reader.resolve(desired.apiVersion, desired.kind));
  const ref: ObjectRef = {
    apiVersion: desired.apiVersion,
    kind: desired.kind,
    namespace: info?.namespaced === false ? null : (desired.metadata.namespace ?? releaseNamespace),
    name: desired.metadata.name,
  };
  return { info, ref };
}

/** Whether an autoscaler's manager last wrote the live `spec.replicas`: only then is an autoscaler looked for. */
function scaledByAutoscalerManager(live: KubeObject): boolean {
  const path = [
    { kind: "field", name: "spec" },
    { kind: "field", name: "replicas" },
  ] as const;
  const owner = ownerOf(live.metadata.managedFields, path);
  return owner !== null && isAutoscalerManager(owner.manager);
}
