import { isPlainObject } from "../model/kube.js";
import type { ResourceInfo } from "./cluster-reader.js";

/** `v1`, `apps/v1`, `actions.github.com/v1alpha1`: what may be put in a URL path as is. */
const API_VERSION = /^(?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[a-z0-9]+$/;

export function isValidApiVersion(apiVersion: string): boolean {
  return API_VERSION.test(apiVersion);
}

/** The discovery path of a group-version: `/api/v1` for the core group, `/apis/GROUP/VERSION` otherwise. */
export function discoveryPath(apiVersion: string): string {
  return apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/**
 * Kinds served by one group-version, from its APIResourceList (`GET /apis/GROUP/VERSION`); null when the body
 * is not an APIResourceList (a proxy's page, a body cut short): that says nothing about which kinds are served.
 * Subresources (`deployments/scale` of kind Scale, `pods/log` of kind Pod) are skipped: they are not where
 * objects live.
 */
export function parseApiResourceList(body: unknown, apiVersion: string): Map<string, ResourceInfo> | null {
  const slash = apiVersion.indexOf("/");
  const group = slash === -1 ? "" : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const kinds = new Map<string, ResourceInfo>();
  if (!isPlainObject(body) || body.kind !== "APIResourceList" || !Array.isArray(body.resources)) return null;
  const resources = body.resources;
  for (const resource of resources) {
    if (!isPlainObject(resource) || typeof resource.name !== "string" || typeof resource.kind !== "string")
      continue;
    if (resource.name.includes("/") || kinds.has(resource.kind)) continue;
    kinds.set(resource.kind, {
      group,
      version,
      resource: resource.name,
      namespaced: resource.namespaced === true,
    });
  }
  return kinds;
}
