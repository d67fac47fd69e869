import { CST } from "yaml";
import { plainScalarKey, plainScalarValue } from "./yaml11-scalars.js";

/**
 * The value of a YAML document read straight from the yaml package's parser tokens (its CST), for documents
 * in the plain shape `helm template` prints: block mappings and sequences, scalars of every style, and flow
 * sequences of scalars on one line, with no anchors, aliases, tags, explicit keys, merges, tabs or anything
 * the yaml package would report. The yaml package's Composer builds a Document of nodes that is then turned
 * into JS and dropped; for a manifest of 20 000 objects that was a fifth of the run (bench/offline-scale.mjs).
 *
 * Anything outside that shape returns undefined, and the caller composes the document the full way
 * (src/sources/kube-yaml.ts), so errors keep their wording and position and every YAML feature keeps its
 * go-yaml meaning. Each check below mirrors the yaml package's Composer (yaml 2.9.1 `dist/compose/`), so a
 * document the Composer would refuse is never read here: resolve-props.js (comments need white space before
 * them; one indicator), resolve-block-map.js (one column for all keys, single-line implicit keys, no compact
 * nested mapping, unique keys, the 1 024-character limit), resolve-block-seq.js, resolve-flow-collection.js,
 * resolve-end.js and compose-doc.js. Scalars are resolved by the package's own CST.resolveAsScalar, and plain
 * ones by the same go-yaml functions the Composer's tags call. test/unit/sources/plain-yaml-tokens.test.ts
 * reads every fixture both ways and compares.
 */
export interface PlainDocument {
  value: unknown;
  /** Offset of the document's content: where the Composer's `contents.range[0]` would be. */
  start: number;
  /** Offsets of the root mapping's `items` entries (for List documents), as `rootItemStarts` gives them. */
  itemStarts: number[];
}

/** Deeper than this, the Composer reads the document: this reader recurses once per level. */
const MAX_PLAIN_DEPTH = 100;
/** resolve-block-map.js: KEY_OVER_1024_CHARS. */
const MAX_IMPLICIT_KEY_SPAN = 1024;

/** Thrown inside the reader to give the document to the Composer; never leaves this file. */
class NotPlain extends Error {}
const NOT_PLAIN = new NotPlain();

function notPlain(): never {
  throw NOT_PLAIN;
}

interface Props {
  /** The indicator token, when there is one. */
  found: CST.SourceToken | null;
  hasNewline: boolean;
}

/**
 * resolve-props.js for the tokens a plain document has around its nodes: spaces without tabs, newlines,
 * comments with white space before them, and at most one `indicator`. Anything else is not plain.
 */
function plainProps(
  tokens: readonly CST.SourceToken[],
  indicator: CST.SourceToken["type"] | null,
  startOnNewline: boolean,
): Props {
  let hasSpace = startOnNewline;
  let found: CST.SourceToken | null = null;
  let hasNewline = false;
  for (const token of tokens) {
    switch (token.type) {
      case "space":
        if (token.source.includes("\t")) notPlain();
        hasSpace = true;
        break;
      case "comment":
        if (!hasSpace) notPlain();
        break;
      case "newline":
        hasNewline = true;
        hasSpace = true;
        break;
      default:
        if (token.type !== indicator || found) notPlain();
        found = token;
        hasSpace = false;
    }
  }
  return { found, hasNewline };
}

/** resolve-end.js (strict): what may follow a node on its line and after it. */
function checkEnd(tokens: readonly CST.SourceToken[] | undefined): void {
  if (!tokens) return;
  let hasSpace = false;
  for (const token of tokens) {
    if (token.type === "space") {
      if (token.source.includes("\t")) notPlain();
      hasSpace = true;
    } else if (token.type === "newline") hasSpace = true;
    else if (token.type !== "comment" || !hasSpace) notPlain();
  }
}

function scalarText(token: CST.FlowScalar | CST.BlockScalar): string {
  const resolved = CST.resolveAsScalar(token, true, notPlain);
  return resolved.value;
}

/** A scalar in value position: plain ones as go-yaml resolves them, others as their text. */
function scalarValue(token: CST.FlowScalar | CST.BlockScalar): unknown {
  // A tag or anchor before `|` sits in the parent's tokens (refused there); resolveAsScalar checks the rest.
  if (token.type === "block-scalar" && token.props[0]?.type !== "block-scalar-header") notPlain();
  const text = scalarText(token);
  if (token.type !== "scalar") return text;
  try {
    return plainScalarValue(text);
  } catch {
    // A value Kubernetes would refuse: the Composer reports it where it stands.
    return notPlain();
  }
}

function isFlowScalar(token: CST.Token | null | undefined): token is CST.FlowScalar {
  return (
    token?.type === "scalar" ||
    token?.type === "single-quoted-scalar" ||
    token?.type === "double-quoted-scalar"
  );
}

