import {
  type DocumentOptions,
  LineCounter,
  type ParseOptions,
  parseAllDocuments,
  type SchemaOptions,
  type Tags,
} from "yaml";
import { InputError } from "../errors.js";

/**
 * Helm and kubectl turn YAML into JSON with sigs.k8s.io/yaml, which reads YAML 1.1 (go-yaml v2): `yes`/`on`
 * are booleans and `0755` is octal, so the API server received `true` and `493`. Reading manifests as YAML 1.2
 * would report those fields as drifted. go-yaml v2 keeps timestamp-like and sexagesimal (`1:20`) scalars as
 * strings when the target is untyped, so those two YAML 1.1 tags are left out.
 * https://github.com/kubernetes-sigs/yaml/blob/master/yaml.go (YAMLToJSON)
 */
function withoutTimeTags(tags: Tags): Tags {
  return tags.filter((tag) => {
    const name = typeof tag === "string" ? tag : tag.tag;
    const format = typeof tag === "string" ? undefined : tag.format;
    return format !== "TIME" && name !== "tag:yaml.org,2002:timestamp";
  });
}

const KUBE_YAML_OPTIONS = {
  version: "1.1",
  customTags: withoutTimeTags,
  prettyErrors: false,
  uniqueKeys: true,
} as const satisfies ParseOptions & DocumentOptions & SchemaOptions;

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

/**
 * Parses a multi-document YAML stream the way Kubernetes tools read it. Syntax errors become one InputError at
 * the line of the first error; its wording never quotes the source (the stream may hold Secret values).
 */
export function parseYamlStream(text: string, origin: string): YamlDocument[] {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { ...KUBE_YAML_OPTIONS, lineCounter });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const out: YamlDocument[] = [];
  for (const document of documents) {
    const error = document.errors[0];
    if (error) {
      throw new InputError(origin, `malformed YAML: ${error.message}`, lineAt(error.pos[0]));
    }
    const contents = document.contents;
    const start = contents?.range[0] ?? document.range[0];
    out.push({
      value: document.toJS({ maxAliasCount: 10_000 }),
      line: lineAt(start),
      // The stream's first document may start after comments that the parser attaches to no document.
      preamble: text.slice(out.length === 0 ? 0 : document.range[0], start),
      itemLine(index) {
        const items = document.getIn(["items", index], true) as
          | { range?: [number, number, number] }
          | undefined;
        return items?.range ? lineAt(items.range[0]) : lineAt(start);
      },
    });
  }
  return out;
}
