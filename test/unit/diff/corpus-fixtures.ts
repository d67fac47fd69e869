import { readFileSync } from "node:fs";
import path from "node:path";
import { parse, parseAllDocuments } from "yaml";
import type { RawFinding } from "../../../src/model/finding.js";
import type { KubeObject } from "../../../src/model/kube.js";
import { formatPath } from "../../../src/model/path.js";
import { corpusPath } from "../../helpers/corpus.js";

const parsed = new Map<string, unknown>();

/** A fresh copy of the object in a corpus file (JSON is YAML), relative to the corpus root; parsed once per file. */
export function loadCorpusObject(relativePath: string): KubeObject {
  if (!parsed.has(relativePath)) {
    parsed.set(relativePath, parse(readFileSync(corpusPath(relativePath), "utf8")));
  }
  return structuredClone(parsed.get(relativePath)) as KubeObject;
}

/** The single object of a fixture file next to these tests (a leading `---` and comments are allowed). */
export function loadFixture(name: string): KubeObject {
  const text = readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
  const documents = parseAllDocuments(text).filter((document) => document.contents !== null);
  if (documents.length !== 1) throw new Error(`${name}: expected one document, found ${documents.length}`);
  return documents[0]?.toJS() as KubeObject;
}

/** The live object's last-applied-configuration annotation: what `kubectl apply` sent, i.e. a rendered object. */
export function lastAppliedOf(live: KubeObject): KubeObject {
  const recorded = live.metadata.annotations?.["kubectl.kubernetes.io/last-applied-configuration"];
  if (recorded === undefined) throw new Error(`${live.metadata.name} has no last-applied-configuration`);
  return JSON.parse(recorded) as KubeObject;
}

/** A finding as `code path`, the shape expectations are written in. */
export function brief(finding: RawFinding): string {
  return `${finding.code} ${formatPath(finding.path)}`;
}
