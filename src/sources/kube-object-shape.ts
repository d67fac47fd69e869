import { InputError } from "../errors.js";
import { isPlainObject, type KubeObject } from "../model/kube.js";
import { nestsTooDeeply, TOO_DEEP } from "./nesting-depth.js";

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  return `a ${typeof value}`;
}

/** The identifying fields a document lacks: `apiVersion`, `kind`, `metadata.name` (non-empty strings). */
export function missingIdentityFields(value: Record<string, unknown>): string[] {
  const missing: string[] = [];
  if (typeof value.apiVersion !== "string" || value.apiVersion === "") missing.push("apiVersion");
  if (typeof value.kind !== "string" || value.kind === "") missing.push("kind");
  const metadata = value.metadata;
  if (!isPlainObject(metadata) || typeof metadata.name !== "string" || metadata.name === "") {
    missing.push("metadata.name");
  }
  return missing;
}

/** `value` as a KubeObject, or an InputError at `line` naming what is missing. */
export function toKubeObject(value: unknown, origin: string, line: number): KubeObject {
  if (!isPlainObject(value)) {
    throw new InputError(origin, `not a Kubernetes object: the document is ${describeValue(value)}`, line);
  }
  const missing = missingIdentityFields(value);
  if (missing.length > 0) {
    throw new InputError(origin, `not a Kubernetes object: no ${missing.join(", no ")}`, line);
  }
  const malformed = malformedIdentity(value as KubeObject);
  if (malformed) throw new InputError(origin, malformed, line);
  if (nestsTooDeeply(value))
    throw new InputError(origin, `${describeObject(value as KubeObject)}: ${TOO_DEEP}`, line);
  return value as KubeObject;
}

/**
 * Kinds are CamelCase identifiers and apiVersions `version` or `group/version` (apimachinery
 * schema.ParseGroupVersion); anything else can never be served, so it is bad input rather than drift.
 */
const KIND = /^[A-Za-z][A-Za-z0-9]*$/;
const API_VERSION = /^(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?v[0-9a-z]+$/;

/** `Deployment "web"`: an object named before its identity is known to be well formed. */
function describeObject(object: KubeObject): string {
  return `${object.kind} ${JSON.stringify(object.metadata.name)}`;
}

function malformedIdentity(object: KubeObject): string | null {
  if (!KIND.test(object.kind))
    return `unknown kind ${JSON.stringify(object.kind)}: a kind is a CamelCase name like Deployment`;
  if (!API_VERSION.test(object.apiVersion)) {
    return `${describeObject(object)}: malformed apiVersion ${JSON.stringify(object.apiVersion)}`;
  }
  // The object's identity is printed and matched everywhere: a mapping or a list as its namespace cannot be.
  // (A YAML 1.1 scalar such as `namespace: y`, read as true, is left to the identity checks downstream.)
  const { namespace } = object.metadata as { namespace?: unknown };
  if (typeof namespace === "object" && namespace !== null) {
    return `${describeObject(object)}: metadata.namespace is a ${Array.isArray(namespace) ? "list" : "mapping"}, not a name`;
  }
  return null;
}

/** Kinds whose objects hold a list of other objects in `items` (`List`, `DeploymentList`, …). */
export function isListKind(
  value: unknown,
): value is { kind: string; apiVersion?: unknown; items: unknown[] } {
  return (
    isPlainObject(value) &&
    typeof value.kind === "string" &&
    value.kind.endsWith("List") &&
    Array.isArray(value.items)
  );
}

/**
 * An entry of a list object. Items of a typed list (`DeploymentList` as the API returns it) omit their own
 * apiVersion and kind; they are those of the list, minus `List`.
 */
export function listItem(list: { kind: string; apiVersion?: unknown }, item: unknown): unknown {
  if (!isPlainObject(item) || list.kind === "List") return item;
  return {
    ...(item.apiVersion === undefined && typeof list.apiVersion === "string"
      ? { apiVersion: list.apiVersion }
      : {}),
    ...(item.kind === undefined ? { kind: list.kind.slice(0, -"List".length) } : {}),
    ...item,
  };
}
