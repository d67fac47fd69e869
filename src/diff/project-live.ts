import type { ListTypes } from "../cluster/cluster-reader.js";
import { isPlainObject, type KubeObject } from "../model/kube.js";
import { normalizeLive, normalizeRendered } from "../normalize/normalize-object.js";
import { type Cursor, elementCursor, fieldCursor, mapCursor, ROOT } from "./cursor.js";
import { type ObjectContext, resolveListType } from "./list-type.js";
import { matchKeyedEntries } from "./match-entries.js";
import { isEquivalent } from "./walk.js";

/**
 * The normalized rendered object, and the live object cut down to the rendered shape: only fields the rendered
 * object states, keyed entries matched by key in rendered order, plus live-only keyed entries (which are drift).
 * Where a value is equivalent (`1000m` vs `1`, `""` vs absent) the rendered spelling is shown, so a unified diff
 * of the two shows exactly the findings of diffObjects.
 */
export function projectForDisplay(
  desired: KubeObject,
  live: KubeObject,
  listTypes: ListTypes | null,
): { desired: unknown; live: unknown } {
  const object = { apiVersion: desired.apiVersion, kind: desired.kind, listTypes };
  const rendered = normalizeRendered(desired);
  return { desired: rendered, live: project(rendered, normalizeLive(live), ROOT, object) ?? {} };
}

/** The live value seen through the rendered one; undefined when the live side has nothing there. */
function project(desired: unknown, live: unknown, cursor: Cursor, object: ObjectContext): unknown {
  if (isEquivalent(desired, live, cursor, object)) return structuredClone(desired);
  if (live === undefined || live === null) return undefined;
  if (isPlainObject(desired) && isPlainObject(live)) {
    return projectMap(desired, live, mapCursor(cursor, desired), object);
  }
  if (Array.isArray(desired) && Array.isArray(live)) return projectList(desired, live, cursor, object);
  return structuredClone(live);
}

function projectMap(
  desired: Record<string, unknown>,
  live: Record<string, unknown>,
  cursor: Cursor,
  object: ObjectContext,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(desired)) {
    const projected = project(value, live[name], fieldCursor(cursor, name), object);
    if (projected !== undefined) result[name] = projected;
  }
  return result;
}

function projectList(desired: unknown[], live: unknown[], cursor: Cursor, object: ObjectContext): unknown[] {
  const listType = resolveListType(object, cursor);
  const matching = listType.type === "map" ? matchKeyedEntries(desired, live, listType.keys) : null;
  if (matching !== null) {
    const shown = matching.rendered.flatMap((segment) =>
      segment.liveIndex === -1
        ? []
        : [project(desired[segment.index], live[segment.liveIndex], elementCursor(cursor, segment), object)],
    );
    return [...shown, ...matching.extra.map((segment) => structuredClone(live[segment.liveIndex]))];
  }
  if (listType.type === "set") {
    return desired.filter((member, index) =>
      live.some((candidate) =>
        isEquivalent(member, candidate, elementCursor(cursor, { kind: "index", index }), object),
      ),
    );
  }
  return live.map((element, index) =>
    index < desired.length
      ? project(desired[index], element, elementCursor(cursor, { kind: "index", index }), object)
      : structuredClone(element),
  );
}
