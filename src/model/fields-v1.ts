import { isPlainObject } from "./kube.js";

/**
 * The `fieldsV1` format of `metadata.managedFields` (structured-merge-diff's field sets serialized as JSON):
 * a tree whose keys name path elements and whose empty objects `{}` end a claimed path.
 * - `f:<name>`: a field of a map or struct;
 * - `k:<json>`: an entry of an associative list, named by all its list-map keys (`k:{"name":"web"}`,
 *   `k:{"containerPort":80,"protocol":"TCP"}`);
 * - `v:<json>`: a member of a set (`v:"kubernetes.io/pvc-protection"`);
 * - `i:<n>`: a list element by position (lists without keys; rare);
 * - `.`: the node itself — the manager owns the existence of the map or entry, not all of its children.
 * A leaf `{}` claims the whole value at its path: a scalar, an atomic list or map, or an empty map.
 * Upstream: https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management and
 * sigs.k8s.io/structured-merge-diff fieldpath/serialize-pe.go.
 */
export type FieldsV1Step =
  | { kind: "field"; name: string }
  | { kind: "key"; key: Record<string, unknown> }
  | { kind: "value"; value: unknown }
  | { kind: "index"; index: number };

/** One path a managedFields entry claims. */
export interface FieldsV1Claim {
  steps: readonly FieldsV1Step[];
  /**
   * true: the node is a leaf `{}`, so the manager owns its whole value (everything inside an atomic list or map
   * too). false: a `.` claim — the manager owns only that the map or list entry exists.
   */
  whole: boolean;
}

/** The step a fieldsV1 key names; "self" for `.`; null for a key that is not valid fieldsV1. */
export function parseFieldsV1Key(name: string): FieldsV1Step | "self" | null {
  if (name === ".") return "self";
  const payload = name.slice(2);
  switch (name.slice(0, 2)) {
    case "f:":
      return { kind: "field", name: payload };
    case "k:": {
      const key = parseJson(payload);
      return isPlainObject(key) ? { kind: "key", key } : null;
    }
    case "v:": {
      const value = parseJson(payload);
      return value === undefined ? null : { kind: "value", value };
    }
    case "i:": {
      const index = Number(payload);
      return Number.isInteger(index) && index >= 0 ? { kind: "index", index } : null;
    }
    default:
      return null;
  }
}

/** The children of a fieldsV1 node, parsed; keys that are not valid fieldsV1 and `.` are left out. */
export function fieldsV1Children(node: Record<string, unknown>): [FieldsV1Step, Record<string, unknown>][] {
  const children: [FieldsV1Step, Record<string, unknown>][] = [];
  for (const [name, child] of Object.entries(node)) {
    const step = parseFieldsV1Key(name);
    if (step !== null && step !== "self" && isPlainObject(child)) children.push([step, child]);
  }
  return children;
}

/** A fieldsV1 node that claims its whole value (`{}`). */
export function isFieldsV1Leaf(node: Record<string, unknown>): boolean {
  return Object.keys(node).length === 0;
}

/** Every path a fieldsV1 tree claims — its leaves and its `.` nodes — in the tree's key order. */
export function claimedPaths(fieldsV1: Record<string, unknown>): FieldsV1Claim[] {
  const claims: FieldsV1Claim[] = [];
  const visit = (node: Record<string, unknown>, steps: FieldsV1Step[]): void => {
    if (steps.length > 0 && isFieldsV1Leaf(node)) {
      claims.push({ steps, whole: true });
      return;
    }
    if (steps.length > 0 && "." in node) claims.push({ steps, whole: false });
    for (const [step, child] of fieldsV1Children(node)) visit(child, [...steps, step]);
  };
  visit(fieldsV1, []);
  return claims;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
