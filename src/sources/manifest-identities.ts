import type { ObjectIdentity } from "../model/kube.js";
import { plainScalarValue } from "./yaml11-scalars.js";

/**
 * The identities (apiVersion, kind, metadata.name and .namespace) of a manifest's objects, read line by line
 * without parsing the YAML, for manifests in the shape `helm template` prints: documents split by `---` lines,
 * `apiVersion:` and `kind:` at the top level, `name:` and `namespace:` one level under `metadata:`, each a
 * single-line plain or quoted scalar. Anything else (a List, a block or multi-line scalar, flow style, anchors,
 * tabs, CRLF, a document without one of the four) gives null, and the caller parses the manifest.
 *
 * A check of a whole cluster names every object of every release before checking any (wanted-objects.ts), so
 * that they can be read with a LIST; parsing each manifest for that as well as for the check was 40 % of a
 * check of 2 000 releases of 20 objects (bench/fleet.mjs --objects-per-release 20). The names only guide
 * which objects are read in bulk: the check itself parses the manifest, and an object whose name this got
 * wrong would only be read with a GET of its own. test/unit/sources/manifest-identities.test.ts holds this to
 * the parser's answer over every fixture and thousands of mutations of them.
 */
export function scanIdentities(manifest: string): ObjectIdentity[] | null {
  if (manifest.includes("\r") || manifest.includes("\t") || manifest.startsWith("\uFEFF")) return null;
  const identities: ObjectIdentity[] = [];
  let document: DocumentScan = newDocument();
  const finish = (): boolean => {
    if (!document.content) return true;
    const { apiVersion, kind, name, namespace } = document;
    if (apiVersion === undefined || kind === undefined || name === undefined || kind === "List") return false;
    identities.push({ apiVersion, kind, metadata: namespace === undefined ? { name } : { name, namespace } });
    return true;
  };
  const lines = manifest.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === "---" || line === "--- ") {
      if (!finish()) return null;
      document = newDocument();
      continue;
    }
    if (isBlankOrComment(line)) continue;
    if (!scanLine(document, line, () => nextContentIndent(lines, i + 1))) return null;
  }
  return finish() ? identities : null;
}

interface DocumentScan {
  content: boolean;
  /** Top-level keys seen, to refuse a duplicate. */
  keys: Set<string>;
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  /** Inside `metadata:`: the indentation of its keys once the first is seen, else 0 (not yet known). */
  metadataIndent: number | null;
}

function newDocument(): DocumentScan {
  return { content: false, keys: new Set(), metadataIndent: null };
}

const COMMENT_OR_BLANK = /^ *(#.*)?$/;

function isBlankOrComment(line: string): boolean {
  return COMMENT_OR_BLANK.test(line);
}

/** The indentation of the next line with content, or -1 at the end: a deeper one continues the line before. */
function nextContentIndent(lines: readonly string[], from: number): number {
  for (let i = from; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === "---" || line === "--- ") return 0;
    if (!isBlankOrComment(line)) return line.length - line.trimStart().length;
  }
  return -1;
}

/** `key: value` or `key:` with an optional comment; keys are what Kubernetes field names look like. */
const KEY_LINE = /^ *([A-Za-z_][A-Za-z0-9_.-]*):(?: +(.*?))? *$/;

function keyAndRest(line: string): { key: string; rest: string } | null {
  const match = KEY_LINE.exec(line);
  return match === null ? null : { key: match[1] as string, rest: match[2] ?? "" };
}

/** Reads one line with content into `document`; false when the manifest is not in the plain shape. */
function scanLine(document: DocumentScan, line: string, nextIndent: () => number): boolean {
  const indent = line.length - line.trimStart().length;
  document.content = true;
  if (indent === 0) {
    const entry = keyAndRest(line);
    if (entry === null || document.keys.has(entry.key)) return false;
    const { key, rest } = entry;
    document.keys.add(key);
    document.metadataIndent = null;
    if (key === "metadata") {
      if (!isEmptyValue(rest)) return false;
      document.metadataIndent = 0;
      return true;
    }
    if (key !== "apiVersion" && key !== "kind") return true;
    const value = singleLineString(rest, nextIndent(), 0);
    if (value === null) return false;
    document[key] = value;
    return true;
  }
  if (document.metadataIndent === null) return true;
  if (document.metadataIndent === 0) document.metadataIndent = indent;
  if (indent > document.metadataIndent) return true;
  const entry = indent === document.metadataIndent ? keyAndRest(line) : null;
  if (entry === null) return false;
  const { key, rest } = entry;
  if (key !== "name" && key !== "namespace") return true;
  if (document[key] !== undefined) return false;
  const value = singleLineString(rest, nextIndent(), indent);
  if (value === null) return false;
  document[key] = value;
  return true;
}

function isEmptyValue(rest: string): boolean {
  return rest === "" || rest.startsWith("#");
}

const PLAIN = /^([A-Za-z0-9][A-Za-z0-9._/-]*)(?: +#.*)?$/;
const DOUBLE_QUOTED = /^"([A-Za-z0-9._/-]*)"(?: +#.*)?$/;
const SINGLE_QUOTED = /^'([A-Za-z0-9._/-]*)'(?: +#.*)?$/;

/**
 * The string a value on one line stands for, when it plainly is one: a plain scalar go-yaml reads as a string
 * (not `true`, `1.0` or `~`), or a quoted one without escapes, and not continued on the next line (a plain
 * scalar continues on any deeper line).
 */
function singleLineString(rest: string, nextIndent: number, indent: number): string | null {
  const quoted = DOUBLE_QUOTED.exec(rest) ?? SINGLE_QUOTED.exec(rest);
  if (quoted) return quoted[1] as string;
  const plain = PLAIN.exec(rest);
  if (plain === null || nextIndent > indent) return null;
  const text = plain[1] as string;
  return plainScalarValue(text) === text ? text : null;
}
