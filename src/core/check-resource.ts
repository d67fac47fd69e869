import { ForbiddenError } from "../cluster/api-server-error.js";
import type { ClusterReader } from "../cluster/cluster-reader.js";
import { compareObjects } from "../diff/diff-objects.js";
import { generatedBy } from "../explain/generated-values.js";
import type { ScaleTarget } from "../model/autoscaler.js";
import type { KubeObject } from "../model/kube.js";
import type { ChartTemplate } from "../model/release.js";
import type { FluxOwner, ResourceReport } from "../model/report.js";
import { isSecret } from "../model/secret-kind.js";
import type { FindingFilter } from "../noise/finding-filter.js";
import type { ClusterAutoscalers } from "./cluster-autoscalers.js";
import { isFatal } from "./fatal-errors.js";
import type { Limiter } from "./limiter.js";
import { type LocatedResource, locateResource } from "./locate-resource.js";
import { reportLocatedResource } from "./report-resource.js";

export interface ReleaseContext {
  name: string | null;
  namespace: string | null;
  /** The revision checked; null when unknown (offline files). */
  revision: number | null;
  chartName: string | null;
  chartVersion: string | null;
  flux: FluxOwner | null;
  /** What the release's own autoscalers (HPA, KEDA ScaledObject) scale. */
  scaleTargets: readonly ScaleTarget[];
  /** What the live autoscalers scale, listed once per namespace for the run. */
  clusterAutoscalers: ClusterAutoscalers;
  /**
   * The chart's templates as the release recorded them, read on first use (one helm call, or already in the
   * release Secret); resolves to null when they cannot be had (a manifest file).
   */
  templates: () => Promise<readonly ChartTemplate[] | null>;
}

export interface RenderedResource {
  object: KubeObject;
  source: string | null;
  /** 1-based line of the object in the release manifest; null when unknown. */
  line: number | null;
}

/**
 * One rendered object, end to end: locate it live (I/O), then the pure steps — compare once, classify, filter,
 * derive (src/core/report-resource.ts). A failure to read or compare this object makes it Unreadable; the
 * release's other objects are still checked.
 */
export async function checkResource(
  rendered: RenderedResource,
  release: ReleaseContext,
  reader: ClusterReader,
  limit: Limiter,
  filter: FindingFilter | null = null,
): Promise<ResourceReport> {
  let located: LocatedResource | null = null;
  try {
    located = await locateResource(
      rendered.object,
      release.namespace,
      reader,
      limit,
      release.scaleTargets,
      release.clusterAutoscalers,
    );
    if (located.status !== "found" || !isSecret(located.ref))
      return reportLocatedResource(rendered, located, release, filter);
    // Only a Secret that differs needs the chart's templates: does the chart generate the values that differ?
    // It is compared once, and the comparison is handed on.
    const comparison = compareObjects(rendered.object, located.live, located.listTypes);
    const templates = comparison.findings.length === 0 ? null : await release.templates();
    const generated = templates === null ? null : generatedBy(templates, rendered.source);
    return reportLocatedResource(rendered, located, release, filter, generated, comparison);
  } catch (error) {
    if (isFatal(error)) throw error;
    const { object } = rendered;
    const ref = located?.ref ?? {
      apiVersion: object.apiVersion,
      kind: object.kind,
      namespace: object.metadata.namespace ?? release.namespace,
      name: object.metadata.name,
    };
    return {
      ...ref,
      source: rendered.source,
      manifestLine: rendered.line,
      status: "Unreadable",
      // A refused discovery (403) says the objects may not be read, as a refused GET does; not a failed read.
      reason: {
        code: error instanceof ForbiddenError ? "forbidden" : "read-failed",
        detail: (error as Error).message,
      },
      findings: [],
      explanations: [],
      healsOnUpgrade: null,
      remediation: null,
    };
  }
}
