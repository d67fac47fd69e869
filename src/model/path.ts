/**
 * A location inside an object. Keyed list entries are named by their merge key, so a path stays
 * meaningful when list order differs between the rendered and the live object.
 */
export type PathSegment =
  | { kind: "field"; name: string }
  /**
   * An entry of a keyed list: `key` is the merge key's fields and values; `index` its position in the
   * rendered list (-1 when the entry exists only live), `liveIndex` its position in the live list
   * (-1 when it exists only in the rendered object).
   */
  | { kind: "key"; key: Record<string, string | number | boolean>; index: number; liveIndex: number }
  /** An element of an atomic (ordered) list, or a set member. */
  | { kind: "index"; index: number };

export type Path = readonly PathSegment[];

/** `spec.template.spec.containers[name=runner].image` — the path format people and the JSON report read. */
export function formatPath(path: Path): string {
  let out = "";
  for (const segment of path) {
    if (segment.kind === "field") {
      const plain = /^[A-Za-z_$][\w$-]*$/.test(segment.name);
      out += plain ? (out === "" ? segment.name : `.${segment.name}`) : `[${JSON.stringify(segment.name)}]`;
    } else if (segment.kind === "key") {
      out += `[${Object.entries(segment.key)
        .map(([k, v]) => `${k}=${v}`)
        .join(",")}]`;
    } else {
      out += `[${segment.index}]`;
    }
  }
  return out;
}

/** RFC 6901 pointer into the rendered object; null when a segment has no place there (an entry that exists only live). */
export function toPointer(path: Path): string | null {
  return pointerThrough(path, (entry) => entry.index);
}

/** RFC 6901 pointer into the live object; null when a segment has no place there (an entry missing live). */
export function toLivePointer(path: Path): string | null {
  return pointerThrough(path, (entry) => entry.liveIndex);
}

/** A pointer that addresses keyed entries by the position `positionOf` gives (-1: not on that side). */
function pointerThrough(
  path: Path,
  positionOf: (entry: Extract<PathSegment, { kind: "key" }>) => number,
): string | null {
  let out = "";
  for (const segment of path) {
    if (segment.kind === "field") {
      out += `/${escapePointerToken(segment.name)}`;
    } else if (segment.kind === "key") {
      const position = positionOf(segment);
      if (position < 0) return null;
      out += `/${position}`;
    } else {
      out += `/${segment.index}`;
    }
  }
  return out;
}

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Only the field names of a path, for rules that match on structure (`spec.template.spec.containers.image`). */
export function fieldNames(path: Path): string[] {
  return path.flatMap((segment) => (segment.kind === "field" ? [segment.name] : []));
}
