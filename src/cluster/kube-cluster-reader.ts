import { KubeConfig } from "@kubernetes/client-node/dist/config.js";
import { groupOf, type KubeObject, type ObjectRef } from "../model/kube.js";
import { discoveryPath, isValidApiVersion } from "./api-discovery.js";
import {
  crdOf,
  type DiscoveryOutcome,
  discoveryOutcome,
  getResultOf,
  kindNotServedReason,
  listResultOf,
} from "./api-responses.js";
import { ApiServerError, ForbiddenError } from "./api-server-error.js";
import { isBuiltinGroup } from "./builtin-kinds.js";
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
import { InflightCache } from "./inflight-cache.js";
import { type KubeApi, KubeApiClient } from "./kube-api-client.js";

/** The URL path of one object: `/api/v1/namespaces/NS/RES/NAME` or `/apis/G/V/[namespaces/NS/]RES/NAME`. */
export function objectPath(info: ResourceInfo, ref: ObjectRef): string {
  const namespace = info.namespaced ? `/namespaces/${encodeURIComponent(ref.namespace ?? "")}` : "";
  return `${discoveryPath(ref.apiVersion)}${namespace}/${info.resource}/${encodeURIComponent(ref.name)}`;
}

/**
 * The URL of one page of a list: `/api/v1/[namespaces/NS/]RES` or `/apis/G/V/[namespaces/NS/]RES`, all
 * namespaces when `scope.namespace` is null, with `limit`, `continue` and `labelSelector` as given.
 */
export function listPath(info: ResourceInfo, scope: ListScope, options: ListOptions): string {
  const namespace =
    info.namespaced && scope.namespace !== null ? `/namespaces/${encodeURIComponent(scope.namespace)}` : "";
  const query = new URLSearchParams();
  const limit = pageLimit(options);
  if (limit !== null) query.set("limit", String(limit));
  if (options.continue !== undefined) query.set("continue", options.continue);
  if (options.labelSelector !== undefined) query.set("labelSelector", options.labelSelector);
  const search = query.size > 0 ? `?${query}` : "";
  return `${discoveryPath(scope.apiVersion)}${namespace}/${info.resource}${search}`;
}

/**
 * Reads a live cluster through its API server: discovery (one request per group-version, shared by concurrent
 * callers and cached), objects as raw JSON, and list types from CRDs. Requests are retried by the KubeApi
 * (src/cluster/retry.ts). A group-version whose discovery failed is not "not served": resolve, get and list
 * throw ApiServerError for it, so its objects are Unreadable, never Missing; the failure is not cached, so a
 * later caller asks again.
 */
export class KubeClusterReader implements ClusterReader {
  private readonly discovery = new InflightCache<Exclude<DiscoveryOutcome, { status: "failed" }>>();
  private readonly crds = new InflightCache<KubeObject | null>();

  private readonly api: KubeApi;

  /** A KubeConfig is read through KubeApiClient (with its default retries and timeout); a KubeApi is used as given. */
  constructor(source: KubeConfig | KubeApi) {
    this.api = source instanceof KubeConfig ? new KubeApiClient(source) : source;
  }

  /** Discovery of a group-version; a `failed` outcome is thrown as ApiServerError, and so not cached. */
  private async discover(apiVersion: string): Promise<Exclude<DiscoveryOutcome, { status: "failed" }>> {
    if (!isValidApiVersion(apiVersion)) return { status: "not-served", detail: "not a valid apiVersion" };
    return this.discovery.get(apiVersion, async () => {
      const outcome = discoveryOutcome(
        await this.api.getJson(discoveryPath(apiVersion)),
        apiVersion,
        this.api.server,
      );
      if (outcome.status === "failed") throw new ApiServerError(outcome.reason);
      return outcome;
    });
  }

  /**
   * Null only when discovery says the kind is not served; a forbidden discovery throws ForbiddenError, a failed
   * one ApiServerError.
   */
  async resolve(apiVersion: string, kind: string): Promise<ResourceInfo | null> {
    const outcome = await this.discover(apiVersion);
    if (outcome.status === "forbidden") {
      throw new ForbiddenError(`cannot tell whether the cluster serves ${apiVersion}: ${outcome.reason}`);
    }
    return outcome.status === "served" ? (outcome.kinds.get(kind) ?? null) : null;
  }

  /** How apiVersion/kind is served, or why it cannot be read (what get and list answer then). */
  private async served(
    apiVersion: string,
    kind: string,
  ): Promise<
    { status: "served"; info: ResourceInfo } | { status: "forbidden" | "kind-not-served"; reason: string }
  > {
    const outcome = await this.discover(apiVersion);
    if (outcome.status === "forbidden") return { status: "forbidden", reason: outcome.reason };
    const info = outcome.status === "served" ? outcome.kinds.get(kind) : undefined;
    if (info === undefined)
      return { status: "kind-not-served", reason: kindNotServedReason(apiVersion, kind, outcome) };
    return { status: "served", info };
  }

  async get(ref: ObjectRef): Promise<GetResult> {
    const served = await this.served(ref.apiVersion, ref.kind);
    if (served.status !== "served") return served;
    if (served.info.namespaced && !ref.namespace) {
      throw new Error(`get ${ref.kind}/${ref.name}: namespaced kind without a namespace`);
    }
    const path = objectPath(served.info, ref);
    return getResultOf(await this.api.getJson(path), path, this.api.server);
  }

  /** One page of a LIST (`GET …/RES?limit=N&continue=T`); see ClusterReader.list. */
  async list(scope: ListScope, options: ListOptions = {}): Promise<ListResult> {
    const served = await this.served(scope.apiVersion, scope.kind);
    if (served.status !== "served") return served;
    const path = listPath(served.info, scope, options);
    return listResultOf(await this.api.getJson(path), path, this.api.server);
  }

  async listTypes(apiVersion: string, kind: string): Promise<ListTypes | null> {
    const group = groupOf(apiVersion);
    if (isBuiltinGroup(group)) return null;
    const info = await this.resolve(apiVersion, kind);
    if (info === null) return null;
    // A CRD's name is always `<plural>.<group>` (the API server enforces it), so one GET finds it.
    const name = `${info.resource}.${group}`;
    const crd = await this.crds.get(name, async () => {
      const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`;
      return crdOf(await this.api.getJson(path), path, group, kind, this.api.server);
    });
    return crd === null ? null : listTypesFromCrd(crd, info.version);
  }
}
