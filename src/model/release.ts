import type { KubeObject } from "./kube.js";

/** One template file of the chart a release was installed from, as the release record stores it. */
export interface ChartTemplate {
  /** `templates/secret.yaml`, relative to the chart. */
  name: string;
  /** The template's text. */
  data: string;
}

/**
 * The newest revision of a release when it is newer than the deployed one that was checked: an upgrade or
 * rollback that failed, or one still pending (in progress, or interrupted). `description` is Helm's own
 * (`helm history`'s DESCRIPTION, the stored record's `info.description`), e.g. why the upgrade failed.
 */
export interface NewerRevision {
  revision: number;
  /** Helm's status word: `failed`, `pending-upgrade`, `pending-rollback`, … */
  status: string;
  description: string;
}

/** One object of a release manifest, as parsed (src/sources/manifest-documents.ts). */
export interface RenderedDocument {
  object: KubeObject;
  /** `chart/templates/x.yaml` from the `# Source:` comment Helm writes before each document; null without one. */
  source: string | null;
  /** 1-based line of the object in the manifest. */
  line: number;
}

/** A release as helm-drift needs it: identity, chart, and the rendered manifest. */
export interface ReleaseData {
  name: string | null;
  namespace: string | null;
  /** The revision checked: the last deployed one. */
  revision: number | null;
  chartName: string | null;
  chartVersion: string | null;
  /** Multi-document YAML as `helm get manifest` prints it. */
  manifest: string;
  /** Where the manifest came from, for error messages: a file path, `release default/foo`, `-` (stdin). */
  origin: string;
  /**
   * `manifest` already parsed, when the caller had to parse it anyway (an offline check first requires that
   * its manifest renders something); absent: parsed when the release is checked.
   */
  documents?: readonly RenderedDocument[];
  /** The release's newest revision when it is newer than `revision`; null when none, absent when unknown (files). */
  newerRevision?: NewerRevision | null;
  /**
   * The chart's templates as the checked revision recorded them, fetched when first asked for (a helm call, or
   * already decoded from the release Secret); absent or null when they cannot be had (a manifest file).
   */
  templates?: () => Promise<readonly ChartTemplate[] | null>;
}

/** One line of `helm list -o json`: a release at its newest revision. */
export interface ReleaseListing {
  name: string;
  namespace: string;
  revision: number | null;
  chartName: string | null;
  chartVersion: string | null;
  status: string;
}

/**
 * The statuses of a release's newest revision that get it listed: every one but `uninstalling` and
 * `uninstalled` (`helm uninstall --keep-history`: its objects are gone, there is nothing live to compare) and
 * `unknown` (Helm never writes it). Exactly what `helm list --deployed --failed --pending --superseded` keeps.
 */
export const LISTED_RELEASE_STATUSES: ReadonlySet<string> = new Set([
  "deployed",
  "failed",
  "pending-install",
  "pending-upgrade",
  "pending-rollback",
  "superseded",
]);

/** Which revision of a release is checked, decided the same way for every source. */
export type RevisionChoice<T> =
  /** No revision, or the newest one is not listed (uninstalled): there is no release to check. */
  | { kind: "absent" }
  /** No revision is deployed: nothing to compare with. */
  | { kind: "undeployed"; newest: T }
  /** The highest deployed revision, and the newest when it is newer than that. */
  | { kind: "deployed"; deployed: T; newer: T | null };

/**
 * The last deployed revision of a release, from all its revisions (`helm history`, or its storage Secrets):
 * superseded ones never count, and should a failed rollback have left two labelled deployed, the highest wins.
 */
export function chooseRevision<T extends { revision: number; status: string }>(
  revisions: readonly T[],
): RevisionChoice<T> {
  const highest = (candidates: readonly T[]) =>
    candidates.reduce<T | undefined>(
      (best, r) => (best === undefined || r.revision > best.revision ? r : best),
      undefined,
    );
  const newest = highest(revisions);
  if (newest === undefined || !LISTED_RELEASE_STATUSES.has(newest.status)) return { kind: "absent" };
  const deployed = highest(revisions.filter((r) => r.status === "deployed"));
  if (deployed === undefined) return { kind: "undeployed", newest };
  return { kind: "deployed", deployed, newer: newest.revision > deployed.revision ? newest : null };
}

/** Where desired state comes from: the helm CLI, Helm's release Secrets, or files. */
export interface ReleaseSource {
  /**
   * Releases in one namespace, or in all when namespace is null: every release whose newest revision's status
   * is in LISTED_RELEASE_STATUSES, whether or not that revision is the deployed one.
   */
  list(namespace: string | null): Promise<ReleaseListing[]>;
  /**
   * The last deployed revision: its manifest and chart, and the newer revision if there is one. Throws
   * NoDeployedRevisionError when no revision is deployed, ReleaseNotFoundError when there is no release or it
   * was uninstalled.
   */
  get(name: string, namespace: string): Promise<ReleaseData>;
}
