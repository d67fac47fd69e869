import { isPlainObject, type KubeObject, type ObjectRef } from "../model/kube.js";
import { fieldNames, type Path } from "../model/path.js";
import { isSecret } from "../model/secret-kind.js";
import { LAST_APPLIED_ANNOTATION } from "../normalize/last-applied-annotation.js";

/** What every secret value is replaced with in findings, diffs and explanations. */
export const MASK = "*** (masked)";

/** Fields of a Secret whose map values are secret (`data.password`, `stringData.token`, …). */
const SECRET_VALUE_FIELDS = new Set(["data", "stringData"]);

/** Which object a finding or a projection belongs to: enough to tell whether it is a Secret. */
export type KindRef = Pick<ObjectRef, "apiVersion" | "kind">;

/**
 * Masking is a separate step after diffing (as fluxcd/pkg `ssa/jsondiff/mask.go` does): the diff compares
 * real values; everything shown to people goes through here first. Only Secrets (`isSecret`: core group,
 * kind Secret) are masked — that covers service-account tokens (`kubernetes.io/service-account-token`
 * Secrets keep the token in `data.token`) and Helm's own release records.
 */
export function maskFinding<F extends { path: Path; desired: unknown; live: unknown }>(
  ref: KindRef,
  finding: F,
): F {
  if (!isSecret(ref)) return finding;
  const fields = fieldNames(finding.path);
  return { ...finding, desired: maskAt(fields, finding.desired), live: maskAt(fields, finding.live) };
}

/**
 * A copy of `object` with its secret values masked; the object itself when `ref` is not a Secret. `object` is
 * the Secret or a part of it from its root (a projection for display), so `ref` says what it belongs to.
 */
export function maskObject<T>(ref: KindRef, object: T): T;
/** A copy of a whole object with its secret values masked; the object itself when it is not a Secret. */
export function maskObject(object: KubeObject): KubeObject;
export function maskObject(...args: [ref: KindRef, object: unknown] | [object: KubeObject]): unknown {
  const value = args.length === 2 ? args[1] : args[0];
  return isSecret(args[0]) ? maskAt([], value) : value;
}

/** `value` sits at `fields` (field names from the Secret's root); returns it with secret values masked. */
function maskAt(fields: readonly string[], value: unknown): unknown {
  if (value === undefined || value === null) return value;
  if (fields.length >= 2 && SECRET_VALUE_FIELDS.has(fields[0] ?? "")) return MASK;
  if (
    fields.length === 3 &&
    fields[0] === "metadata" &&
    fields[1] === "annotations" &&
    fields[2] === LAST_APPLIED_ANNOTATION
  ) {
    return maskLastApplied(value);
  }
  if (Array.isArray(value)) return value.map((item) => maskAt(fields, item));
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [key, maskAt([...fields, key], child)]),
  );
}

/**
 * kubectl apply stores a Secret's whole configuration, values included, in its last-applied annotation.
 * A readable one keeps its shape with the values masked; anything else is masked whole.
 */
function maskLastApplied(value: unknown): string {
  if (typeof value !== "string") return MASK;
  try {
    const parsed: unknown = JSON.parse(value);
    return isPlainObject(parsed) ? JSON.stringify(maskAt([], parsed)) : MASK;
  } catch {
    return MASK;
  }
}
