import { InputError } from "../errors.js";

/** One top-level JSON value of a stream and the 1-based line it starts on. */
export interface JsonValueAt {
  value: unknown;
  line: number;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** End offset (exclusive) of the object or array starting at `start`, or -1 when the text ends first. */
function endOfValue(text: string, start: number): number {
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
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i] ?? "")) i++;
    if (i >= text.length) return values;
    const start = i;
    if (text[start] !== "{" && text[start] !== "[") {
      throw new InputError(origin, "malformed JSON: expected an object", lineAt(text, start));
    }
    const end = endOfValue(text, start);
    if (end === -1) {
      throw new InputError(
        origin,
        "truncated JSON: the input ends inside an object",
        lineAt(text, text.trimEnd().length),
      );
    }
    const chunk = text.slice(start, end);
    try {
      values.push({ value: JSON.parse(chunk), line: lineAt(text, start) });
    } catch (error) {
      const { problem, position } = parseFailure(error);
      throw new InputError(origin, problem, lineAt(text, start + (position ?? 0)));
    }
    i = end;
  }
}
