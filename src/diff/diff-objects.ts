import type { ListTypes } from "../cluster/cluster-reader.js";
import type { RawFinding } from "../model/finding.js";
import type { KubeObject } from "../model/kube.js";
import { normalizeLive, normalizeRendered } from "../normalize/normalize-object.js";
import { findBrokenReferences } from "../rules/broken-references.js";
import { findAddedFields } from "./added-fields.js";
import { ROOT } from "./cursor.js";
import { diffValue } from "./walk.js";

/** The one comparison of an object: both sides normalized, and every raw finding between them. */
export interface Comparison {
  /** The rendered object, normalized (what the findings' rendered pointers address). */
  readonly desired: Record<string, unknown>;
  /** The live object, normalized. */
  readonly live: Record<string, unknown>;
  /** Drift of the rendered fields, then fields added live, then broken references of the live object. */
  readonly findings: readonly RawFinding[];
}

/**
 * Compares one object once: normalizes both sides, walks the rendered fields (missing, changed, and live-only
 * entries of keyed lists), finds the fields someone added live that the release does not render (from the live
 * managedFields), and checks the live pod templates for broken volume references. Everything shown or
 * repaired later is derived from this result; nothing walks the pair again. `listTypes` are the CRD's list-type
 * facts for a custom resource, null for built-in kinds.
 */
export function compareObjects(
  desired: KubeObject,
  live: KubeObject,
  listTypes: ListTypes | null,
): Comparison {
  const { normalizedDesired, normalizedLive, findings } = walkRenderedFields(desired, live, listTypes);
  const object = { apiVersion: desired.apiVersion, kind: desired.kind, listTypes };
  findings.push(...findAddedFields(normalizedDesired, normalizedLive, live.metadata.managedFields, object));
  findings.push(...findBrokenReferences(live));
  return { desired: normalizedDesired, live: normalizedLive, findings };
}

/**
 * The walk of the rendered fields only (no added fields, no reference check): what the rendered object states
 * that live does not hold, and live-only entries of its keyed lists.
 */
export function diffObjects(
  desired: KubeObject,
  live: KubeObject,
  listTypes: ListTypes | null,
): RawFinding[] {
  return walkRenderedFields(desired, live, listTypes).findings;
}

function walkRenderedFields(desired: KubeObject, live: KubeObject, listTypes: ListTypes | null) {
  const normalizedDesired = normalizeRendered(desired);
  const normalizedLive = normalizeLive(live);
  const findings: RawFinding[] = [];
  const object = { apiVersion: desired.apiVersion, kind: desired.kind, listTypes };
  diffValue(normalizedDesired, normalizedLive, ROOT, object, findings);
  return { normalizedDesired, normalizedLive, findings };
}
