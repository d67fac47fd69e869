import type { KubeObject } from "../model/kube.js";
import type { ReleaseData, RenderedDocument } from "../model/release.js";
import { splitChartReference } from "../sources/chart-reference.js";

/**
 * Helm stamps these on every object it manages (helm/helm pkg/action/validate.go setMetadataVisitor), so
 * a `kubectl get` dump tells which release and namespace the objects belong to even without helm.
 */
const RELEASE_NAME_ANNOTATION = "meta.helm.sh/release-name";
const RELEASE_NAMESPACE_ANNOTATION = "meta.helm.sh/release-namespace";
/**
 * `helm get manifest` heads each document with `# Source: <chart>/templates/…`, whose first segment is the
 * chart's real name (helm/helm pkg/releaseutil manifest sorting keeps the template path). Preferred over
 * the label, which charts may abbreviate (ARC's gha-runner-scale-set labels itself `gha-rs-<version>`).
 */
function chartNameFromSources(manifest: string): string | null {
  return /^# Source: ([^/\s]+)\//m.exec(manifest)?.[1] ?? null;
}

/** Most charts label objects `helm.sh/chart: <name>-<version>` (the `helm create` scaffold does). */
const CHART_LABEL = "helm.sh/chart";

/**
 * A release made from files: a manifest and the live objects. What the flags do not say (release name,
 * namespace, chart) is taken from Helm's own stamps on the live objects, so remediation commands are
 * complete for a support-bundle dump too.
 */
export function offlineRelease(input: {
  manifest: string;
  origin: string;
  /** The manifest already parsed, when the caller parsed it. */
  documents?: readonly RenderedDocument[];
  live: KubeObject[];
  release: string | null;
  namespace: string | null;
}): ReleaseData {
  const annotations = input.live.map((o) => o.metadata.annotations ?? {});
  const stamped = (key: string) =>
    annotations.map((a) => a[key]).find((v) => typeof v === "string" && v !== "") ?? null;
  const chartLabel =
    input.live.map((o) => o.metadata.labels?.[CHART_LABEL]).find((v) => typeof v === "string") ?? null;
  const chart = chartLabel ? splitChartReference(chartLabel) : { name: null, version: null };
  const chartName = chartNameFromSources(input.manifest) ?? chart.name;
  return {
    name: input.release ?? stamped(RELEASE_NAME_ANNOTATION),
    namespace: input.namespace ?? stamped(RELEASE_NAMESPACE_ANNOTATION),
    revision: null,
    chartName,
    chartVersion: chart.version,
    manifest: input.manifest,
    origin: input.origin,
    ...(input.documents === undefined ? {} : { documents: input.documents }),
  };
}
