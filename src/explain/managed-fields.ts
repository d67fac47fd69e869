import { fieldsV1Children, isFieldsV1Leaf } from "../model/fields-v1.js";
import type { FieldOwner } from "../model/finding.js";
import { isPlainObject, type ManagedFieldsEntry } from "../model/kube.js";
import type { Path, PathSegment } from "../model/path.js";
import { defaultKeyValue } from "../normalize/port-protocol-default.js";

/**
 * How firmly one managedFields entry claims a path:
 * - `exact`: the path's node is in its fieldsV1 as a leaf (`{}`) or with `.` (it owns the node itself);
 * - `descendants`: the node is there but only for some of its children (no `.`);
 * - `atomic-ancestor`: an ancestor is claimed as a leaf — an atomic list or map (`f:command: {}`,
 *   `f:selector: {}`, a CR's `f:containers: {}`): whoever wrote that value wrote everything inside it, including
 *   the absence of a field. An ancestor that is merely claimed with `.` owns only its own existence, not a
 *   missing child, so it does not count.
 */
type ClaimStrength = "exact" | "descendants" | "atomic-ancestor";
const STRENGTH_RANK: Record<ClaimStrength, number> = { exact: 3, descendants: 2, "atomic-ancestor": 1 };

interface Claim {
  strength: ClaimStrength;
  /** How many path segments the claimed node covers (deeper is more specific). */
  depth: number;
  entry: ManagedFieldsEntry;
}

/**
 * The manager that wrote the value at `path`, from `metadata.managedFields`; null when no entry claims it
 * (nobody on the server owns a field that is absent live, unless an atomic ancestor carries it).
 * The most specific claim wins; among equally specific claims, the most recent `time`.
 */
export function ownerOf(managedFields: ManagedFieldsEntry[] | undefined, path: Path): FieldOwner | null {
  if (!managedFields || path.length === 0) return null;
  let best: Claim | null = null;
  for (const entry of managedFields) {
    if (!isPlainObject(entry.fieldsV1)) continue;
    const claim = claimOf(entry.fieldsV1, path);
    if (claim && (best === null || outranks({ ...claim, entry }, best))) best = { ...claim, entry };
  }
  return best ? toOwner(best.entry) : null;
}

/** Every manager on the object, most recent first: who has written it at all. */
export function managersOf(managedFields: ManagedFieldsEntry[] | undefined): FieldOwner[] {
  return [...(managedFields ?? [])].sort((a, b) => timeOf(b) - timeOf(a)).map(toOwner);
}

function outranks(a: Claim, b: Claim): boolean {
  const rank = STRENGTH_RANK[a.strength] - STRENGTH_RANK[b.strength];
  if (rank !== 0) return rank > 0;
  if (a.depth !== b.depth) return a.depth > b.depth;
  return timeOf(a.entry) > timeOf(b.entry);
}

function claimOf(fieldsV1: Record<string, unknown>, path: Path): Omit<Claim, "entry"> | null {
  let node: Record<string, unknown> = fieldsV1;
  for (const [i, segment] of path.entries()) {
    const child = childOf(node, segment);
    if (child === undefined) return null;
    const last = i === path.length - 1;
    if (!last && isFieldsV1Leaf(child)) return { strength: "atomic-ancestor", depth: i + 1 };
    node = child;
  }
  return { strength: isFieldsV1Leaf(node) || "." in node ? "exact" : "descendants", depth: path.length };
}

/**
 * The fieldsV1 node for one path segment. Index segments (atomic lists, set members) have no node of their
 * own: atomic lists are leaves (handled as an atomic ancestor) and set members are keyed `v:<value>`, which
 * an index cannot name.
 */
function childOf(node: Record<string, unknown>, segment: PathSegment): Record<string, unknown> | undefined {
  let child: unknown;
  if (segment.kind === "field") child = node[`f:${segment.name}`];
  else if (segment.kind === "key") child = entryFor(node, segment.key);
  return isPlainObject(child) ? child : undefined;
}

/**
 * The `k:{…}` child for a keyed entry. fieldsV1 writes the key as JSON of all list-map keys (ports:
 * `k:{"containerPort":80,"protocol":"TCP"}`), so keys are compared as parsed objects, not as strings: the
 * field order and number formatting of the JSON then do not matter. A path key may name fewer fields than
 * the server's (a rendered port without `protocol`); then the entry whose extra fields are the server
 * defaults (`defaultKeyValue`: `protocol: TCP` on container and Service ports) matches.
 */
function entryFor(node: Record<string, unknown>, key: Readonly<Record<string, unknown>>): unknown {
  const partial: [Record<string, unknown>, unknown][] = [];
  for (const [step, child] of fieldsV1Children(node)) {
    if (step.kind !== "key") continue;
    const fieldsKey = step.key;
    if (!Object.entries(key).every(([field, value]) => fieldsKey[field] === value)) continue;
    if (Object.keys(fieldsKey).length === Object.keys(key).length) return child;
    partial.push([fieldsKey, child]);
  }
  if (partial.length === 1) return partial[0]?.[1];
  return partial.find(([fieldsKey]) => extraFieldsAreDefaults(fieldsKey, key))?.[1];
}

function extraFieldsAreDefaults(
  fieldsKey: Record<string, unknown>,
  key: Readonly<Record<string, unknown>>,
): boolean {
  return Object.entries(fieldsKey).every(
    ([field, value]) => field in key || defaultKeyValue(field) === value,
  );
}

function timeOf(entry: ManagedFieldsEntry): number {
  const time = entry.time ? Date.parse(entry.time) : Number.NaN;
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

function toOwner(entry: ManagedFieldsEntry): FieldOwner {
  return {
    manager: entry.manager ?? "",
    operation: entry.operation ?? "",
    time: entry.time ? entry.time : null,
    ...(entry.subresource ? { subresource: entry.subresource } : {}),
  };
}
