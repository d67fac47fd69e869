import { InputError } from "../errors.js";
import { MAX_NESTING_DEPTH, TOO_DEEP } from "./nesting-depth.js";

/** One top-level JSON value of a stream and the 1-based line it starts on. */
export interface JsonValueAt {
  value: unknown;
  line: number;
}

/**
 * The 1-based line of an offset in `text`. Offsets asked for only grow while a stream is read, so counting
 * resumes where the last one stopped: the whole stream is scanned once, not once per document (which made
 * 20 000 documents quadratic).
 */
function lineCounter(text: string): (offset: number) => number {
  let counted = 0;
  let line = 1;
  return (offset) => {
    if (offset < counted) {
      counted = 0;
      line = 1;
    }
    const end = Math.min(offset, text.length);
    for (; counted < end; counted++) if (text.charCodeAt(counted) === 10) line++;
    return line;
  };
}

/**
 * End offset (exclusive) of the object or array starting at `start`, or -1 when the text ends first; an
 * InputError at the first level past MAX_NESTING_DEPTH (found here, before JSON.parse builds the value).
 */
function endOfValue(text: string, start: number, origin: string, lineAt: (offset: number) => number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === "{" || c === "[") {
      depth++;
      if (depth > MAX_NESTING_DEPTH) throw new InputError(origin, TOO_DEEP, lineAt(i));
    } else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/**
 * V8's JSON.parse message without any quoted input (it may hold Secret values): only the
 * "Expected … in JSON at position N" form is kept, as the problem and the offset.
 */
function parseFailure(error: unknown): { problem: string; position: number | null } {
  const message = error instanceof Error ? error.message : "";
  const match = /^(.*) in JSON at position (\d+)/.exec(message);
  if (match?.[1] && !match[1].includes('"')) {
    return { problem: `malformed JSON: ${match[1]}`, position: Number(match[2]) };
  }
  return { problem: "malformed JSON", position: null };
}

/**
 * Reads one or more JSON documents written one after another, as `kubectl get -o json` prints them when its
 * output of several runs is concatenated (pretty-printed or not). Each top-level value must be an object or array.
 */
export function parseJsonStream(text: string, origin: string): JsonValueAt[] {
  const values: JsonValueAt[] = [];
  const lineAt = lineCounter(text);
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i] ?? "")) i++;
    if (i >= text.length) return values;
    const start = i;
    if (text[start] !== "{" && text[start] !== "[") {
      throw new InputError(origin, "malformed JSON: expected an object", lineAt(start));
    }
    const end = endOfValue(text, start, origin, lineAt);
    if (end === -1) {
      throw new InputError(
        origin,
        "truncated JSON: the input ends inside an object",
        lineAt(text.trimEnd().length),
      );
    }
    const chunk = text.slice(start, end);
    try {
      values.push({ value: JSON.parse(chunk), line: lineAt(start) });
    } catch (error) {
      const { problem, position } = parseFailure(error);
      throw new InputError(origin, problem, lineAt(start + (position ?? 0)));
    }
    i = end;
  }
}
