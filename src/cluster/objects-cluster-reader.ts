import { groupOf, isPlainObject, type KubeObject, type ObjectRef } from "../model/kube.js";
import { builtinKind } from "./builtin-kinds.js";
import type { ClusterReader, GetResult, ListTypes, ResourceInfo } from "./cluster-reader.js";
import { listTypesFromCrd } from "./crd-list-types.js";

function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.indexOf("/") + 1);
}

/**
 * kubectl's guess of a plural from a kind (k8s.io/apimachinery meta.UnsafeGuessKindToResource), for kinds
 * known neither as built-ins nor from a CRD in the file.
 */
export function guessResource(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith("s")) return `${lower}es`;
  if (lower.endsWith("y")) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

function isCrd(object: KubeObject): boolean {
  return object.kind === "CustomResourceDefinition" && groupOf(object.apiVersion) === "apiextensions.k8s.io";
}

function crdNames(crd: KubeObject): { group: unknown; kind: unknown; plural: unknown; scope: unknown } {
  const spec = isPlainObject(crd.spec) ? crd.spec : {};
  const names = isPlainObject(spec.names) ? spec.names : {};
  return { group: spec.group, kind: names.kind, plural: names.plural, scope: spec.scope };
}

/**
 * A ClusterReader over objects read from a file (`--live`, what `kubectl get -o yaml` printed), for checks
 * without a cluster. Objects match on API group and kind, not version. Scope comes from the built-in table,
 * else from a CRD in the file, else from the objects of that kind in the file (namespaced when any has a
 * namespace, and when there are none at all, as most custom kinds are).
 */
export class ObjectsClusterReader implements ClusterReader {
  constructor(private readonly objects: readonly KubeObject[]) {}

  private ofKind(group: string, kind: string): KubeObject[] {
    return this.objects.filter((o) => o.kind === kind && groupOf(o.apiVersion) === group);
  }

  private crdFor(group: string, kind: string): KubeObject | undefined {
    return this.objects.find((o) => {
      if (!isCrd(o)) return false;
      const names = crdNames(o);
      return names.group === group && names.kind === kind;
    });
  }

  async resolve(apiVersion: string, kind: string): Promise<ResourceInfo | null> {
    const group = groupOf(apiVersion);
    const version = versionOf(apiVersion);
    const builtin = builtinKind(group, kind);
    if (builtin) return { group, version, resource: builtin.resource, namespaced: builtin.namespaced };
    const crd = this.crdFor(group, kind);
    if (crd) {
      const { plural, scope } = crdNames(crd);
      const resource = typeof plural === "string" ? plural : guessResource(kind);
      return { group, version, resource, namespaced: scope !== "Cluster" };
    }
    const objects = this.ofKind(group, kind);
    const namespaced = objects.length === 0 || objects.some((o) => o.metadata.namespace);
    return { group, version, resource: guessResource(kind), namespaced };
  }

  /**
   * The object of the same group, kind, namespace and name. An object saved without a namespace also matches a
   * namespaced ref, when no object has that namespace exactly; a ref whose namespace is not known (no
   * --namespace given and no Helm stamp in the file) matches the only object of that kind and name.
   */
  async get(ref: ObjectRef): Promise<GetResult> {
    const candidates = this.ofKind(groupOf(ref.apiVersion), ref.kind).filter(
      (o) => o.metadata.name === ref.name,
    );
    const object =
      candidates.find((o) => (o.metadata.namespace ?? null) === ref.namespace) ??
      candidates.find((o) => !o.metadata.namespace) ??
      (ref.namespace === null && candidates.length === 1 ? candidates[0] : undefined);
    return object ? { status: "found", object } : { status: "not-found" };
  }

  async listTypes(apiVersion: string, kind: string): Promise<ListTypes | null> {
    const crd = this.crdFor(groupOf(apiVersion), kind);
    return crd ? listTypesFromCrd(crd, versionOf(apiVersion)) : null;
  }
}
