import type { KubeObject, ObjectRef } from "../model/kube.js";
import { ApiServerError } from "./api-server-error.js";
import type {
  ClusterReader,
  GetResult,
  ListOptions,
  ListResult,
  ListScope,
  ListTypes,
  ResourceInfo,
} from "./cluster-reader.js";
import { InflightCache } from "./inflight-cache.js";
import { listPages } from "./list-pages.js";

/**
 * From how many wanted objects of one (apiVersion, kind, namespace) a LIST is sent instead of GETs. Measured
 * with bench/list-vs-get.mjs against the test cluster's kube-apiserver 1.34 (a namespace holding 50 objects of
 * the kind; N GETs at once against one LIST, medians of 25 rounds, ms; a loaded 2-core machine, so noisy):
 *
 *     N    ConfigMap GETs / LIST    Deployment GETs / LIST
 *     1         6.0 /  7.2                9.6 / 17.0
 *     2        14.5 /  9.3                7.8 / 13.7
 *     3        21.6 /  9.9               17.2 / 20.0
 *     4        19.6 /  7.3               12.6 / 15.8
 *     8        43.1 /  7.0               26.6 / 14.5
 *    16        75.0 /  7.8               80.0 / 19.9
 *
 * Small objects cross over at 2, Deployments (larger, with managedFields) between 4 and 8; from 4 a LIST is
 * never slower than the GETs by more than the noise, and it is one request instead of four or more.
 */
export const LIST_THRESHOLD = 4;

/** Objects per LIST page: a namespace of many objects of the kind is read, and dropped, a page at a time. */
export const LIST_PAGE_SIZE = 500;

/**
 * A kind wanted in several namespaces is read with one LIST across all of them when the whole cluster holds at
 * most this many times the objects wanted (a `limit=1` LIST says how many, in `remainingItemCount`): one
 * request per kind instead of one per namespace, and never a read of many objects nobody wants.
 */
export const CLUSTER_WIDE_FACTOR = 2;

/**
 * A listed object waiting to be handed out, as JSON text. Every wanted object of a kind is read before the
 * first is handed out, and held as parsed objects, 40 000 of them were most of the run's memory (a parsed
 * object takes about three times its JSON: bench/fleet.mjs --objects-per-release 20). Writing each out once
 * and parsing it again when handed out costs about 15 µs per object.
 */
type HeldObject = string;

function hold(object: KubeObject): HeldObject {
  return JSON.stringify(object);
}

function handOutHeld(held: HeldObject): KubeObject {
  return JSON.parse(held) as KubeObject;
}

/** The objects a group's LIST found among the wanted ones, and whether the LIST read every page. */
interface Listed {
  /** The wanted names still to be handed out; a name handed out, or not wanted, is read with a GET. */
  wanted: Set<string>;
  found: Map<string, HeldObject>;
  /** Every page was read: a wanted object absent from it does not exist (at the list's resourceVersion). */
  complete: boolean;
}

interface Group {
  scope: ListScope;
  names: Set<string>;
}

/**
 * `apiVersion`, not only the API group: a LIST serves its objects at the version it names, and `get` must hand
 * out the object as a GET of that version would.
 */
function groupKey(ref: Pick<ObjectRef, "apiVersion" | "kind" | "namespace">): string {
  return JSON.stringify([ref.apiVersion, ref.kind, ref.namespace]);
}

/**
 * A ClusterReader that reads the objects it was told about (`prefetch`) with one paged LIST per (apiVersion,
 * kind, namespace — or cluster-scoped) group of at least `threshold` of them, instead of one GET each. The
 * LIST of a group is sent on the first `get` of one of its objects (concurrent gets share it); only the wanted
 * objects of each page are kept, each handed out once. A wanted object absent from a complete LIST is
 * `not-found`: the LIST is as authoritative as a GET, at its resourceVersion.
 *
 * Every other read goes to `inner` as it is: objects nobody announced, groups below the threshold, and the
 * objects of a group whose LIST was refused (403: RBAC may grant get without list), answered that the kind
 * is not served, or failed after the retries (an ApiServerError, such as a 500 or an expired continue token).
 * A failed LIST never becomes "not found": its objects are read one by one, and fail as their GETs do. A
 * failure that would stop every read (unreachable server, refused credentials, the run's deadline) is thrown.
 *
 * A LIST across all namespaces costs what every object of the kind in the cluster costs (every revision's
 * release Secret, up to 1 MiB each, for Secrets), which the wanted objects alone cannot bound. So when a kind's
 * listed groups lie in two namespaces or more, one LIST with `limit=1` across all namespaces first asks how many
 * objects of the kind there are; when that is at most CLUSTER_WIDE_FACTOR times the objects wanted in those
 * groups, they are all read with one paged LIST across the cluster. Otherwise (or when that LIST is refused:
 * RBAC may grant list only in some namespaces, or the server does not say how many) each group is listed in
 * its own namespace, as before.
 */
export class BatchingReader implements ClusterReader {
  private readonly groups = new Map<string, Group>();
  private readonly listed = new InflightCache<Listed>();
  /** By apiVersion and kind: the one LIST across all namespaces of its listed groups, or null when not worth it. */
  private readonly clusterWide = new InflightCache<Listed | null>();
  private readonly lists: Listed[] = [];

  constructor(
    private readonly inner: ClusterReader,
    private readonly threshold = LIST_THRESHOLD,
    private readonly pageSize = LIST_PAGE_SIZE,
  ) {}

