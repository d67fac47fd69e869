import { groupOf, isPlainObject, type KubeObject, type ObjectRef } from "../model/kube.js";
import { builtinKind } from "./builtin-kinds.js";
import {
  type ClusterReader,
  type GetResult,
  type ListOptions,
  type ListResult,
  type ListScope,
  type ListTypes,
  pageLimit,
  type ResourceInfo,
} from "./cluster-reader.js";
import { listTypesFromCrd } from "./crd-list-types.js";
import { parseLabelSelector } from "./label-selector.js";

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

/** Objects match on API group and kind, never version: the index key. */
function kindKey(group: string, kind: string): string {
  return `${group}/${kind}`;
}

/** The objects of one group and kind, in file order. */
interface KindIndex {
  all: KubeObject[];
  byName: Map<string, KubeObject[]>;
  /** Whether any of them has a namespace (the scope of a kind known neither as built-in nor from a CRD). */
  anyNamespaced: boolean;
}

/** What an offline continue token holds: where the next page starts, and which list it belongs to. */
interface OfflineContinue {
  list: string;
  offset: number;
}

/**
 * A ClusterReader over objects read from a file (`--live`, what `kubectl get -o yaml` printed), for checks
 * without a cluster. Objects match on API group and kind, not version. Scope comes from the built-in table,
 * else from a CRD in the file, else from the objects of that kind in the file (namespaced when any has a
 * namespace, and when there are none at all, as most custom kinds are).
 *
 * The objects are indexed once, here, by group/kind and name (and CRDs by the group/kind they define): a
 * look-up costs the same whether the file holds ten objects or twenty thousand. The array and its objects
 * must not change afterwards.
 */
export class ObjectsClusterReader implements ClusterReader {
  private readonly kinds = new Map<string, KindIndex>();
  /** The first CRD in the file defining each group/kind. */
  private readonly crds = new Map<string, KubeObject>();

  constructor(objects: readonly KubeObject[]) {
    for (const object of objects) {
      const key = kindKey(groupOf(object.apiVersion), object.kind);
      let index = this.kinds.get(key);
      if (index === undefined) {
        index = { all: [], byName: new Map(), anyNamespaced: false };
        this.kinds.set(key, index);
      }
      index.all.push(object);
      const named = index.byName.get(object.metadata.name);
      if (named === undefined) index.byName.set(object.metadata.name, [object]);
      else named.push(object);
      if (object.metadata.namespace) index.anyNamespaced = true;
      if (isCrd(object)) {
        const { group, kind } = crdNames(object);
        if (typeof group === "string" && typeof kind === "string" && !this.crds.has(kindKey(group, kind))) {
          this.crds.set(kindKey(group, kind), object);
        }
      }
    }
  }

  async resolve(apiVersion: string, kind: string): Promise<ResourceInfo | null> {
    const group = groupOf(apiVersion);
    const version = versionOf(apiVersion);
    const builtin = builtinKind(group, kind);
    if (builtin) return { group, version, resource: builtin.resource, namespaced: builtin.namespaced };
    const crd = this.crds.get(kindKey(group, kind));
    if (crd) {
      const { plural, scope } = crdNames(crd);
      const resource = typeof plural === "string" ? plural : guessResource(kind);
      return { group, version, resource, namespaced: scope !== "Cluster" };
    }
    const index = this.kinds.get(kindKey(group, kind));
    const namespaced = index === undefined || index.anyNamespaced;
    return { group, version, resource: guessResource(kind), namespaced };
  }

  /**
   * The object of the same group, kind, namespace and name. An object saved without a namespace also matches a
   * namespaced ref, when no object has that namespace exactly; a ref whose namespace is not known (no
   * --namespace given and no Helm stamp in the file) matches the only object of that kind and name.
   */
  async get(ref: ObjectRef): Promise<GetResult> {
    const candidates = this.kinds.get(kindKey(groupOf(ref.apiVersion), ref.kind))?.byName.get(ref.name) ?? [];
    const object = pick(candidates, ref.namespace);
    return object ? { status: "found", object } : { status: "not-found" };
  }

  /**
   * The objects of a kind in file order, a page at a time. A namespaced list holds, for each name, exactly the
   * object `get` finds in that namespace (so an object saved without a namespace is listed in every namespace
   * that has no object of its name); a list of all namespaces, or of a cluster-scoped kind, holds every object
   * of the kind. A kind with no object in the file lists empty: offline, every kind is served. The continue
   * token is only good for the same scope and label selector.
   */
  async list(scope: ListScope, options: ListOptions = {}): Promise<ListResult> {
    const limit = pageLimit(options);
    const info = await this.resolve(scope.apiVersion, scope.kind);
    const namespace = info?.namespaced ? scope.namespace : null;
    const selector = parseLabelSelector(options.labelSelector ?? "");
    const listKey = JSON.stringify([
      kindKey(groupOf(scope.apiVersion), scope.kind),
      namespace,
      options.labelSelector ?? "",
    ]);
    const matching = this.inScope(scope, namespace).filter((o) => selector(o.metadata.labels));
    const start = options.continue === undefined ? 0 : offsetOf(options.continue, listKey, matching.length);
    const end = limit === null ? matching.length : Math.min(start + limit, matching.length);
    return {
      status: "listed",
      items: matching.slice(start, end),
      continue: end < matching.length ? continueToken({ list: listKey, offset: end }) : null,
      resourceVersion: null,
    };
  }

  private inScope(scope: ListScope, namespace: string | null): KubeObject[] {
    const index = this.kinds.get(kindKey(groupOf(scope.apiVersion), scope.kind));
    if (index === undefined) return [];
    if (namespace === null) return index.all;
    // The same choice as get, name by name, so that list and get agree.
    return index.all.filter((object) => {
      const named = index.byName.get(object.metadata.name) ?? [];
      return pick(named, namespace) === object;
    });
  }

  async listTypes(apiVersion: string, kind: string): Promise<ListTypes | null> {
    const crd = this.crds.get(kindKey(groupOf(apiVersion), kind));
    return crd ? listTypesFromCrd(crd, versionOf(apiVersion)) : null;
  }
}

/** `get`'s choice among the objects of one group, kind and name (see ObjectsClusterReader.get). */
function pick(candidates: readonly KubeObject[], namespace: string | null): KubeObject | undefined {
  return (
    candidates.find((o) => (o.metadata.namespace ?? null) === namespace) ??
    candidates.find((o) => !o.metadata.namespace) ??
    (namespace === null && candidates.length === 1 ? candidates[0] : undefined)
  );
}

function continueToken(token: OfflineContinue): string {
  return Buffer.from(JSON.stringify(token), "utf8").toString("base64url");
}

/** Where a page starts, from a token this reader made for the same list; anything else is a caller's bug. */
function offsetOf(token: string, listKey: string, length: number): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    parsed = null;
  }
  if (
    !isPlainObject(parsed) ||
    parsed.list !== listKey ||
    typeof parsed.offset !== "number" ||
    !Number.isInteger(parsed.offset) ||
    parsed.offset < 0 ||
    parsed.offset > length
  ) {
    throw new Error(`continue token "${token}" does not belong to this list`);
  }
  return parsed.offset;
}
