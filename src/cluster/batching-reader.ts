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

/** The objects a group's LIST found among the wanted ones, and whether the LIST read every page. */
interface Listed {
  /** The wanted names still to be handed out; a name handed out, or not wanted, is read with a GET. */
  wanted: Set<string>;
  found: Map<string, KubeObject>;
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
 * No LIST spans all namespaces: its cost grows with every object of the kind in the cluster (every revision's
 * release Secret, up to 1 MiB each, for Secrets), which the wanted objects cannot bound. With
 * `--all-namespaces`, namespaces holding at least `threshold` wanted objects of a kind are listed, the others
 * read with GETs.
 */
export class BatchingReader implements ClusterReader {
  private readonly groups = new Map<string, Group>();
  private readonly listed = new InflightCache<Listed>();
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
    const listed = await this.listed.get(key, () => this.listGroup(group));
    if (!listed.wanted.delete(ref.name)) return this.inner.get(ref);
    const object = listed.found.get(ref.name);
    listed.found.delete(ref.name);
    if (object !== undefined) return { status: "found", object };
    return listed.complete ? { status: "not-found" } : this.inner.get(ref);
  }

  list(scope: ListScope, options?: ListOptions): Promise<ListResult> {
    return this.inner.list(scope, options);
  }

  listTypes(apiVersion: string, kind: string): Promise<ListTypes | null> {
    return this.inner.listTypes(apiVersion, kind);
  }

  /** One LIST of the group, page by page, keeping only its wanted objects. */
  private async listGroup(group: Group): Promise<Listed> {
    const wanted = new Set(group.names);
    const found = new Map<string, KubeObject>();
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
          if (wanted.has(name) && (item.metadata.namespace ?? null) === namespace) found.set(name, item);
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
