import { isDeepStrictEqual } from "node:util";
import { cloneJson } from "../model/clone-json.js";
import { isBookkeepingField, managerRoleOn } from "../model/field-managers.js";
import { claimedPaths, type FieldsV1Claim, type FieldsV1Step } from "../model/fields-v1.js";
import type { RawFinding } from "../model/finding.js";
import { isPlainObject, type ManagedFieldsEntry } from "../model/kube.js";
import { fieldNames, type Path, type PathSegment } from "../model/path.js";
import { isEmptyValue } from "../normalize/empty-value.js";
import { keyValueOf } from "../normalize/port-protocol-default.js";
import { isServerDefault } from "../normalize/server-defaults.js";
import { type Cursor, elementCursor, fieldCursor, mapCursor, ROOT } from "./cursor.js";
import { entryKey } from "./entry-key.js";
import { type ObjectContext, resolveListType } from "./list-type.js";
import { matchKeyedEntries } from "./match-entries.js";

/** A managedFields claim located in the live object, and how much of its path the rendered object has. */
interface LocatedClaim {
  /** The claimed node's path, list entries at their live positions (and rendered ones where rendered). */
  path: Path;
  /** How many leading segments of `path` the rendered object has (path.length: it has the node itself). */
  rendered: number;
  /** The manager owns the node's whole value (a `{}` leaf), not only its existence (`.`). */
  whole: boolean;
}

/**
 * Fields someone added live that the release does not render: the leaves that `metadata.managedFields` says a
 * manager other than Helm or a known controller set (src/model/field-managers.ts), where the rendered object
 * has nothing. Both objects are normalized (server metadata, status and the last-applied annotation are gone,
 * so claims on them find nothing live). Not reported:
 * - anything inside a keyed-list entry the rendered object lacks: the walk reports the entry (`entry-extra`);
 * - anything inside an atomic list the rendered object has: the walk compares it whole (`value-changed`);
 * - a field whose subtree Helm or a controller also claims, a bookkeeping annotation or label, and a value the
 *   API server would default the field to (src/normalize/server-defaults.ts): none of these changes anything.
 *
 * Where: at the highest path the rendered object lacks whose whole subtree the adding managers own — so a
 * nodeSelector added whole is one finding at `spec.template.spec.nodeSelector`, while a key added to a map the
 * release renders (an annotation, `securityContext.privileged`) is one finding per key. A manager that owns a
 * rendered atomic map (`f:selector: {}`) owns every key in it, so a key added to it is reported the same way.
 */
export function findAddedFields(
  desired: Record<string, unknown>,
  live: Record<string, unknown>,
  managedFields: readonly ManagedFieldsEntry[] | undefined,
  object: ObjectContext,
): RawFinding[] {
  const entries = (managedFields ?? []).filter((entry) => isPlainObject(entry.fieldsV1));
  const byHand = (entry: ManagedFieldsEntry) => managerRoleOn(entry.manager ?? "", entries) === null;
  const claimsOf = (entry: ManagedFieldsEntry) => claimedPaths(entry.fieldsV1 ?? {});
  const locate = (claim: FieldsV1Claim): LocatedClaim | null => {
    const located = locateClaim(claim.steps, desired, live, object);
    return located && { ...located, whole: claim.whole };
  };
  const leaves = entries
    .filter(byHand)
    .flatMap(claimsOf)
    .flatMap((claim) => locate(claim) ?? [])
    .filter((claim) => !isBookkeepingField(fieldNames(claim.path)))
    .flatMap((claim) => addedLeaves(claim, desired, live));
  // Nobody outside the release set a field it lacks (on a fresh install only Helm wrote): nothing more to do.
  if (leaves.length === 0) return [];
  // Who else claims something there: only claims under the leaves' absent tops can share them, so the others
  // (Helm's hundreds of claims on rendered fields) are not located at all.
  const relevant = leaves.map((leaf) =>
    fieldNames(leaf.path.slice(0, Math.min(leaf.top + 1, leaf.claimed.length))),
  );
  const others = entries.flatMap((entry) => {
    const hand = byHand(entry);
    return claimsOf(entry)
      .filter((claim) => relevant.some((prefix) => startsWith(fieldNamesOf(claim.steps), prefix)))
      .flatMap((claim) => locate(claim) ?? [])
      .filter((claim) => !hand || isBookkeepingField(fieldNames(claim.path)));
  });
  const findings: RawFinding[] = [];
  const reported: Path[] = [];
  for (const candidate of leaves) {
    const at = highestOwnedPath(candidate, others);
    if (at === null || reported.some((path) => isPrefix(path, at))) continue;
    const value = valueAt(live, at);
    if (isEmptyValue(value) || isServerDefault(object.kind, fieldNames(at), value, parentAt(live, at))) {
      continue;
    }
    reported.push(at);
    findings.push({
      type: "added",
      code: "field-added",
      path: at,
      desired: undefined,
      live: cloneJson(value),
    });
  }
  return findings;
}

