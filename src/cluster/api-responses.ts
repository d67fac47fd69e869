import { ClusterUnreachableError } from "../errors.js";
import { isPlainObject, type KubeObject } from "../model/kube.js";
import { listItem, missingIdentityFields } from "../sources/kube-object-shape.js";
import { discoveryPath, parseApiResourceList } from "./api-discovery.js";
import { ApiServerError, ListExpiredError } from "./api-server-error.js";
import type { GetResult, ListResult, ResourceInfo } from "./cluster-reader.js";
import type { ApiResponse } from "./kube-api-client.js";

/**
 * What discovery of one group-version found. Only a 404 says the group-version is not served; a refusal is
 * `forbidden`, and any other answer (a 503 from an aggregated API that is down, a 429 still there after the
 * retries, a body that is not an APIResourceList) is `failed`: the cluster could not be asked, which says
 * nothing about whether the objects exist.
 */
export type DiscoveryOutcome =
  | { status: "served"; kinds: Map<string, ResourceInfo> }
  | { status: "not-served"; detail: string | null }
  | { status: "forbidden"; reason: string }
  | { status: "failed"; reason: string };

/** The `message` of a metav1.Status error body. */
export function statusMessage(body: unknown): string | null {
  return isPlainObject(body) && typeof body.message === "string" && body.message !== "" ? body.message : null;
}

/** `HTTP 503: the server is currently unable to handle the request (tried 5 times)`. */
export function httpDetail(response: ApiResponse): string {
  const message = statusMessage(response.body);
  const tries = (response.attempts ?? 1) > 1 ? ` (tried ${response.attempts} times)` : "";
  return `${message === null ? `HTTP ${response.status}` : `HTTP ${response.status}: ${message}`}${tries}`;
}

export function unauthorized(server: string): ClusterUnreachableError {
  return new ClusterUnreachableError(
    `unauthorized: the API server at ${server} did not accept the credentials (HTTP 401)`,
  );
}

/**
 * Discovery answer for `apiVersion` → outcome: 200 with an APIResourceList is served, 404 not served, 403
 * forbidden, anything else failed (the answer after the retries of src/cluster/retry.ts). 401 throws: nothing
 * else will work either.
 */
export function discoveryOutcome(
  response: ApiResponse,
  apiVersion: string,
  server: string,
): DiscoveryOutcome {
  const path = discoveryPath(apiVersion);
  switch (response.status) {
    case 200: {
      const kinds = parseApiResourceList(response.body, apiVersion);
      if (kinds !== null) return { status: "served", kinds };
      return {
        status: "failed",
        reason: `the API server at ${server} answered GET ${path} with something that is not an APIResourceList`,
      };
    }
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
      return {
        status: "failed",
        reason: `cannot tell whether the cluster serves ${apiVersion}: the API server at ${server} answered GET ${path} with ${httpDetail(response)}`,
      };
  }
}

/** Why `apiVersion`/`kind` is not served, naming both. */
export function kindNotServedReason(
  apiVersion: string,
  kind: string,
  outcome: Extract<DiscoveryOutcome, { status: "served" | "not-served" }>,
): string {
  if (outcome.status === "served") return `the cluster serves ${apiVersion} but not kind ${kind}`;
  return `the cluster does not serve ${apiVersion} (kind ${kind})${outcome.detail ? `: ${outcome.detail}` : ""}`;
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
    ...(Number.isSafeInteger(metadata.remainingItemCount) && (metadata.remainingItemCount as number) >= 0
      ? { remainingItemCount: metadata.remainingItemCount as number }
      : {}),
  };
}

/**
 * The CRD named in a GET of `customresourcedefinitions/NAME`, when it defines group/kind. Not found, not a
 * CRD of that kind, or no permission to read CRDs is null: list types then fall back. 401 throws
 * ClusterUnreachableError; any other status (a 503 after the retries) throws ApiServerError, since falling back
 * to other list types could report drift that is not there.
 */
export function crdOf(
  response: ApiResponse,
  path: string,
  group: string,
  kind: string,
  server: string,
): KubeObject | null {
  if (response.status === 401) throw unauthorized(server);
  if (response.status === 403 || response.status === 404) return null;
  if (response.status !== 200) {
    throw new ApiServerError(`the API server at ${server} answered GET ${path} with ${httpDetail(response)}`);
  }
  if (!isPlainObject(response.body)) return null;
  const spec = response.body.spec;
  if (!isPlainObject(spec) || spec.group !== group || !isPlainObject(spec.names) || spec.names.kind !== kind)
    return null;
  return response.body as KubeObject;
}
