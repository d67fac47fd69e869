import { HelmDriftError } from "../errors.js";
import { formatIdentity, type ObjectRef } from "../model/kube.js";

/**
 * An object could not be normalized for comparison (e.g. a Secret's `stringData` holds a non-string value, which
 * the API server would reject as well). Carries the object it happened on; never logged and skipped, because a
 * silently skipped rule turns into false findings or, worse, hidden drift.
 */
export class NormalizationError extends HelmDriftError {
  constructor(
    readonly object: Pick<ObjectRef, "kind" | "namespace" | "name">,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${formatIdentity(object)}: ${problem}`, options);
  }
}
