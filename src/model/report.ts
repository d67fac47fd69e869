import type { Finding, Severity } from "./finding.js";

export type ResourceStatus = "InSync" | "Drifted" | "Missing" | "Unreadable";
export type ReleaseStatus = "InSync" | "Drifted" | "Error";

export interface RemediationStep {
  description: string;
  command: string;
}

export type RemediationStrategy = "recreate" | "patch" | "upgrade";

export interface Remediation {
  strategy: RemediationStrategy;
  steps: RemediationStep[];
  /** Other strategies that would also repair it (e.g. `patch` beside `recreate`). */
  alternatives?: { strategy: RemediationStrategy; reason: string; steps: RemediationStep[] }[];
  /** Why this strategy was chosen (e.g. why recreate is not offered for a PVC). */
  reason?: string;
}

export interface ResourceReport {
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
  /** The `# Source:` template of the rendered document, when the manifest has one. */
  source: string | null;
  status: ResourceStatus;
  /** Why the object is Missing or Unreadable (not found, forbidden, kind not served). */
  reason?: string;
  findings: Finding[];
  explanations: string[];
  /** Whether `helm upgrade` re-sends the drifted fields; null when unknown or nothing drifted. */
  selfHealsOnUpgrade: boolean | null;
  remediation: Remediation | null;
  /** Unified diff of the rendered fields against the same fields live, secret values masked; null when in sync. */
  diff?: string | null;
}

export interface FluxOwner {
  name: string;
  namespace: string;
}

export interface ReleaseReport {
  name: string | null;
  namespace: string | null;
  revision: number | null;
  /** `chartName-chartVersion`, as `helm list` prints it. */
  chart: string | null;
  chartName?: string | null;
  chartVersion?: string | null;
  status: ReleaseStatus;
  error?: string;
  /** The Flux HelmRelease that manages this release, from the objects' helm.toolkit.fluxcd.io labels. */
  flux?: FluxOwner | null;
  resources: ResourceReport[];
}

export interface ReportSummary {
  releases: number;
  resources: number;
  drifted: number;
  missing: number;
  findings: number;
  bySeverity: Record<Severity, number>;
}

export interface DriftReport {
  apiVersion: "helm-drift/v1";
  kind: "DriftReport";
  generatedAt: string;
  summary: ReportSummary;
  releases: ReleaseReport[];
}
