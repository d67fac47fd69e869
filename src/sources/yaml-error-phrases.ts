import type { ErrorCode } from "yaml";

/**
 * What is wrong with a YAML stream, in words that never quote it: the yaml package's own messages do
 * (`Block scalar header includes extra characters: >Hunter2`), and the stream may hold Secret values. One
 * fixed phrase per error code; the compiler flags a code the yaml package adds.
 */
export const YAML_ERROR_PHRASES: Record<ErrorCode, string> = {
  ALIAS_PROPS: "an alias cannot have an anchor or a tag",
  BAD_ALIAS: "an alias that is not well formed",
  BAD_COLLECTION_TYPE: "a tag that does not fit this mapping or sequence",
  BAD_DIRECTIVE: "a directive that is not well formed",
  BAD_DQ_ESCAPE: "an invalid escape sequence in a double-quoted string",
  BAD_INDENT: "wrong indentation",
  BAD_PROP_ORDER: "an anchor or a tag in the wrong place",
  BAD_SCALAR_START: "a plain value that starts with a reserved character",
  BLOCK_AS_IMPLICIT_KEY: "a nested mapping or block value on the line of its key",
  BLOCK_IN_FLOW: "a block value inside a flow collection ([…] or {…})",
  DUPLICATE_KEY: "a mapping key that appears twice",
  IMPOSSIBLE: "YAML the parser cannot read",
  KEY_OVER_1024_CHARS: "an implicit mapping key longer than 1024 characters",
  MISSING_CHAR: "a missing closing quote or bracket",
  MULTILINE_IMPLICIT_KEY: "an implicit mapping key that spans several lines",
  MULTIPLE_ANCHORS: "a node with more than one anchor",
  MULTIPLE_DOCS: "several documents where one is expected",
  MULTIPLE_TAGS: "a node with more than one tag",
  NON_STRING_KEY: "a mapping key that is not a string",
  // The yaml package reports only a stack overflow while composing nested collections with this code.
  RESOURCE_EXHAUSTION: "mappings or sequences nested too deeply",
  TAB_AS_INDENT: "a tab used as indentation",
  TAG_RESOLVE_FAILED: "a value its tag cannot describe",
  UNEXPECTED_TOKEN: "unexpected text (a stray character, or a block scalar header with extra characters)",
};
