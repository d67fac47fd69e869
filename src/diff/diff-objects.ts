import type { ListTypes } from "../cluster/cluster-reader.js";
import type { RawFinding } from "../model/finding.js";
import type { KubeObject } from "../model/kube.js";
import { normalizeLive, normalizeRendered } from "../normalize/normalize-object.js";
import { ROOT } from "./cursor.js";
import { diffValue } from "./walk.js";

/**
 * Field-level drift of one object: what the rendered manifest states that the live object does not hold
 * (missing, changed), plus live-only entries of keyed lists (extra). Both objects are raw; they are normalized here.
 * `listTypes` are the CRD's list-type facts for a custom resource, null for built-in kinds.
 */
export function diffObjects(
  desired: KubeObject,
  live: KubeObject,
  listTypes: ListTypes | null,
): RawFinding[] {
  const findings: RawFinding[] = [];
  const object = { apiVersion: desired.apiVersion, kind: desired.kind, listTypes };
  diffValue(normalizeRendered(desired), normalizeLive(live), ROOT, object, findings);
  return findings;
}
