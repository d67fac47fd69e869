import { readFileSync } from "node:fs";
import path from "node:path";
import type { KubeObject } from "../../../src/model/kube.js";
import { parseLiveObjects } from "../../../src/sources/live-objects.js";
import { parseManifest } from "../../../src/sources/manifest-documents.js";

/**
 * The fixtures of fixtures/added-fields/, recorded from the e2e control plane by its record.mjs: the webapp chart
 * (ci/drift-values.yaml) installed with Helm, one kubectl command run on it, the object read back with its
 * managedFields. `rendered.yaml` is the release manifest they all share.
 */
const DIR = path.join(import.meta.dirname, "fixtures/added-fields");

/** Every live object a case recorded (one object, or every object of the release for the fresh installs). */
export function recordedLive(name: string): KubeObject[] {
  const file = path.join(DIR, `${name}.yaml`);
  return parseLiveObjects(readFileSync(file, "utf8"), file);
}

/** The one live object a case recorded. */
export function recordedObject(name: string): KubeObject {
  const [object, ...more] = recordedLive(name);
  if (!object || more.length > 0) throw new Error(`${name}.yaml: expected one object`);
  return object;
}

/** The rendered object of the release (parsed as Helm's manifest is: YAML 1.1, `0400` is octal). */
export function renderedFor(live: Pick<KubeObject, "kind" | "metadata">): KubeObject {
  const file = path.join(DIR, "rendered.yaml");
  const object = parseManifest(readFileSync(file, "utf8"), file)
    .map((document) => document.object)
    .find((candidate) => candidate.kind === live.kind && candidate.metadata.name === live.metadata.name);
  if (!object) throw new Error(`rendered.yaml has no ${live.kind}/${live.metadata.name}`);
  return object;
}
