import { type Document, isAlias, isMap, isSeq, Scalar, type ScalarTag } from "yaml";

/** What the yaml package hands a merge key's `addToJSMap` (its ToJSContext, of which we need the document). */
type MergeContext = { doc: Document } | undefined;

function resolveAlias(node: unknown, doc: Document): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

/**
 * `<<` as go-yaml v2 merges it: where the merge key stands, each merged mapping's keys are set, overriding
 * keys already there (`a: 1` then `<<: {a: 2}` gives 2; keys after the merge override it in turn). A list is
 * merged from its last mapping to its first, so the first wins. The yaml package instead never overrides.
 * https://github.com/yaml/go-yaml/blob/v2.4.0/decode.go (decoder.merge). Non-mapping sources are refused
 * before this runs (src/sources/kube-yaml.ts).
 */
function addMergeToJSMap(ctx: MergeContext, map: Record<string, unknown>, value: unknown): void {
  if (!ctx) return;
  const source = resolveAlias(value, ctx.doc);
  const items = isSeq(source) ? [...source.items].reverse() : [source];
  for (const item of items) {
    const merged = resolveAlias(item, ctx.doc);
    if (!isMap(merged)) continue;
    const entries = merged.toJSON(null, ctx as never, Map) as Map<unknown, unknown>;
    for (const [key, entry] of entries) {
      Object.defineProperty(map, String(key), {
        value: entry,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
  }
}

export const GO_YAML_MERGE_TAG: ScalarTag = {
  tag: "tag:yaml.org,2002:merge",
  default: "key",
  test: /^<<$/,
  resolve: () => Object.assign(new Scalar(Symbol("<<")), { addToJSMap: addMergeToJSMap }),
};
