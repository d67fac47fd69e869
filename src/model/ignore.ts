import type { Finding } from "./finding.js";

/** Where an ignore rule or severity override was written. */
export type RuleOrigin =
  /** helm-drift's config file (`--config`, or `.helm-drift.yaml` in the working directory). */
  | { kind: "config"; file: string }
  /** `spec.driftDetection.ignore` of the Flux HelmRelease that manages the release, read from the cluster. */
  | { kind: "helm-release"; name: string; namespace: string };

/**
 * Why a finding does not count as drift. The words are in the catalogue (src/catalogue/messages.ts).
 * - `path-rule`: an ignore rule in Flux's `driftDetection.ignore` syntax whose target matched the object and
 *   one of whose JSON pointers covers the finding (`index` is the rule's place in its list, `path` the pointer);
 * - `manager`: the field's live owner is one of the config's `ignoreManagers`;
 * - `opt-out`: the object carries Flux's `helm.toolkit.fluxcd.io/driftDetection: disabled`, rendered or live.
 */
export type IgnoreReason =
  | { by: "path-rule"; origin: RuleOrigin; index: number; path: string }
  | { by: "manager"; origin: RuleOrigin; manager: string }
  | { by: "opt-out"; on: "rendered" | "live"; metadata: "annotations" | "labels" };

/** A finding that was found but does not count: not in the findings, the exit code, the plan or the diff. */
export interface IgnoredFinding {
  finding: Finding;
  ignoredBy: IgnoreReason;
}

/**
 * Whether the ignore rules of the Flux HelmRelease that manages a release were read:
 * - `applied`: read, `rules` of them (possibly 0);
 * - `forbidden`: the reader may not get HelmReleases, so findings they would ignore are reported;
 * - `not-found`: the HelmRelease the objects' labels name does not exist (or Flux's API is not served).
 */
export type FluxIgnoreStatus =
  | { status: "applied"; rules: number }
  | { status: "forbidden"; detail: string }
  | { status: "not-found"; detail: string | null };
