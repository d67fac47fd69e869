import {
  Composer,
  type CST,
  type Document,
  type DocumentOptions,
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  type ParseOptions,
  Parser,
  Scalar,
  type SchemaOptions,
  type Tags,
} from "yaml";
import { InputError } from "../errors.js";
import { GO_YAML_MERGE_TAG } from "./go-yaml-merge.js";
import { plainDocumentEnd, readPlainDocument } from "./plain-yaml-tokens.js";
import { withPlainEnv } from "./yaml-env-reads.js";
import { YAML_ERROR_PHRASES } from "./yaml-error-phrases.js";
import {
  GO_YAML_KEY_TAG,
  GO_YAML_VALUE_TAG,
  plainScalarKey,
  UNREPRESENTABLE_PHRASES,
  UnrepresentableScalarError,
} from "./yaml11-scalars.js";

/** A YAML stream Kubernetes would not read: where (file, line, column) and what, never quoting the text. */
export class YamlInputError extends InputError {
  constructor(
    origin: string,
    problem: string,
    line: number,
    readonly column: number,
  ) {
    super(origin, problem, line);
    this.message = `${origin}:${line}:${column}: ${problem}`;
  }
}

/** The yaml package's YAML 1.1 tags whose plain-scalar reading go-yaml v2 does differently. */
const REPLACED_TAGS = new Set(
  ["null", "bool", "int", "float", "timestamp", "merge"].map((name) => `tag:yaml.org,2002:${name}`),
);

/**
 * Helm and kubectl turn YAML into JSON with sigs.k8s.io/yaml (go-yaml v2, YAML 1.1): `yes` is true, `0755`
 * is 493, `.` stays a string. The yaml package's YAML 1.1 schema keeps maps, sequences, strings and explicit
 * tags; plain scalars are resolved by src/sources/yaml11-scalars.ts and `<<` merged by
 * src/sources/go-yaml-merge.ts, both mirroring go-yaml.
 */
function goYamlTags(tags: Tags): Tags {
  const kept = tags.filter((tag) => typeof tag !== "string" && !REPLACED_TAGS.has(tag.tag));
  return [...kept, GO_YAML_MERGE_TAG, GO_YAML_KEY_TAG, GO_YAML_VALUE_TAG];
}

const KUBE_YAML_OPTIONS = {
  version: "1.1",
  customTags: goYamlTags,
  prettyErrors: false,
  uniqueKeys: true,
} as const satisfies ParseOptions & DocumentOptions & SchemaOptions;

/** A limit past which aliases are an attack, not a manifest (go-yaml refuses "excessive aliasing" too). */
const MAX_ALIAS_COUNT = 10_000;
const TOO_MANY_ALIASES = "too many aliases (a YAML alias bomb?)";

/** One YAML document of a stream with its value and where its content starts. */
export interface YamlDocument {
  value: unknown;
  /** 1-based line of the document's content (after `---` and leading comments). */
  line: number;
  /** The text between the document's start and its content: the `---` line and comments. */
  preamble: string;
  /** Locate a nested node: 1-based line of `items[index]` of the document's root, when it has one. */
  itemLine(index: number): number;
}

/** A parse error as one fixed phrase: our own scalar errors are fixed phrases; the yaml package's may quote. */
function phraseOf(error: { code: keyof typeof YAML_ERROR_PHRASES; message: string }): string {
  if (error.code === "TAG_RESOLVE_FAILED" && UNREPRESENTABLE_PHRASES.has(error.message)) return error.message;
  return YAML_ERROR_PHRASES[error.code];
}

const MERGE_SOURCE = "a `<<` merge of something other than a mapping or a list of mappings";

/**
 * What sigs.k8s.io/yaml refuses or reads differently in keys and aliases, found before the yaml package turns
 * the document into JS: a mapping or sequence as a key, an alias used as a key (go-yaml reads its target as a
 * plain key), an alias to no anchor, a `<<` merge of a non-mapping, and `__proto__` keys (refused: no
 * manifest needs one, and JS objects treat it specially).
 *
 * The nodes are met in the yaml package's `visit` order (depth first; a pair, then its key, then its value),
 * with a stack of our own: `visit` copies the path to every node, which cost more than the checks, and recurses.
 */
