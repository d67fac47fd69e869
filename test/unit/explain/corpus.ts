import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { KubeObject } from "../../../src/model/kube.js";
import { corpusPath } from "../../helpers/corpus.js";

/** One object from test/fixtures/corpus (real objects recorded from API servers), YAML or JSON by extension. */
export function corpusObject(relative: string): KubeObject {
  const text = readFileSync(corpusPath(relative), "utf8");
  return (relative.endsWith(".json") ? JSON.parse(text) : parse(text)) as KubeObject;
}