/** A mapping key: one line, not `<<` (a merge) nor `__proto__`, resolved as sigs.k8s.io/yaml makes it a string. */
function keyOf(key: CST.FlowScalar): string {
  if (key.source.includes("\n") || key.end?.some((token) => token.type === "newline")) notPlain();
  const text = scalarText(key);
  let name: string;
  if (key.type === "scalar") {
    if (text === "<<") notPlain();
    try {
      name = plainScalarKey(text);
    } catch {
      return notPlain();
    }
  } else name = text;
  if (name === "__proto__") notPlain();
  return name;
}

function blockMap(token: CST.BlockMap, depth: number, itemStarts?: number[]): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  const last = token.items.length - 1;
  token.items.forEach((item, index) => {
    const keyProps = plainProps(item.start, null, true);
    const { key, sep, value } = item;
    if (!sep) {
      // A trailing comment line: only as the last item ("Map comment with trailing content").
      if (key || value || index !== last) notPlain();
      return;
    }
    if (item.explicitKey || keyProps.found || !isFlowScalar(key) || key.indent !== token.indent) notPlain();
    const name = keyOf(key);
    if (Object.hasOwn(map, name)) notPlain();
    const valueProps = plainProps(sep, "map-value-ind", false);
    if (!valueProps.found || valueProps.found.offset - key.offset > MAX_IMPLICIT_KEY_SPAN) notPlain();
    if (value?.type === "block-map" && !valueProps.hasNewline) notPlain();
    map[name] =
      value === undefined ? null : node(value, depth + 1, name === "items" ? itemStarts : undefined);
  });
  return map;
}

function blockSeq(token: CST.BlockSequence, depth: number, itemStarts?: number[]): unknown[] {
  const seq: unknown[] = [];
  for (const item of token.items) {
    const props = plainProps(item.start, "seq-item-ind", true);
    if (!props.found) {
      if (item.value) notPlain();
      continue;
    }
    if (item.value === undefined) {
      // The Composer reads an empty entry, but where its empty node starts is not worth mirroring here.
      if (itemStarts) notPlain();
      seq.push(null);
    } else {
      itemStarts?.push(item.value.offset);
      seq.push(node(item.value, depth + 1));
    }
  }
  return seq;
}

/** `{}`, `[]`, and flow sequences of scalars on one line, as `helm template` prints `args: ["a", "b"]`. */
function flowCollection(token: CST.FlowCollection): unknown[] | Record<string, never> {
  const isMap = token.start.source === "{";
  const [close, ...after] = token.end;
  if (close?.type !== (isMap ? "flow-map-end" : "flow-seq-end")) notPlain();
  checkEnd(after as CST.SourceToken[]);
  if (isMap) {
    if (token.items.length > 0) notPlain();
    return {};
  }
  const seq: unknown[] = [];
  token.items.forEach((item, index) => {
    if (item.key !== undefined || item.sep !== undefined || !isFlowScalar(item.value)) notPlain();
    let commas = 0;
    for (const t of item.start) {
      if (t.type === "comma") commas++;
      else if (t.type !== "space" || t.source.includes("\t")) notPlain();
    }
    if (commas !== (index === 0 ? 0 : 1)) notPlain();
    const value = item.value;
    if (value.source.includes("\n")) notPlain();
    seq.push(scalarValue(value));
  });
  return seq;
}

function node(token: CST.Token, depth: number, itemStarts?: number[]): unknown {
  if (depth > MAX_PLAIN_DEPTH) notPlain();
  switch (token.type) {
    case "block-map":
      return blockMap(token, depth);
    case "block-seq":
      return blockSeq(token, depth, itemStarts);
    case "flow-collection":
      return flowCollection(token);
    case "scalar":
    case "single-quoted-scalar":
    case "double-quoted-scalar":
    case "block-scalar":
      return scalarValue(token);
    default:
      return notPlain();
  }
}

/** The document's value when it has the plain shape; undefined when the Composer must read it. */
export function readPlainDocument(document: CST.Document): PlainDocument | undefined {
  try {
    const props = plainProps(document.start, "doc-start", true);
    checkEnd(document.end);
    const value = document.value;
    // An empty document: where the Composer places its empty node is not worth mirroring.
    if (value === undefined) return undefined;
    // compose-doc.js: "Block collection cannot start on same line with directives-end marker".
    if (props.found && !props.hasNewline && (value.type === "block-map" || value.type === "block-seq"))
      notPlain();
    const itemStarts: number[] = [];
    const read = value.type === "block-map" ? blockMap(value, 0, itemStarts) : node(value, 0);
    return { value: read, start: value.offset, itemStarts };
  } catch (error) {
    if (error === NOT_PLAIN) return undefined;
    throw error;
  }
}

/** Whether a `...` after a plain document is one the Composer takes without a word (composer.js `doc-end`). */
export function plainDocumentEnd(token: CST.DocumentEnd): boolean {
  try {
    checkEnd(token.end);
    return true;
  } catch (error) {
    if (error === NOT_PLAIN) return false;
    throw error;
  }
}
