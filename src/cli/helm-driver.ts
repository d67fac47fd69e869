import { UsageError } from "../errors.js";
import type { DesiredFrom } from "./check-options.js";

/**
 * HELM_DRIVER values under which Helm keeps releases in Secrets, the only storage `--desired-from secrets`
 * reads (helm `pkg/action/action.go` Init: "secret", "secrets" and unset or empty all mean the Secrets driver).
 */
const SECRETS_DRIVERS = new Set(["", "secret", "secrets"]);

/**
 * `--desired-from secrets` under another storage driver (configmap, sql, memory) would find no release and
 * report the namespace empty: refuse it with one line instead. `--desired-from helm` needs nothing: helm reads
 * HELM_DRIVER itself from the environment helm-drift passes on whole.
 */
export function requireSecretsDriver(desiredFrom: DesiredFrom, env: NodeJS.ProcessEnv): void {
  const driver = env.HELM_DRIVER ?? "";
  if (desiredFrom !== "secrets" || SECRETS_DRIVERS.has(driver)) return;
  throw new UsageError(
    `--desired-from secrets reads Helm's release Secrets, but HELM_DRIVER is "${driver}": use --desired-from helm, which reads releases through helm and its storage driver`,
  );
}
