import { cloneJson } from "../model/clone-json.js";
import { isPlainObject, type KubeObject, refOf } from "../model/kube.js";
import { removeLastAppliedAnnotation } from "./last-applied-annotation.js";
import { NormalizationError } from "./normalization-error.js";
import { removeSecretDataLineBreaks } from "./secret-data-line-breaks.js";
import { foldSecretStringData } from "./secret-string-data.js";
import { removeServerMetadata } from "./server-metadata.js";
import { removeStatus } from "./status.js";
import { removeTypeMeta } from "./type-meta.js";

/**
 * The rendered object as the API server would hold it, minus what is never compared. A deep copy; the input is
 * not changed. Comparison-time rules (empty equals absent, quantities, list keys) live in the diff walk.
 */
export function normalizeRendered(object: KubeObject): Record<string, unknown> {
  const copy = copyOf(object, "rendered");
  const ref = refOf(object);
  foldSecretStringData(copy, ref);
  removeSecretDataLineBreaks(copy, ref);
  removeCommonFields(copy);
  return copy;
}

/** The live object minus what is never compared. Only removes fields, so paths into it stay paths into the original. */
export function normalizeLive(object: KubeObject): Record<string, unknown> {
  const copy = copyOf(object, "live");
  removeCommonFields(copy);
  return copy;
}

function removeCommonFields(copy: Record<string, unknown>): void {
  removeServerMetadata(copy);
  removeLastAppliedAnnotation(copy);
  removeStatus(copy);
  removeTypeMeta(copy);
}

function copyOf(object: KubeObject, side: "rendered" | "live"): Record<string, unknown> {
  if (!isPlainObject(object) || !isPlainObject(object.metadata)) {
    throw new NormalizationError(
      { kind: String(object?.kind ?? "?"), namespace: null, name: String(object?.metadata?.name ?? "?") },
      `the ${side} object is not a Kubernetes object with metadata`,
    );
  }
  return cloneJson(object) as Record<string, unknown>;
}
