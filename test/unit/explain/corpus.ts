import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import type { KubeObject } from "../../../src/model/kube.js";

/** ../shared/corpus: real objects recorded from API servers (see its SOURCES.md). Tests run from the repo root. */
export const CORPUS = path.resolve("../shared/corpus");

/** One object from the corpus, YAML or JSON by extension. */
export function corpusObject(relative: string): KubeObject {
  const text = readFileSync(path.join(CORPUS, relative), "utf8");
  return (relative.endsWith(".json") ? JSON.parse(text) : parse(text)) as KubeObject;
}