/** A field the rendered object lacks, from one claim: its path, where the absence starts, and the claimed node. */
interface AddedLeaf {
  path: Path;
  /** Index of the first segment of `path` the rendered object lacks. */
  top: number;
  /** The node the manager's claim is on: `path` itself, or the rendered atomic map `path` is a key of. */
  claimed: Path;
}

/**
 * The claim's path where the rendered object lacks it. A claim on a node the rendered object has is no
 * addition — except a whole claim on a map the release renders (an atomic map such as a Service selector): its
 * owner set every key in it, so each live key the rendered map lacks is one.
 */
function addedLeaves(
  claim: LocatedClaim,
  desired: Record<string, unknown>,
  live: Record<string, unknown>,
): AddedLeaf[] {
  if (claim.rendered < claim.path.length) {
    return [{ path: claim.path, top: claim.rendered, claimed: claim.path }];
  }
  if (!claim.whole) return [];
  return keysOnlyLive(valueAt(desired, claim.path, "rendered"), valueAt(live, claim.path), claim.path).map(
    (leaf) => ({ ...leaf, claimed: claim.path }),
  );
}

function keysOnlyLive(rendered: unknown, live: unknown, path: Path): { path: Path; top: number }[] {
  if (!isPlainObject(rendered) || !isPlainObject(live)) return [];
  return Object.entries(live).flatMap(([name, value]) => {
    const child: Path = [...path, { kind: "field", name }];
    const renderedValue = rendered[name];
    if (renderedValue === undefined || renderedValue === null) return [{ path: child, top: path.length }];
    return keysOnlyLive(renderedValue, value, child);
  });
}

/**
 * The highest path from `top` down to the added leaf whose subtree no other manager (Helm, a controller) and no
 * bookkeeping field claims; null if even the leaf is shared (another manager claims it, or claims the same
 * atomic map whole). A `{}` claim of another manager on an ancestor does not make the leaf shared: it is a
 * struct that was empty when that manager wrote it (Helm 3 claims a defaulted `securityContext: {}`), since
 * the server never records claims below an atomic value.
 */
function highestOwnedPath(leaf: AddedLeaf, others: readonly LocatedClaim[]): Path | null {
  const sharesTheMap = others.some((other) => other.whole && samePath(other.path, leaf.claimed));
  if (sharesTheMap && leaf.claimed.length < leaf.path.length) return null;
  for (let length = leaf.top + 1; length <= leaf.path.length; length++) {
    const at = leaf.path.slice(0, length);
    if (!others.some((other) => isPrefix(at, other.path))) return at;
  }
  return null;
}

/**
 * Follows fieldsV1 steps through the live object and, as far as it goes, the rendered one. null when the claim
 * names nothing live (status, server metadata and the last-applied annotation were normalized away; a stale
 * claim), or when the comparison already covers it: a keyed entry only live (`entry-extra`), a list the
 * rendered object has that is compared whole, or a set member the rendered set has.
 */
function locateClaim(
  steps: readonly FieldsV1Step[],
  desired: Record<string, unknown>,
  live: Record<string, unknown>,
  object: ObjectContext,
): Omit<LocatedClaim, "whole"> | null {
  let at: Position | null = { cursor: ROOT, rendered: desired, live };
  let rendered = 0;
  for (const step of steps) {
    const hadRendered = has(at.rendered);
    at = step.kind === "field" ? intoField(at, step.name) : intoElement(at, step, object);
    if (at === null) return null;
    if (hadRendered && has(at.rendered)) rendered++;
  }
  return { path: at.cursor.path, rendered };
}

/** Where a claim's path has got to: the cursor, and the node there on each side (rendered undefined: absent). */
interface Position {
  cursor: Cursor;
  rendered: unknown;
  live: unknown;
}

