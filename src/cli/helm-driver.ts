import { UsageError } from "../errors.js";
import type { ReleaseStorage } from "../sources/release-secrets-source.js";
import type { DesiredFrom } from "./check-options.js";

/**
 * HELM_DRIVER values whose release storage helm-drift can read directly (helm `pkg/action/action.go` Init:
 * "secret", "secrets" and unset or empty mean the Secrets driver, "configmap" and "configmaps" the ConfigMaps
 * driver). `sql` (a database) and `memory` (nothing persisted) are reachable only through helm.
 */
const DIRECT_STORAGE: Record<string, ReleaseStorage> = {
  "": "secrets",
  secret: "secrets",
  secrets: "secrets",
  configmap: "configmaps",
  configmaps: "configmaps",
};

/**
 * The release storage HELM_DRIVER names, when helm-drift can read it directly; null when it cannot (sql,
 * memory, a value helm itself refuses). Then `--desired-from auto` uses the helm CLI, and `--desired-from
 * secrets`, which would find no release and report the namespace empty, is refused with one line. helm reads
 * HELM_DRIVER itself from the environment helm-drift passes on whole.
 */
export function directStorage(desiredFrom: DesiredFrom, env: NodeJS.ProcessEnv): ReleaseStorage | null {
  const driver = env.HELM_DRIVER ?? "";
  const storage = Object.hasOwn(DIRECT_STORAGE, driver) ? (DIRECT_STORAGE[driver] ?? null) : null;
  if (storage !== null || desiredFrom !== "secrets") return storage;
  throw new UsageError(
    `--desired-from secrets reads Helm's release storage (Secrets or ConfigMaps) directly, but HELM_DRIVER is "${driver}": use --desired-from helm, which reads releases through helm and its storage driver`,
  );
}