  prefetch(refs: readonly ObjectRef[]): void {
    for (const ref of refs) {
      const key = groupKey(ref);
      let group = this.groups.get(key);
      if (group === undefined) {
        group = {
          scope: { apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace },
          names: new Set(),
        };
        this.groups.set(key, group);
      }
      group.names.add(ref.name);
    }
  }

  /** How many objects LISTs read that are not handed out yet: only wanted ones are ever kept. */
  get held(): number {
    return this.lists.reduce((sum, listed) => sum + listed.found.size, 0);
  }

  resolve(apiVersion: string, kind: string): Promise<ResourceInfo | null> {
    return this.inner.resolve(apiVersion, kind);
  }

  async get(ref: ObjectRef): Promise<GetResult> {
    const key = groupKey(ref);
    const group = this.groups.get(key);
    if (group === undefined || group.names.size < this.threshold || !group.names.has(ref.name)) {
      return this.inner.get(ref);
    }
    if (ref.namespace !== null) {
      const kindKey = JSON.stringify([ref.apiVersion, ref.kind]);
      const wide = await this.clusterWide.get(kindKey, () => this.listClusterWide(ref.apiVersion, ref.kind));
      if (wide !== null) return this.handOut(wide, `${ref.namespace}/${ref.name}`, ref);
    }
    const listed = await this.listed.get(key, () => this.listGroup(group));
    return this.handOut(listed, ref.name, ref);
  }

  /** A wanted object from a LIST, once; a GET when it was handed out already or the LIST was cut short. */
  private handOut(listed: Listed, name: string, ref: ObjectRef): Promise<GetResult> | GetResult {
    if (!listed.wanted.delete(name)) return this.inner.get(ref);
    const held = listed.found.get(name);
    listed.found.delete(name);
    if (held !== undefined) return { status: "found", object: handOutHeld(held) };
    return listed.complete ? { status: "not-found" } : this.inner.get(ref);
  }

  list(scope: ListScope, options?: ListOptions): Promise<ListResult> {
    return this.inner.list(scope, options);
  }

  listTypes(apiVersion: string, kind: string): Promise<ListTypes | null> {
    return this.inner.listTypes(apiVersion, kind);
  }

  /**
   * One LIST across all namespaces for the listed groups of a namespaced kind, keyed `namespace/name`, when they
   * lie in two namespaces or more and the cluster holds at most CLUSTER_WIDE_FACTOR times the objects wanted;
   * else null (each group is then listed in its own namespace). Null too when that LIST is refused or fails:
   * nothing is concluded from a cluster-wide LIST that did not complete.
   */
  private async listClusterWide(apiVersion: string, kind: string): Promise<Listed | null> {
    const wanted = new Set<string>();
    let namespaces = 0;
    for (const group of this.groups.values()) {
      const { scope } = group;
      if (scope.apiVersion !== apiVersion || scope.kind !== kind || scope.namespace === null) continue;
      if (group.names.size < this.threshold) continue;
      namespaces++;
      for (const name of group.names) wanted.add(`${scope.namespace}/${name}`);
    }
    if (namespaces < 2) return null;
    const scope: ListScope = { apiVersion, kind, namespace: null };
    const found = new Map<string, HeldObject>();
    try {
      const info = await this.inner.resolve(apiVersion, kind);
      if (info === null || !info.namespaced) return null;
      const probe = await this.inner.list(scope, { limit: 1 });
      if (probe.status !== "listed") return null;
      const total =
        probe.continue === null
          ? probe.items.length
          : probe.items.length + (probe.remainingItemCount ?? Infinity);
      if (total > CLUSTER_WIDE_FACTOR * wanted.size) return null;
      const listed: Listed = { wanted, found, complete: false };
      this.lists.push(listed);
      for await (const page of listPages(this.inner, scope, { limit: this.pageSize })) {
        if (page.status !== "listed") {
          found.clear();
          return null;
        }
        for (const item of page.items) {
          const key = `${item.metadata.namespace ?? ""}/${item.metadata.name}`;
          if (wanted.has(key)) found.set(key, hold(item));
        }
      }
      listed.complete = true;
      return listed;
    } catch (error) {
      found.clear();
      if (error instanceof ApiServerError) return null;
      throw error;
    }
  }

  /** One LIST of the group, page by page, keeping only its wanted objects. */
  private async listGroup(group: Group): Promise<Listed> {
    const wanted = new Set(group.names);
    const found = new Map<string, HeldObject>();
    const listed: Listed = { wanted, found, complete: false };
    this.lists.push(listed);
    try {
      // A namespaced kind without a namespace would be listed across all namespaces: leave it to get.
      const info = await this.inner.resolve(group.scope.apiVersion, group.scope.kind);
      if (info === null || (info.namespaced && group.scope.namespace === null)) return listed;
      const namespace = info.namespaced ? group.scope.namespace : null;
      for await (const page of listPages(this.inner, group.scope, { limit: this.pageSize })) {
        if (page.status !== "listed") return listed;
        for (const item of page.items) {
          const { name } = item.metadata;
          if (wanted.has(name) && (item.metadata.namespace ?? null) === namespace)
            found.set(name, hold(item));
        }
      }
      listed.complete = true;
      return listed;
    } catch (error) {
      if (error instanceof ApiServerError) return listed;
      found.clear();
      throw error;
    }
  }
}
