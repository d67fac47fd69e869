import jsonPatch, { type Operation } from "fast-json-patch";
import type { KubeObject } from "../model/kube.js";

/**
 * The RFC 6902 patch that turns `live` into `repaired`, for `kubectl patch --type json`.
 * Fields the API server maintains (managedFields, resourceVersion, generation, status) are left out.
 *
 * Concurrency guard: every `replace` and `remove` is preceded by a `test` of the value helm-drift saw
 * (fast-json-patch `compare(…, invertible = true)`), so the server rejects the whole patch if one of those
 * fields changed meanwhile. A `test` of metadata.resourceVersion would be simpler but fails on every status
 * write by the object's controller (status updates bump resourceVersion), making the command stale within
 * seconds for busy objects while guarding fields the patch does not touch.
 */
export function repairPatch(live: KubeObject, repaired: KubeObject): Operation[] {
  return jsonPatch.compare(withoutServerFields(live), withoutServerFields(repaired), true);
}

function withoutServerFields(object: KubeObject): Record<string, unknown> {
  const { status: _status, metadata, ...rest } = object;
  const {
    managedFields: _managedFields,
    resourceVersion: _resourceVersion,
    generation: _generation,
    ...kept
  } = metadata;
  return { ...rest, metadata: kept };
}
