import type { ClusterReader } from "../cluster/cluster-reader.js";
import { HelmDriftError, InputError } from "../errors.js";
import type { ReleaseData, ReleaseListing, ReleaseSource } from "../model/release.js";
import { type DriftReport, REPORT_API_VERSION, type ReleaseReport } from "../model/report.js";
import type { NoiseRules } from "../noise/finding-filter.js";
import { checkRelease, failedRelease } from "./check-release.js";
import { ClusterAutoscalers } from "./cluster-autoscalers.js";
import { isFatal } from "./fatal-errors.js";
import { createLimiter, type Limiter } from "./limiter.js";
import { summarize } from "./summarize.js";
import { wantedObjects } from "./wanted-objects.js";

export interface CheckDependencies {
  reader: ClusterReader;
  /** Requests in flight at once, across releases and resources. */
  concurrency?: number;
  now?: () => Date;
  /**
   * What is not drift (ignore rules, ignored managers) and severity overrides, from a config file; none by
   * default. Flux's opt-out and the managing HelmRelease's ignore rules apply either way.
   */
  noise?: NoiseRules;
  /**
   * Told how many releases are checked so far out of how many: once when the total is known (after listing),
   * then after each release finishes, whatever its result. For a progress display; the core writes nothing.
   */
  onProgress?: (done: number, total: number) => void;
}

/** Which releases to check. */
export type ReleaseSelection =
  /** Releases given whole (offline files, or already fetched). */
  | { kind: "given"; releases: ReleaseData[] }
  /** Named releases, fetched from a ReleaseSource. */
  | { kind: "named"; source: ReleaseSource; releases: { name: string; namespace: string }[] }
  /** Every release in a namespace, or in all namespaces when namespace is null. */
  | { kind: "listed"; source: ReleaseSource; namespace: string | null }
  /** Every release in each of these namespaces (`helm-drift report -n a -n b`), listed one namespace at a time. */
  | { kind: "listed-in"; source: ReleaseSource; namespaces: readonly string[] };

export const DEFAULT_CONCURRENCY = 16;

/**
 * Releases checked at once, per request slot. A release parses its manifest and starts a comparison per object
 * as soon as it is checked; with every release started at once, 2 000 releases of 20 objects held 40 000 parsed
 * objects and their pending comparisons until the end (bench/fleet.mjs --objects-per-release 20). Two per slot
 * keep every slot busy while a release waits on a LIST.
 */
const RELEASES_PER_SLOT = 2;

/**
 * The library entry point: checks the selected releases against the cluster and returns the report.
 * A release that cannot be read or parsed becomes an `Error` entry; the others are still checked.
 */
export async function checkReleases(
  selection: ReleaseSelection,
  deps: CheckDependencies,
): Promise<DriftReport> {
  const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
  const limit = createLimiter(concurrency);
  const releaseSlot = createLimiter(concurrency * RELEASES_PER_SLOT);
  const now = deps.now ?? (() => new Date());
  const targets = await selectedReleases(selection, limit);
  let done = 0;
  deps.onProgress?.(done, targets.length);
  const fetched = deps.reader.prefetch ? await prefetched(targets, deps.reader, limit) : targets;
  const clusterAutoscalers = new ClusterAutoscalers(deps.reader, limit);
  const releases = await Promise.all(
    fetched.map(async (target) => {
      const release = await releaseSlot(() => checkOne(target, deps, limit, clusterAutoscalers));
      deps.onProgress?.(++done, targets.length);
      return release;
    }),
  );
  return {
    apiVersion: REPORT_API_VERSION,
    kind: "DriftReport",
    generatedAt: now().toISOString(),
    summary: summarize(releases),
    releases,
  };
}

type Target = { data: ReleaseData } | { fetch: () => Promise<ReleaseData>; name: string; namespace: string };

async function selectedReleases(selection: ReleaseSelection, limit: Limiter): Promise<Target[]> {
  switch (selection.kind) {
    case "given":
      return selection.releases.map((data) => ({ data }));
    case "named":
      return selection.releases.map(({ name, namespace }) => ({
        name,
        namespace,
        fetch: () => limit(() => selection.source.get(name, namespace)),
      }));
    case "listed":
    case "listed-in": {
      const namespaces = selection.kind === "listed" ? [selection.namespace] : selection.namespaces;
      const listed: ReleaseListing[] = (
        await Promise.all(namespaces.map((namespace) => selection.source.list(namespace)))
      ).flat();
      return listed.map(({ name, namespace }) => ({
        name,
        namespace,
        fetch: () => limit(() => selection.source.get(name, namespace)),
      }));
    }
  }
}

/**
 * Every release fetched first (within `limit`), then the objects they render announced to the reader, so that
 * it can read them in bulk (ClusterReader.prefetch); then each release is checked as usual. A failed fetch is
 * kept for checkOne to report, not asked again; a fatal one stops the run here.
 */
async function prefetched(targets: Target[], reader: ClusterReader, limit: Limiter): Promise<Target[]> {
  const fetched = await Promise.all(
    targets.map(async (target): Promise<{ target: Target; data: ReleaseData | null }> => {
      if ("data" in target) return { target, data: target.data };
      const release = target.fetch();
      try {
        return { target: { ...target, fetch: () => release }, data: await release };
      } catch (error) {
        if (!(error instanceof HelmDriftError) || isFatal(error)) throw error;
        return { target: { ...target, fetch: () => release }, data: null };
      }
    }),
  );
  const releases = fetched.flatMap(({ data }) => (data === null ? [] : [data]));
  reader.prefetch?.(await wantedObjects(releases, reader, limit));
  return fetched.map(({ target }) => target);
}

async function checkOne(
  target: Target,
  deps: CheckDependencies,
  limit: Limiter,
  clusterAutoscalers: ClusterAutoscalers,
): Promise<ReleaseReport> {
  let data: ReleaseData | undefined;
  try {
    data = "data" in target ? target.data : await target.fetch();
    return await checkRelease(data, deps.reader, limit, deps.noise, clusterAutoscalers);
  } catch (error) {
    if (!(error instanceof HelmDriftError) || isFatal(error)) throw error;
    // A file the user gave is their input: a bad one stops the run with one line naming it.
    if ("data" in target && error instanceof InputError) throw error;
    const identity =
      data ?? ("data" in target ? target.data : { name: target.name, namespace: target.namespace });
    return failedRelease(identity, error);
  }
}
