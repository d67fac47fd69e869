import { ClusterUnreachableError } from "../errors.js";
import { isPlainObject, type KubeObject } from "../model/kube.js";
import { missingIdentityFields } from "../sources/kube-object-shape.js";
import { parseApiResourceList } from "./api-discovery.js";
import { ApiServerError } from "./api-server-error.js";
import type { GetResult, ResourceInfo } from "./cluster-reader.js";
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
