import type { RawFinding } from "../model/finding.js";
import { isPlainObject } from "../model/kube.js";
import { isEmptyValue } from "../normalize/empty-value.js";
import { isOmittedZeroValue } from "../normalize/omitted-zero-values.js";
import { quantitiesEqual } from "../normalize/quantity.js";
import { isQuantityPath } from "../normalize/quantity-paths.js";
import { type Cursor, elementCursor, fieldCursor, mapCursor } from "./cursor.js";
import { type ObjectContext, resolveListType } from "./list-type.js";
import { matchKeyedEntries } from "./match-entries.js";

/**
 * The subset walk: every field the rendered value states must be present live with an equivalent value.
 * Live-only fields are not drift, except live-only entries of keyed lists. Both values are normalized already.
 */
export function diffValue(
  desired: unknown,
  live: unknown,
  cursor: Cursor,
  object: ObjectContext,
  out: RawFinding[],
): void {
  if (desired === null || desired === undefined) return;
  if (live === null || live === undefined) {
    if (!isEmptyValue(desired) && !isOmittedZeroValue(object.kind, cursor.schema, desired)) {
      out.push(missingFinding(desired, cursor));
    }
    return;
  }
  if (isPlainObject(desired)) {
    if (!isPlainObject(live)) out.push(changedFinding(desired, live, cursor));
    else diffMap(desired, live, mapCursor(cursor, desired), object, out);
  } else if (Array.isArray(desired)) {
    if (!Array.isArray(live)) out.push(changedFinding(desired, live, cursor));
    else diffList(desired, live, cursor, object, out);
  } else if (!scalarsEquivalent(desired, live, cursor, object)) {
    out.push(changedFinding(desired, live, cursor));
  }
}

/** True when the walk finds no drift between the two values. */
export function isEquivalent(
  desired: unknown,
  live: unknown,
  cursor: Cursor,
  object: ObjectContext,
): boolean {
  const findings: RawFinding[] = [];
  diffValue(desired, live, cursor, object, findings);
  return findings.length === 0;
}

function diffMap(
  desired: Record<string, unknown>,
  live: Record<string, unknown>,
  cursor: Cursor,
  object: ObjectContext,
  out: RawFinding[],
): void {
  for (const [name, value] of Object.entries(desired)) {
    diffValue(value, live[name], fieldCursor(cursor, name), object, out);
  }
}

function diffList(
  desired: unknown[],
  live: unknown[],
  cursor: Cursor,
  object: ObjectContext,
  out: RawFinding[],
): void {
  const listType = resolveListType(object, cursor);
  if (listType.type === "map") {
    const matching = matchKeyedEntries(desired, live, listType.keys);
    if (matching !== null) {
      for (const segment of matching.rendered) {
        const entry = desired[segment.index];
        const entryCursor = elementCursor(cursor, segment);
        if (segment.liveIndex === -1) {
          out.push({
            type: "missing",
            code: "entry-missing",
            path: entryCursor.path,
            desired: entry,
            live: undefined,
          });
        } else {
          diffValue(entry, live[segment.liveIndex], entryCursor, object, out);
        }
      }
      for (const segment of matching.extra) {
        const path = elementCursor(cursor, segment).path;
        out.push({
          type: "extra",
          code: "entry-extra",
          path,
          desired: undefined,
          live: live[segment.liveIndex],
        });
      }
      return;
    }
  }
  if (listType.type === "set") {
    desired.forEach((member, index) => {
      const memberCursor = elementCursor(cursor, { kind: "index", index });
      if (!live.some((candidate) => elementsEquivalent(member, candidate, memberCursor, object))) {
        out.push({
          type: "missing",
          code: "entry-missing",
          path: memberCursor.path,
          desired: member,
          live: undefined,
        });
      }
    });
    return;
  }
  if (!atomicListsEquivalent(desired, live, cursor, object)) out.push(changedFinding(desired, live, cursor));
}

/** Atomic lists: same length, and each rendered element a subset of the live element at the same position. */
function atomicListsEquivalent(
  desired: unknown[],
  live: unknown[],
  cursor: Cursor,
  object: ObjectContext,
): boolean {
  return (
    desired.length === live.length &&
    desired.every((element, index) =>
      elementsEquivalent(element, live[index], elementCursor(cursor, { kind: "index", index }), object),
    )
  );
}

/** A list element is there or not: a rendered `null` element only matches a live `null`. */
function elementsEquivalent(desired: unknown, live: unknown, cursor: Cursor, object: ObjectContext): boolean {
  if (desired === null || desired === undefined) return live === null || live === undefined;
  return isEquivalent(desired, live, cursor, object);
}

function scalarsEquivalent(desired: unknown, live: unknown, cursor: Cursor, object: ObjectContext): boolean {
  if (desired === live) return true;
  return isQuantityPath(object.kind, cursor.schema) && quantitiesEqual(desired, live);
}

function missingFinding(desired: unknown, cursor: Cursor): RawFinding {
  const code = Array.isArray(desired)
    ? "list-missing"
    : isPlainObject(desired)
      ? "map-missing"
      : "field-missing";
  return { type: "missing", code, path: cursor.path, desired, live: undefined };
}

function changedFinding(desired: unknown, live: unknown, cursor: Cursor): RawFinding {
  return { type: "changed", code: "value-changed", path: cursor.path, desired, live };
}
