import { ForbiddenError } from "../cluster/api-server-error.js";
import type { KubeApi } from "../cluster/kube-api-client.js";
import type { ReleaseSource } from "../model/release.js";
import type { DesiredFromSource, DriftReport } from "../model/report.js";
import { FirstReadableSource } from "../sources/first-readable-source.js";
import { releaseStorageSource } from "../sources/release-secrets-client.js";
import type { ReleaseStorage, ReleaseStorageSource } from "../sources/release-secrets-source.js";
import type { DesiredFrom } from "./check-options.js";

/** The helm CLI as a release source, with the helm commands still running (for a deadline's message). */
export type HelmSource = ReleaseSource & { pending(): string[] };

/** The release source of a cluster check, and which source answered once it has read. */
export interface DesiredSource {
  source: ReleaseSource;
  /** The helm CLI source when helm may run (its pending commands name what a deadline stopped). */
  helm: HelmSource | null;
  used(): DesiredFromSource | null;
}

/**
 * `--desired-from` as a ReleaseSource. `storage` is what HELM_DRIVER names when helm-drift can read it
 * (src/cli/helm-driver.ts); null under `auto` means the helm CLI alone (sql, memory). `helmCli` makes the helm
 * source, only when helm may run.
 */
export function desiredSource(
  desiredFrom: DesiredFrom,
  storage: ReleaseStorage | null,
  api: KubeApi,
  helmCli: () => HelmSource,
): DesiredSource {
  const direct = storage === null ? null : releaseStorageSource(api, storage);
  if (desiredFrom === "secrets" && direct !== null)
    return { source: direct, helm: null, used: () => direct.storage };
  const helm = helmCli();
  if (desiredFrom === "helm" || direct === null) return { source: helm, helm, used: () => "helm" };
  const auto = new FirstReadableSource<ReleaseStorageSource, HelmSource>(
    direct,
    helm,
    (error) => error instanceof ForbiddenError,
  );
  return {
    source: auto,
    helm,
    used: () => {
      const used = auto.used();
      return used === null ? null : used === direct ? direct.storage : "helm";
    },
  };
}

/** The report with where its manifests came from, after `generatedAt`. */
export function withDesiredFrom(report: DriftReport, used: DesiredFromSource | null): DriftReport {
  if (used === null) return report;
  const { apiVersion, kind, generatedAt, ...rest } = report;
  return { apiVersion, kind, generatedAt, desiredFrom: used, ...rest };
}
