import type { ListTypes } from "../../../src/cluster/cluster-reader.js";
import { isPlainObject } from "../../../src/model/kube.js";

/**
 * Test-only: the list-type facts of one served version of a CRD, in the format cluster-reader.ts documents
 * (schema path of field names joined by ".", list items add no segment). The production extractor lives in
 * src/cluster/; this one exists so the diff tests can use the real ARC CRD.
 */
export function listTypesFromCrd(crd: unknown, version: string): ListTypes {
  const versions = isPlainObject(crd) && isPlainObject(crd.spec) ? crd.spec.versions : undefined;
  const served = Array.isArray(versions)
    ? versions.find((v) => isPlainObject(v) && v.name === version)
    : undefined;
  const schema =
    isPlainObject(served) && isPlainObject(served.schema) ? served.schema.openAPIV3Schema : undefined;
  if (!isPlainObject(schema)) throw new Error(`CRD has no openAPIV3Schema for version ${version}`);
  const facts = new Map<string, { type: "atomic" | "set" | "map"; keys: string[] }>();
  collect(schema, [], facts);
  return facts;
}

function collect(
  schema: Record<string, unknown>,
  path: string[],
  facts: Map<string, { type: "atomic" | "set" | "map"; keys: string[] }>,
): void {
  const listType = schema["x-kubernetes-list-type"];
  if (listType === "atomic" || listType === "set" || listType === "map") {
    const keys = schema["x-kubernetes-list-map-keys"];
    facts.set(path.join("."), { type: listType, keys: Array.isArray(keys) ? keys.map(String) : [] });
  }
  if (isPlainObject(schema.properties)) {
    for (const [name, child] of Object.entries(schema.properties)) {
      if (isPlainObject(child)) collect(child, [...path, name], facts);
    }
  }
  if (isPlainObject(schema.items)) collect(schema.items, path, facts);
}
