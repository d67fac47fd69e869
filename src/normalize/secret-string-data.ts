import { isPlainObject, type ObjectRef } from "../model/kube.js";
import { isSecret } from "../model/secret-kind.js";
import { NormalizationError } from "./normalization-error.js";

/**
 * A Secret's `stringData` is write-only: the API server merges it into `data` as base64 of its UTF-8 bytes
 * (a `stringData` key wins over the same `data` key) and never returns `stringData`. So the rendered side is
 * rewritten the same way before comparing, and a repair writes `data`, never `stringData`.
 * Upstream: fluxcd/pkg ssa/normalize/normalize.go `normalizeSecret`, https://github.com/kubernetes/kubernetes/issues/108008
 */
export function foldSecretStringData(object: Record<string, unknown>, ref: ObjectRef): void {
  if (!isSecret(ref) || !("stringData" in object)) return;
  const stringData = object.stringData;
  delete object.stringData;
  if (stringData === null || stringData === undefined) return;
  if (!isPlainObject(stringData)) {
    throw new NormalizationError(ref, "Secret stringData is not a map of strings");
  }
  const data = isPlainObject(object.data) ? object.data : {};
  for (const [key, value] of Object.entries(stringData)) {
    if (value === null) continue;
    if (typeof value !== "string") {
      throw new NormalizationError(ref, `Secret stringData["${key}"] is a ${typeof value}, not a string`);
    }
    data[key] = Buffer.from(value, "utf8").toString("base64");
  }
  object.data = data;
}
