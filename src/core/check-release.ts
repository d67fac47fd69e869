import type { ClusterReader } from "../cluster/cluster-reader.js";
import type { HelmDriftError } from "../errors.js";
import { scaleTargetOf } from "../model/autoscaler.js";
import type { ReleaseData } from "../model/release.js";
import type { FluxOwner, ReleaseReport, ReleaseStatus, ResourceReport } from "../model/report.js";
import { findingFilter, NO_RULES, type NoiseRules, withHelmReleaseRules } from "../noise/finding-filter.js";
import { helmReleaseRules } from "../noise/helm-release-rules.js";
import { parseManifest } from "../sources/manifest-documents.js";
import { checkResource, type ReleaseContext } from "./check-resource.js";
import { ClusterAutoscalers } from "./cluster-autoscalers.js";
import { fluxOwnerOf } from "./flux-owner.js";
import type { Limiter } from "./limiter.js";

/**
 * Checks every object of one release's manifest; resources are compared concurrently within `limit`. What is
 * not drift comes from `noise` (the config file) plus the ignore rules of the Flux HelmRelease that manages the
 * release, when there is one. `clusterAutoscalers`: the run's look-up of live autoscalers, shared by releases.
 */
export async function checkRelease(
  release: ReleaseData,
  reader: ClusterReader,
  limit: Limiter,
  noise: NoiseRules = NO_RULES,
  clusterAutoscalers: ClusterAutoscalers = new ClusterAutoscalers(reader, limit),
): Promise<ReleaseReport> {
  const documents = release.documents ?? parseManifest(release.manifest, release.origin);
  const context: ReleaseContext = {
    name: release.name,
    namespace: release.namespace,
    revision: release.revision,
    chartName: release.chartName,
    chartVersion: release.chartVersion,
    flux: documents.map((d) => fluxOwnerOf(d.object)).find((owner) => owner !== null) ?? null,
    scaleTargets: documents.flatMap((d) => scaleTargetOf(d.object, release.namespace) ?? []),
    clusterAutoscalers,
    templates: once(release.templates ?? (async () => null)),
  };
  const flux =
    context.flux === null ? null : await limit(() => helmReleaseRules(reader, context.flux as FluxOwner));
  const filter = findingFilter(withHelmReleaseRules(noise, flux?.rules ?? []));
  const resources = await Promise.all(
    documents.map((document) => checkResource(document, context, reader, limit, filter)),
  );
  return {
    ...releaseIdentity(release),
    newerRevision: release.newerRevision ?? null,
    status: releaseStatus(resources),
    flux: context.flux,
    fluxIgnore: flux?.status ?? null,
    resources,
  };
}

/** The report of a release that could not be checked; `error` is a known failure's one-line message. */
export function failedRelease(
  release: Partial<ReleaseData> & Pick<ReleaseData, "name" | "namespace">,
  error: HelmDriftError,
): ReleaseReport {
  return {
    ...releaseIdentity({ revision: null, chartName: null, chartVersion: null, ...release }),
    status: "Error",
    error: error.message,
    resources: [],
  };
}

function releaseIdentity(
  release: Pick<ReleaseData, "name" | "namespace" | "revision" | "chartName" | "chartVersion">,
) {
  return {
    name: release.name,
    namespace: release.namespace,
    revision: release.revision,
    chart:
      release.chartName && release.chartVersion
        ? `${release.chartName}-${release.chartVersion}`
        : release.chartName,
    chartName: release.chartName,
    chartVersion: release.chartVersion,
  };
}

/**
 * Incomplete when any object could not be read: whatever the others say, the release was not fully checked
 * (and the exit code is 1, as an error beats drift). Else Drifted when any object is Drifted or Missing.
 */
function releaseStatus(resources: readonly ResourceReport[]): ReleaseStatus {
  if (resources.some((resource) => resource.status === "Unreadable")) return "Incomplete";
  return resources.some(isDrift) ? "Drifted" : "InSync";
}

function isDrift(resource: ResourceReport): boolean {
  return resource.status === "Drifted" || resource.status === "Missing";
}

/** Calls `load` at most once; every caller shares its promise. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= load();
    return loaded;
  };
}
