import type { ListTypes } from "../cluster/cluster-reader.js";
import type { RawFinding } from "../model/finding.js";
import { isPlainObject, type KubeObject } from "../model/kube.js";
import { formatPath, type Path, type PathSegment } from "../model/path.js";
import { diffObjects } from "./diff-objects.js";

/**
 * A deep copy of the live object with exactly the drift undone: missing fields and entries added (keyed entries
 * appended to the live list), changed values replaced by the rendered value, extra keyed entries removed.
 * Everything else — server defaults, fields other managers own, status, metadata — is left as it is, so
 * `compare(live, repairLive(...))` is the smallest patch. Values come from the normalized rendered object, so a
 * Secret's `stringData` arrives as base64 in `data`.
 */
export function repairLive(desired: KubeObject, live: KubeObject, listTypes: ListTypes | null): KubeObject {
  const repaired = structuredClone(live);
  const edits = diffObjects(desired, live, listTypes).map((finding) => locate(repaired, finding));
  for (const edit of edits) if (edit.finding.type !== "extra") applyAddOrReplace(edit);
  removeExtras(edits.filter((edit) => edit.finding.type === "extra"));
  return repaired;
}

/** A finding resolved to the container (map or list) that holds its value, before anything is changed. */
interface Edit {
  readonly finding: RawFinding;
  readonly container: Record<string, unknown> | unknown[];
  readonly last: PathSegment;
}

function locate(root: KubeObject, finding: RawFinding): Edit {
  const last = finding.path[finding.path.length - 1];
  if (last === undefined) throw new Error("a finding at the object root cannot be repaired");
  const containerPath = finding.path.slice(0, -1);
  // An entry finding is applied to the list that holds it, a field finding to the map that holds it.
  const container = resolve(root, containerPath);
  if (!isPlainObject(container) && !Array.isArray(container)) {
    throw new Error(`live object has no map or list at ${formatPath(containerPath)}`);
  }
  return { finding, container, last };
}

function resolve(root: unknown, path: Path): unknown {
  let node = root;
  for (const segment of path) {
    if (segment.kind === "field" && isPlainObject(node)) node = node[segment.name];
    else if (segment.kind === "key" && Array.isArray(node)) node = node[segment.liveIndex];
    else if (segment.kind === "index" && Array.isArray(node)) node = node[segment.index];
    else throw new Error(`live object does not have the shape of ${formatPath(path)}`);
  }
  return node;
}

function applyAddOrReplace({ finding, container, last }: Edit): void {
  const value = structuredClone(finding.desired);
  if (Array.isArray(container)) {
    if (finding.code === "entry-missing") container.push(value);
    else if (last.kind === "key") container[last.liveIndex] = value;
    else throw new Error(`cannot repair ${finding.code} at a list position`);
  } else if (last.kind === "field") {
    container[last.name] = value;
  } else {
    throw new Error(`cannot repair ${finding.code}: a list entry path points into a map`);
  }
}

/** Removes extra entries highest live position first, so the positions of the others stay valid. */
function removeExtras(extras: Edit[]): void {
  const byList = new Map<unknown[], number[]>();
  for (const { container, last } of extras) {
    if (!Array.isArray(container) || last.kind !== "key")
      throw new Error("an extra entry must be a keyed list entry");
    byList.set(container, [...(byList.get(container) ?? []), last.liveIndex]);
  }
  for (const [list, positions] of byList) {
    for (const position of positions.sort((a, b) => b - a)) list.splice(position, 1);
  }
}
