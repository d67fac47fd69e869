import type { ObjectRef } from "./kube.js";

/** The Flux HelmRelease that manages a release. */
export interface FluxOwner {
  name: string;
  namespace: string;
}

/** One RFC 6902 operation, addressed into the live object. */
export type PatchOperation =
  | { op: "test"; path: string; value: unknown }
  | { op: "add"; path: string; value: unknown }
  | { op: "replace"; path: string; value: unknown }
  | { op: "remove"; path: string };

/** Where a server-side apply takes the object from. */
export type ApplySource =
  /**
   * The release's stored manifest at `revision` (the one checked; null: the newest), filtered to the target
   * object (values never on screen).
   */
  | { from: "release-manifest"; release: string; namespace: string; revision: number | null }
  /** The rendered manifest the user checked (offline, no release known). */
  | { from: "rendered-manifest" };

/**
 * One step of a repair, as data: a pipeline (or a later `helm-drift fix`) executes it without parsing shell;
 * reporters render it as a command for people (src/report/action-command.ts).
 */
export type RemediationAction =
  /** Stop the Flux HelmRelease from upgrading or rolling back the release while it is repaired. */
  | { action: "flux-suspend"; helmRelease: FluxOwner }
  | { action: "flux-resume"; helmRelease: FluxOwner }
  /** Delete the object and wait until its finalizers have run. */
  | { action: "delete"; target: ObjectRef; wait: true; customResource: boolean }
  /** RFC 6902 patch of the live object; every replace and remove is guarded by a `test` of the value read. */
  | { action: "json-patch"; target: ObjectRef; operations: PatchOperation[] }
  | {
      action: "server-side-apply";
      target: ObjectRef;
      source: ApplySource;
      fieldManager: string;
      forceConflicts: boolean;
      /** RFC 6901 pointers into the rendered object left out of the apply: fields the repair leaves alone. */
      omit: string[];
    }
  /** `helm upgrade RELEASE CHART --reuse-values [--version V] -n NS`. */
  | {
      action: "helm-upgrade";
      release: string;
      namespace: string;
      /** The chart reference to upgrade from; equals `chartName` when only the name is known. */
      chart: string;
      chartName: string;
      /** False when `chart` is only the chart's name (the repo/OCI reference the release came from is unknown). */
      chartRefKnown: boolean;
      version: string | null;
      reuseValues: true;
      /** Helm 4 `--force-conflicts`: the server-side apply takes back fields other managers own. */
      forceConflicts: boolean;
    }
  /** Check the release again: the repair worked when it is in sync. */
  | { action: "verify"; release: string; namespace: string };

export type RemediationActionKind = RemediationAction["action"];

/**
 * - `recreate`: delete the object and let helm upgrade create it again;
 * - `patch`: a guarded JSON patch of the live object;
 * - `apply`: a server-side apply of the object as the release recorded it, as Helm's field manager;
 * - `upgrade`: helm upgrade alone.
 */
export type RemediationStrategy = "recreate" | "patch" | "apply" | "upgrade";

/** Why a strategy was chosen: a code with its arguments; the words are in the catalogue. */
export type RemediationReason =
  | { code: "object-missing" }
  | { code: "object-missing-no-release" }
  | { code: "recreate-custom-resource" }
  | { code: "patch-custom-resource-no-release" }
  /** A custom resource with ignored fields that differ live: re-creating it would reset them, so it is patched. */
  | { code: "patch-keeps-ignored" }
  | { code: "never-deleted"; kind: string }
  | { code: "server-side-apply-patch" }
  /** A release applied server-side: apply as Helm, forcing conflicts, so Helm owns the fields again. */
  | { code: "apply-as-helm"; managers: string[] }
  /** The alternative: `helm upgrade --force-conflicts` (Helm 4). */
  | { code: "upgrade-force-conflicts-alternative" }
  | { code: "built-in-patch" }
  | { code: "secret-recreate" }
  /** The chart generates the Secret's values: re-apply it as the release recorded it (upgrade would not). */
  | { code: "secret-generated"; by: "lookup" | "random" }
  | { code: "secret-no-release" }
  | { code: "nothing-to-patch" }
  | { code: "patch-alternative" }
  | { code: "secret-reapply-alternative" };

export type RemediationReasonCode = RemediationReason["code"];

/** A reported finding the repair deliberately does not revert, and the rule that says why. */
export interface LeftAlone {
  path: string;
  pointer: string | null;
  /** The id of the severity rule that marks the field as legitimately owned by someone else. */
  rule: string;
}

export interface RemediationPlan {
  strategy: RemediationStrategy;
  reason: RemediationReason;
  steps: RemediationAction[];
  /** Other strategies that would also repair it (e.g. `patch` beside `recreate`). */
  alternatives: { strategy: RemediationStrategy; reason: RemediationReason; steps: RemediationAction[] }[];
  /** Reported findings the plan leaves as they are (an autoscaler's replicas), with why. */
  leavesAlone: LeftAlone[];
}