function has(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function intoField(at: Position, name: string): Position | null {
  if (!isPlainObject(at.live) || at.live[name] === undefined) return null;
  if (has(at.rendered) && !isPlainObject(at.rendered)) return null;
  const map = isPlainObject(at.rendered) ? at.rendered : at.live;
  return {
    cursor: fieldCursor(mapCursor(at.cursor, map), name),
    rendered: isPlainObject(at.rendered) ? at.rendered[name] : undefined,
    live: at.live[name],
  };
}

function intoElement(
  at: Position,
  step: Exclude<FieldsV1Step, { kind: "field" }>,
  object: ObjectContext,
): Position | null {
  if (!Array.isArray(at.live)) return null;
  const liveIndex = liveIndexOf(step, at.live);
  if (liveIndex === -1) return null;
  const element = at.live[liveIndex];
  const listType = resolveListType(object, at.cursor);
  if (!has(at.rendered)) {
    const segment = liveOnlySegment(step, element, liveIndex, listType);
    return { cursor: elementCursor(at.cursor, segment), rendered: undefined, live: element };
  }
  if (!Array.isArray(at.rendered)) return null;
  const inRendered = renderedEntry(step, at.rendered, at.live, liveIndex, listType);
  if (inRendered === null) return null;
  return { cursor: elementCursor(at.cursor, inRendered.segment), rendered: inRendered.entry, live: element };
}

/** The live position of the list element a fieldsV1 step names; -1 when live has none. */
function liveIndexOf(step: Exclude<FieldsV1Step, { kind: "field" }>, list: readonly unknown[]): number {
  if (step.kind === "index") return step.index < list.length ? step.index : -1;
  if (step.kind === "value") return list.findIndex((element) => isDeepStrictEqual(element, step.value));
  return list.findIndex(
    (element) =>
      isPlainObject(element) &&
      Object.entries(step.key).every(([field, value]) => keyValueOf(element, field) === value),
  );
}

/**
 * The rendered counterpart of a live list element the rendered list may have: null when the comparison
 * reports it already (a keyed entry only live is `entry-extra`; an atomic list is compared whole), or when the
 * rendered set has the member (nothing added).
 */
function renderedEntry(
  step: Exclude<FieldsV1Step, { kind: "field" }>,
  rendered: unknown[],
  live: unknown[],
  liveIndex: number,
  listType: ReturnType<typeof resolveListType>,
): { segment: PathSegment; entry: unknown } | null {
  if (step.kind === "key" && listType.type === "map") {
    const matching = matchKeyedEntries(rendered, live, listType.keys);
    const segment = matching?.rendered.find((entry) => entry.liveIndex === liveIndex);
    return segment ? { segment, entry: rendered[segment.index] } : null;
  }
  if (step.kind === "value" && listType.type === "set") {
    if (rendered.some((member) => isDeepStrictEqual(member, step.value))) return null;
    return { segment: { kind: "index", index: liveIndex }, entry: undefined };
  }
  return null;
}

/** The path segment of a list element the rendered object does not have (its whole list is absent there). */
function liveOnlySegment(
  step: Exclude<FieldsV1Step, { kind: "field" }>,
  element: unknown,
  liveIndex: number,
  listType: ReturnType<typeof resolveListType>,
): PathSegment {
  if (step.kind !== "key") return { kind: "index", index: liveIndex };
  const key =
    (listType.type === "map" ? entryKey(element, listType.keys) : null) ??
    (Object.fromEntries(
      Object.entries(step.key).filter(([, value]) => ["string", "number", "boolean"].includes(typeof value)),
    ) as Record<string, string | number | boolean>);
  return { kind: "key", key, index: -1, liveIndex };
}

function fieldNamesOf(steps: readonly FieldsV1Step[]): string[] {
  return steps.flatMap((step) => (step.kind === "field" ? [step.name] : []));
}

function startsWith(names: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= names.length && prefix.every((name, i) => names[i] === name);
}

function samePath(a: Path, b: Path): boolean {
  return a.length === b.length && isPrefix(a, b);
}

/** `prefix` is `path` or an ancestor of it; list entries compare by live position (both are live paths). */
function isPrefix(prefix: Path, path: Path): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => sameSegment(segment, path[i]));
}

function sameSegment(a: PathSegment, b: PathSegment | undefined): boolean {
  if (b === undefined || a.kind !== b.kind) return false;
  if (a.kind === "field") return b.kind === "field" && a.name === b.name;
  if (a.kind === "key") return b.kind === "key" && a.liveIndex === b.liveIndex;
  return b.kind === "index" && a.index === b.index;
}

/** The value at a path: list entries at their live positions, or at their rendered ones. */
function valueAt(root: unknown, path: Path, side: "live" | "rendered" = "live"): unknown {
  let node = root;
  for (const segment of path) {
    if (segment.kind === "field") node = isPlainObject(node) ? node[segment.name] : undefined;
    else if (Array.isArray(node)) {
      node =
        node[segment.kind === "key" ? (side === "live" ? segment.liveIndex : segment.index) : segment.index];
    } else node = undefined;
  }
  return node;
}

function parentAt(live: unknown, path: Path): Record<string, unknown> | null {
  const parent = valueAt(live, path.slice(0, -1));
  return isPlainObject(parent) ? parent : null;
}