function checkKeys(document: Document.Parsed, fail: (node: Node, problem: string) => never): void {
  const target = (node: unknown) => (isAlias(node) ? node.resolve(document) : node);
  const checkPair = (pair: Pair) => {
    const key = pair.key;
    if (isCollection(key)) fail(key, "a mapping or a sequence used as a mapping key");
    if (isScalar(key) && key.value === "__proto__") fail(key, "a `__proto__` mapping key");
    if (isAlias(key)) {
      const aliased = key.resolve(document);
      if (!isScalar(aliased)) return fail(key, "a mapping or a sequence used as a mapping key");
      const plain = aliased.type === Scalar.PLAIN && !aliased.tag && typeof aliased.source === "string";
      try {
        pair.key = new Scalar(plain ? plainScalarKey(aliased.source as string) : aliased.value);
      } catch (error) {
        if (error instanceof UnrepresentableScalarError) fail(key, error.message);
        throw error;
      }
    }
    if (isScalar(key) && typeof key.value === "symbol" && pair.value) {
      const source = target(pair.value);
      const maps = isSeq(source) ? source.items.map(target) : [source];
      if (!maps.every((item) => isMap(item))) fail(pair.value as Node, MERGE_SOURCE);
    }
  };
  const pending: unknown[] = [document.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isAlias(node)) {
      if (!node.resolve(document)) fail(node, "an alias to an anchor that is not defined before it");
    } else if (isCollection(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) pending.push(node.items[i]);
    } else if (isPair(node)) {
      checkPair(node);
      // The key as checkPair left it: an alias key is replaced by the scalar it stands for.
      pending.push(node.value, node.key);
    }
  }
}

/** A double-quoted scalar on one line with no escape and no single quote: it means exactly its characters. */
const VERBATIM_DOUBLE_QUOTED = /^"[^"\\'\n\r]*"$/;

/**
 * The tokens with every verbatim double-quoted scalar turned into the same text single-quoted. The yaml
 * package decodes a double-quoted scalar one character at a time into a string of as many pieces: a value of
 * megabytes (a JSON manifest, a `{{ .Values.x | quote }}`) then took seconds and some 35 bytes per character
 * (bench/large-value.mjs: 1.4 GB to read one 40 MB value). A single-quoted scalar is read with one slice, and
 * without escapes, quotes or line breaks both mean the characters between the quotes: the same value, the same
 * offsets (so the same error positions).
 */
function* verbatimQuotesAsSingle(tokens: Iterable<CST.Token>): Generator<CST.Token> {
  const asSingle = (token: CST.Token | null | undefined) => {
    if (token?.type !== "double-quoted-scalar" || !VERBATIM_DOUBLE_QUOTED.test(token.source)) return;
    token.type = "single-quoted-scalar";
    token.source = `'${token.source.slice(1, -1)}'`;
  };
  for (const token of tokens) {
    // A walk with its own stack, not CST.visit: that recurses, and a document nested 5 000 deep must reach
    // the nesting-depth check as bad input, not overflow the call stack here.
    const pending: (CST.Token | null | undefined)[] = token.type === "document" ? [token.value] : [];
    while (pending.length > 0) {
      const node = pending.pop();
      if (!node) continue;
      if ("items" in node) for (const item of node.items) pending.push(item.key, item.value);
      else asSingle(node);
    }
    yield token;
  }
}

/**
 * Where the items of a document's root `items` list start (what `document.getIn(["items", i], true)` finds),
 * for `itemLine`: read now, so that the document need not be kept.
 */
function rootItemStarts(document: Document.Parsed): (number | undefined)[] {
  const items = document.getIn(["items"], true);
  if (!isSeq(items)) return [];
  return items.items.map((item) => (item as { range?: [number, number, number] } | null)?.range?.[0]);
}

