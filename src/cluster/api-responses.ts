import { ClusterUnreachableError } from "../errors.js";
import { isPlainObject, type KubeObject } from "../model/kube.js";
import { listItem, missingIdentityFields } from "../sources/kube-object-shape.js";
import { parseApiResourceList } from "./api-discovery.js";
import { ApiServerError, ListExpiredError } from "./api-server-error.js";
import type { GetResult, ListResult, ResourceInfo } from "./cluster-reader.js";
import type { ApiResponse } from "./kube-api-client.js";

/** What discovery of one group-version found. */
export type DiscoveryOutcome =
  | { status: "served"; kinds: Map<string, ResourceInfo> }
  /** `detail` says why when it was not a plain 404 (an aggregated API that is down answers 503). */
  | { status: "not-served"; detail: string | null }
  | { status: "forbidden"; reason: string };

/** The `message` of a metav1.Status error body. */
export function statusMessage(body: unknown): string | null {
  return isPlainObject(body) && typeof body.message === "string" && body.message !== "" ? body.message : null;
}

export function httpDetail(response: ApiResponse): string {
  const message = statusMessage(response.body);
  return message === null ? `HTTP ${response.status}` : `HTTP ${response.status}: ${message}`;
}

export function unauthorized(server: string): ClusterUnreachableError {
  return new ClusterUnreachableError(
    `unauthorized: the API server at ${server} did not accept the credentials (HTTP 401)`,
  );
}

/** Discovery answer for `apiVersion` → outcome. 401 throws: nothing else will work either. */
export function discoveryOutcome(
  response: ApiResponse,
  apiVersion: string,
  server: string,
): DiscoveryOutcome {
  switch (response.status) {
    case 200:
      return { status: "served", kinds: parseApiResourceList(response.body, apiVersion) };
    case 401:
      throw unauthorized(server);
    case 403:
      return {
        status: "forbidden",
        reason: statusMessage(response.body) ?? `discovery of ${apiVersion} is forbidden`,
      };
    case 404:
      return { status: "not-served", detail: null };
    default:
      return { status: "not-served", detail: `discovery failed with ${httpDetail(response)}` };
  }
}

/** Why `apiVersion`/`kind` cannot be read, naming both. */
export function kindNotServedReason(apiVersion: string, kind: string, outcome: DiscoveryOutcome): string {
  if (outcome.status === "served") return `the cluster serves ${apiVersion} but not kind ${kind}`;
  const detail = outcome.status === "not-served" ? outcome.detail : outcome.reason;
  return `the cluster does not serve ${apiVersion} (kind ${kind})${detail ? `: ${detail}` : ""}`;
}

/**
 * An object GET → GetResult: 404 not-found, 403 forbidden with the server's message. 401 throws
 * ClusterUnreachableError (every request would fail); other statuses, and a 200 whose body is not a Kubernetes
 * object (a proxy's page, say), throw ApiServerError for this object only.
 */
export function getResultOf(response: ApiResponse, path: string, server: string): GetResult {
  switch (response.status) {
    case 200:
      if (isPlainObject(response.body) && missingIdentityFields(response.body).length === 0) {
        return { status: "found", object: response.body as KubeObject };
      }
      throw new ApiServerError(
        `the API server at ${server} answered GET ${path} with something that is not a Kubernetes object`,
      );
    case 404:
      return { status: "not-found" };
    case 403:
      return { status: "forbidden", reason: statusMessage(response.body) ?? "forbidden" };
    case 401:
      throw unauthorized(server);
    default:
      throw new ApiServerError(
        `the API server at ${server} answered GET ${path} with ${httpDetail(response)}`,
      );
  }
}

/**
 * A LIST answer → ListResult. Items of a LIST lack their own apiVersion and kind: they get the list's
 * (`ConfigMapList` → `ConfigMap`). 403 is forbidden with the server's message; 404 (the resource went away
 * since discovery) is kind-not-served; 410 (an expired `continue` token) throws ListExpiredError; 401 throws
 * ClusterUnreachableError; other statuses, and a 200 that is not a list of objects, throw ApiServerError.
 */
export function listResultOf(response: ApiResponse, path: string, server: string): ListResult {
  switch (response.status) {
    case 200:
      return listedPage(response.body, path, server);
    case 403:
      return { status: "forbidden", reason: statusMessage(response.body) ?? "forbidden" };
    case 404:
      return {
        status: "kind-not-served",
        reason: `the API server at ${server} answered GET ${path} with ${httpDetail(response)}`,
      };
    case 410:
      throw new ListExpiredError(path, server);
    case 401:
      throw unauthorized(server);
    default:
      throw new ApiServerError(
        `the API server at ${server} answered GET ${path} with ${httpDetail(response)}`,
      );
  }
}

function listedPage(body: unknown, path: string, server: string): ListResult {
  const notAList = () =>
    new ApiServerError(`the API server at ${server} answered GET ${path} with something that is not a list`);
  if (!isPlainObject(body) || typeof body.kind !== "string" || !body.kind.endsWith("List")) throw notAList();
  // Some aggregated APIs write an empty list as `items: null`.
  const rawItems = body.items === null ? [] : body.items;
  if (!Array.isArray(rawItems)) throw notAList();
  const list = { kind: body.kind, apiVersion: body.apiVersion };
  const items = rawItems.map((item) => {
    const object = listItem(list, item);
    if (!isPlainObject(object) || missingIdentityFields(object).length > 0) throw notAList();
    return object as KubeObject;
  });
  const metadata = isPlainObject(body.metadata) ? body.metadata : {};
  return {
    status: "listed",
    items,
    continue: typeof metadata.continue === "string" && metadata.continue !== "" ? metadata.continue : null,
    resourceVersion: typeof metadata.resourceVersion === "string" ? metadata.resourceVersion : null,
  };
}

/**
 * The CRD named in a GET of `customresourcedefinitions/NAME`, when it defines group/kind. Anything but a
 * found CRD is null (not a CRD, or no permission to read CRDs): list types then fall back; only 401 throws.
 */
export function crdOf(response: ApiResponse, group: string, kind: string, server: string): KubeObject | null {
  if (response.status === 401) throw unauthorized(server);
  if (response.status !== 200 || !isPlainObject(response.body)) return null;
  const spec = response.body.spec;
  if (!isPlainObject(spec) || spec.group !== group || !isPlainObject(spec.names) || spec.names.kind !== kind)
    return null;
  return response.body as KubeObject;
}
