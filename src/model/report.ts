import type { Explanation } from "../explain/explanation.js";
import type { Finding, Severity } from "./finding.js";
import type { FluxIgnoreStatus, IgnoredFinding } from "./ignore.js";
import type { NewerRevision } from "./release.js";
import type { FluxOwner, RemediationPlan } from "./remediation.js";

export type { FluxOwner } from "./remediation.js";

export const REPORT_API_VERSION = "helm-drift/v3";

export type HealVerdict = "yes" | "partly" | "no";

export type ResourceStatus = "InSync" | "Drifted" | "Missing" | "Unreadable";
/** Incomplete: some of its objects could not be read (Unreadable), so "in sync" cannot be said. */
export type ReleaseStatus = "InSync" | "Drifted" | "Incomplete" | "Error";

/** Why a resource is Missing or Unreadable: a code, and the API server's or reader's own words when it gave some. */
export type ResourceReason =
  | { code: "not-found" }
  | { code: "kind-not-served"; detail: string | null }
  | { code: "forbidden"; detail: string }
  | { code: "read-failed"; detail: string };

export interface ResourceReport {
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
  /** The `# Source:` template of the rendered document, when the manifest has one. */
  source: string | null;
  /** 1-based line where the object starts in the release manifest (`helm get manifest`); null when unknown. */
  manifestLine: number | null;
  status: ResourceStatus;
  /** Why the object is Missing or Unreadable. */
  reason?: ResourceReason;
  /** The findings kept after classification (and filtering), most severe first. */
  findings: Finding[];
  /** Findings an ignore rule, an ignored manager or Flux's opt-out dropped, with what dropped them; absent: none. */
  ignoredFindings?: IgnoredFinding[];
  explanations: Explanation[];
  /**
   * Whether the next `helm upgrade --reuse-values` brings the object back in sync, from each finding's `upgrade`
   * outcome: `yes` (it restores every finding), `partly`, `no` (it restores none, or fails on the object);
   * null when nothing drifted or the object could not be read.
   */
  healsOnUpgrade: HealVerdict | null;
  remediation: RemediationPlan | null;
  /** Unified diff of the rendered fields against the same fields live, secret values masked; null when in sync. */
  diff?: string | null;
}

export interface ReleaseReport {
  name: string | null;
  namespace: string | null;
  revision: number | null;
  /** `chartName-chartVersion`, as `helm list` prints it. */
  chart: string | null;
  chartName?: string | null;
  chartVersion?: string | null;
  /**
   * The release's newest revision when it is newer than `revision`, the last deployed one that was checked (an
   * upgrade or rollback that failed or is pending); null when none or unknown. Set on every checked release.
   */
  newerRevision?: NewerRevision | null;
  status: ReleaseStatus;
  error?: string;
  /** The Flux HelmRelease that manages this release, from the objects' helm.toolkit.fluxcd.io labels. */
  flux?: FluxOwner | null;
  /** Whether that HelmRelease's `spec.driftDetection.ignore` rules were read and applied; null when not Flux-managed. */
  fluxIgnore?: FluxIgnoreStatus | null;
  resources: ResourceReport[];
}

export interface ReportSummary {
  releases: number;
  resources: number;
  drifted: number;
  missing: number;
  findings: number;
  bySeverity: Record<Severity, number>;
  /** Findings that were found but ignored (rules, managers, opt-out): not in `findings` nor the exit code. */
  ignored: number;
}

/**
 * Where a cluster check read the rendered manifests: Helm's release Secrets or ConfigMaps read directly, or the
 * helm CLI (`--desired-from auto` chooses; see src/sources/first-readable-source.ts).
 */
export type DesiredFromSource = "secrets" | "configmaps" | "helm";

export interface DriftReport {
  apiVersion: typeof REPORT_API_VERSION;
  kind: "DriftReport";
  generatedAt: string;
  /** Where the rendered manifests were read, for a check against a cluster; absent for manifest files. */
  desiredFrom?: DesiredFromSource;
  summary: ReportSummary;
  releases: ReleaseReport[];
}
