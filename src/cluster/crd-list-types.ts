import { isPlainObject, type KubeObject } from "../model/kube.js";
import type { ListTypes } from "./cluster-reader.js";

type ListType = "atomic" | "set" | "map";

function isListType(value: unknown): value is ListType {
  return value === "atomic" || value === "set" || value === "map";
}

/** The openAPIV3Schema a CRD gives `version` (`spec.versions[].schema`), or its top-level one when it has a single schema. */
function schemaFor(crd: KubeObject, version: string): Record<string, unknown> | null {
  const spec = isPlainObject(crd.spec) ? crd.spec : {};
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isPlainObject) : [];
  const entry = versions.find((v) => v.name === version);
  if (entry === undefined && !(versions.length === 0 && spec.version === version)) return null;
  const perVersion = isPlainObject(entry?.schema) ? entry.schema.openAPIV3Schema : undefined;
  // apiextensions.k8s.io/v1beta1 CRDs could hold one schema for all versions in spec.validation.
  const shared = isPlainObject(spec.validation) ? spec.validation.openAPIV3Schema : undefined;
  const schema = perVersion ?? shared;
  return isPlainObject(schema) ? schema : null;
}

function collect(
  schema: Record<string, unknown>,
  path: string[],
  out: Map<string, { type: ListType; keys: string[] }>,
) {
  const listType = schema["x-kubernetes-list-type"];
  if (isListType(listType)) {
    const keys = schema["x-kubernetes-list-map-keys"];
    out.set(path.join("."), {
      type: listType,
      keys: Array.isArray(keys) ? keys.filter((key): key is string => typeof key === "string") : [],
    });
  }
  if (isPlainObject(schema.properties)) {
    for (const [name, child] of Object.entries(schema.properties)) {
      if (isPlainObject(child)) collect(child, [...path, name], out);
    }
  }
  // List items add no segment to the path. Values of free-form maps (additionalProperties) are not followed:
  // their keys are data, not field names, so no fixed path can name them.
  if (isPlainObject(schema.items)) collect(schema.items, path, out);
}

/**
 * The explicit list-type markers of a CRD's schema for one version, keyed by field path
 * (`spec.template.spec.containers` → map keyed by `name`). Lists without a marker are absent, so callers can
 * fall back to what they know (e.g. the PodSpec merge keys). Null when the CRD has no schema for `version`.
 */
export function listTypesFromCrd(crd: KubeObject, version: string): ListTypes | null {
  const schema = schemaFor(crd, version);
  if (schema === null) return null;
  const out = new Map<string, { type: ListType; keys: string[] }>();
  collect(schema, [], out);
  return out;
}
