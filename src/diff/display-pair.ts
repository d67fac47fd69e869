import { cloneJson } from "../model/clone-json.js";
import type { RawFinding } from "../model/finding.js";
import { isPlainObject } from "../model/kube.js";
import { formatPath, type Path, type PathSegment } from "../model/path.js";
import type { Comparison } from "./diff-objects.js";

/**
 * What a unified diff shows: the normalized rendered object, and the same object with the given findings undone
 * — changed values set to their live value, missing fields and entries removed, live-only entries appended to
 * their list, fields added live set where they are live. Derived from the findings, not from another walk, so
 * the diff shows exactly the findings the report keeps (an ignored finding shows no difference) and equivalent
 * values keep the rendered spelling.
 */
export function displayPair(
  comparison: Comparison,
  findings: readonly RawFinding[],
): { desired: Record<string, unknown>; live: Record<string, unknown> } {
  const live = cloneJson(comparison.desired);
  // Resolve every target first: removals shift list positions, and positions here are rendered positions.
  const edits = findings
    .filter((finding) => finding.type !== "broken-reference")
    .map((finding) => ({ finding, ...containerOf(live, finding.path, finding.type === "added") }));
  const removals = new Map<unknown[], number[]>();
  for (const { finding, container, last } of edits) {
    if (finding.type === "changed") setAt(container, last, cloneJson(finding.live));
    else if (finding.type === "extra") appendTo(container, cloneJson(finding.live), finding.path);
    else if (finding.type === "added") addAt(container, last, cloneJson(finding.live), finding.path);
    else if (Array.isArray(container))
      removals.set(container, [...(removals.get(container) ?? []), position(last)]);
    else if (last.kind === "field") delete container[last.name];
  }
  for (const [list, positions] of removals) {
    for (const at of positions.sort((a, b) => b - a)) list.splice(at, 1);
  }
  return { desired: comparison.desired, live };
}

/**
 * The map or list holding the finding's last segment. `createMaps`: a field added live may sit in a map the
 * rendered object does not have (an annotation added beside Helm's own, on an object that renders none), so
 * missing maps on the way are created.
 */
function containerOf(
  root: Record<string, unknown>,
  path: Path,
  createMaps: boolean,
): { container: Record<string, unknown> | unknown[]; last: PathSegment } {
  const last = path.at(-1);
  if (last === undefined) throw new Error("a finding at the object root has no place in a diff");
  let node: unknown = root;
  for (const segment of path.slice(0, -1)) {
    if (segment.kind === "field" && isPlainObject(node)) {
      if (createMaps && (node[segment.name] === undefined || node[segment.name] === null))
        node[segment.name] = {};
      node = node[segment.name];
    } else if (segment.kind !== "field" && Array.isArray(node)) node = node[position(segment)];
    else node = undefined;
    if (node === undefined) break;
  }
  if (!isPlainObject(node) && !Array.isArray(node)) {
    throw new Error(`the rendered object has no map or list at ${formatPath(path.slice(0, -1))}`);
  }
  return { container: node, last };
}

/** The rendered position of a list segment. */
function position(segment: PathSegment): number {
  if (segment.kind === "field") throw new Error(`field ${segment.name} where a list position was expected`);
  return segment.index;
}

function setAt(container: Record<string, unknown> | unknown[], last: PathSegment, value: unknown): void {
  if (Array.isArray(container)) container[position(last)] = value;
  else if (last.kind === "field") container[last.name] = value;
  else throw new Error("a list position where a map field was expected");
}

/** A field added live: a new key of its (rendered) map, or a new member appended to its set. */
function addAt(
  container: Record<string, unknown> | unknown[],
  last: PathSegment,
  value: unknown,
  path: Path,
): void {
  if (Array.isArray(container)) appendTo(container, value, path);
  else setAt(container, last, value);
}

function appendTo(container: Record<string, unknown> | unknown[], value: unknown, path: Path): void {
  if (!Array.isArray(container)) throw new Error(`extra entry ${formatPath(path)} is not in a list`);
  container.push(value);
}