/**
 * Parses a multi-document YAML stream the way Kubernetes tools read it. Syntax errors become one
 * YamlInputError at the line and column of the first error; its wording never quotes the source (the stream
 * may hold Secret values). Each document is turned into its value as soon
 * as the composer has finished it, and then dropped: a Document keeps its nodes and their CST tokens, and
 * holding all of them until the stream's end (what parseAllDocuments does) made 20 000 one-line documents cost
 * hundreds of megabytes (bench/offline-scale.mjs).
 */
export function parseYamlStream(text: string, origin: string): YamlDocument[] {
  return withPlainEnv(() => parseStream(text, origin, false));
}

/** parseYamlStream with every document composed: for the tests that compare both ways of reading. */
export function parseYamlStreamComposed(text: string, origin: string): YamlDocument[] {
  return withPlainEnv(() => parseStream(text, origin, true));
}

function parseStream(text: string, origin: string, shortcutsOff: boolean): YamlDocument[] {
  const lineCounter = new LineCounter();
  // What parseAllDocuments does, with the verbatim double-quoted scalars read as single-quoted (see there).
  const tokens = verbatimQuotesAsSingle(new Parser(lineCounter.addNewLine).parse(text));
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const failAt = (offset: number, problem: string): never => {
    const { line, col } = lineCounter.linePos(offset);
    throw new YamlInputError(origin, `malformed YAML: ${problem}`, line, col);
  };
  const out: YamlDocument[] = [];
  const composed = (document: Document.Parsed) => {
    const error = document.errors[0];
    if (error) failAt(error.pos[0], phraseOf(error));
    checkKeys(document, (node, problem) => failAt(node.range?.[0] ?? document.range[0], problem));
    const contents = document.contents;
    const start = contents?.range[0] ?? document.range[0];
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      if (error instanceof ReferenceError && error.message.startsWith("Excessive alias count")) {
        failAt(start, TOO_MANY_ALIASES);
      }
      throw error;
    }
    out.push(
      yamlDocument(
        value,
        // The stream's first document may start after comments that the parser attaches to no document.
        text.slice(out.length === 0 ? 0 : document.range[0], start),
        start,
        rootItemStarts(document),
        lineAt,
      ),
    );
  };
  // Documents of the plain shape are read from the tokens (src/sources/plain-yaml-tokens.ts). From the first
  // document that is not plain, the Composer reads the rest: it would have finished every earlier document
  // there, so it reads the rest as it would have. Any other token between documents that is not a comment, a
  // blank or a clean `...` (a directive, an error, a `...` with text after it) could have changed how the
  // Composer finished the document before it: then the whole stream is read again, composed.
  let composer: Composer | undefined;
  for (const token of tokens) {
    if (composer === undefined && !shortcutsOff) {
      if (BETWEEN_DOCUMENTS.has(token.type)) continue;
      if (token.type === "doc-end" && out.length > 0 && plainDocumentEnd(token)) continue;
      if (token.type !== "document") return parseStream(text, origin, true);
      const plain = readPlainDocument(token);
      if (plain) {
        const preamble = text.slice(out.length === 0 ? 0 : token.offset, plain.start);
        out.push(yamlDocument(plain.value, preamble, plain.start, plain.itemStarts, lineAt));
        continue;
      }
    }
    composer ??= new Composer(KUBE_YAML_OPTIONS);
    for (const document of composer.next(token)) composed(document);
  }
  if (composer) for (const document of composer.end()) composed(document);
  return out;
}

/** Top-level tokens the Composer only keeps as the next document's leading comment, or skips. */
const BETWEEN_DOCUMENTS: ReadonlySet<string> = new Set(["comment", "newline", "space", "byte-order-mark"]);

/**
 * A YamlDocument made outside parseYamlStream's loop: a closure made there would share its scope with the
 * `document` the loop's error handler captures, and so keep every Document alive for as long as the result.
 */
function yamlDocument(
  value: unknown,
  preamble: string,
  start: number,
  itemStarts: readonly (number | undefined)[],
  lineAt: (offset: number) => number,
): YamlDocument {
  return {
    value,
    line: lineAt(start),
    preamble,
    itemLine(index) {
      const itemStart = itemStarts[index];
      return itemStart === undefined ? lineAt(start) : lineAt(itemStart);
    },
  };
}
