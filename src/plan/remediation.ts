import type { GeneratedBy } from "../explain/generated-values.js";
import { type ApplyMethod, selfHealsOnUpgrade } from "../explain/self-heal.js";
import { HELM_FIELD_MANAGER } from "../model/field-managers.js";
import { groupOf, type ObjectRef } from "../model/kube.js";
import type {
  FluxOwner,
  LeftAlone,
  PatchOperation,
  RemediationAction,
  RemediationPlan,
  RemediationReason,
} from "../model/remediation.js";
import { isSecret } from "../model/secret-kind.js";

/** The release the object belongs to, as far as it is known. */
export interface ReleaseIdentity {
  name: string | null;
  namespace: string | null;
  /** The revision checked, whose manifest a repair applies; null when unknown. */
  revision: number | null;
  chartName: string | null;
  chartVersion: string | null;
}

export interface RemediationInput {
  release: ReleaseIdentity | null;
  /** `namespace` filled in for namespaced kinds. */
  ref: ObjectRef;
  /** False when the object does not exist live. */
  exists: boolean;
  /** The guarded JSON patch that reverts the findings to repair (src/plan/repair-operations.ts); [] when none. */
  operations: PatchOperation[];
  /** The guarded JSON patch that removes only what was added live (extra entries, added fields); [] when none. */
  removals?: PatchOperation[];
  /** Whether some finding to repair is a rendered field or entry to restore (not only something added live). */
  restores?: boolean;
  /** Reported findings the repair leaves as they are, and why. */
  leavesAlone?: LeftAlone[];
  /**
   * Ignored findings (ignore rules, ignored managers): the repair must not touch them, so no step may
   * re-create or re-apply the whole object with them in it. `pointer` is into the rendered object (null when
   * the field exists only live, which an apply of the rendered object does not touch).
   */
  ignored?: { pointer: string | null }[];
  flux: FluxOwner | null;
  /** Where the chart is installed from (`repo/chart`, an OCI URL, a path); unknown by default. */
  chartRef?: string | null;
  /** How Helm writes the object (src/explain/apply-method.ts); client-side by default. */
  applyMethod?: ApplyMethod;
  /** Managers other than Helm that own drifted fields of a server-side release (they conflict with Helm's apply). */
  conflictingManagers?: string[];
  /** The chart generates the object's values (lookup, rand*): helm upgrade does not restore them. */
  generated?: GeneratedBy | null;
}

/** Objects that hold data or other objects: deleting one to re-create it destroys what it holds. */
const NEVER_DELETED: ReadonlySet<string> = new Set([
  "/PersistentVolumeClaim",
  "/PersistentVolume",
  "/Namespace",
  "apiextensions.k8s.io/CustomResourceDefinition",
]);

/** The field manager helm-drift applies with, so its writes are told apart from people's and Helm's. */
export const FIELD_MANAGER = "helm-drift";

/**
 * Ordered steps, as data, that repair one drifted or missing object. The choice, in order:
 * - missing live → `helm upgrade --reuse-values` (Helm creates manifest objects that are not found);
 * - Secret → recreate via helm upgrade, or re-apply the stored manifest; never a patch that prints values;
 * - PVC, PV, Namespace, CRD → patch only: deleting them destroys data or every object they hold;
 * - kinds helm upgrade does not heal (custom resources) → recreate (the incident's repair), patch as the
 *   alternative;
 * - built-in kinds → patch: precise and in place.
 * Ignored fields that differ live are never touched: a re-apply leaves them out, and a custom resource is
 * patched rather than re-created (re-creating it would reset them).
 * A Flux-managed release is suspended first and resumed last so Flux does not act half-way through.
 */
export function planRemediation(input: RemediationInput): RemediationPlan {
  return withFlux({ ...chooseRemediation(input), leavesAlone: input.leavesAlone ?? [] }, input.flux);
}

type Choice = Omit<RemediationPlan, "leavesAlone">;

function chooseRemediation(input: RemediationInput): Choice {
  const { ref } = input;
  const verify = verifyStep(input.release);
  const upgrade = upgradeStep(input);
  if (!input.exists) {
    return upgrade
      ? plan("upgrade", { code: "object-missing" }, [upgrade, ...verify])
      : plan("upgrade", { code: "object-missing-no-release" }, []);
  }
  if (isSecret(ref)) return secretRemediation(input, upgrade, verify);
  const patch: RemediationAction[] =
    input.operations.length === 0
      ? verify
      : [{ action: "json-patch", target: ref, operations: input.operations }, ...verify];
  if (input.operations.length === 0) return plan("patch", { code: "nothing-to-patch" }, patch);
  if (input.applyMethod === "server-side" && input.restores !== false) {
    return applyAsHelm(input, upgrade, verify);
  }
  if (NEVER_DELETED.has(`${groupOf(ref.apiVersion)}/${ref.kind}`)) {
    return plan("patch", { code: "never-deleted", kind: ref.kind }, patch);
  }
  const builtIn = selfHealsOnUpgrade(ref.apiVersion, ref.kind);
  if (builtIn || input.applyMethod === "server-side") {
    return plan("patch", { code: builtIn ? "built-in-patch" : "server-side-apply-patch" }, patch);
  }
  if (!upgrade) return plan("patch", { code: "patch-custom-resource-no-release" }, patch);
  if (keepsIgnored(input)) return plan("patch", { code: "patch-keeps-ignored" }, patch);
  return {
    ...plan("recreate", { code: "recreate-custom-resource" }, [deleteStep(ref, true), upgrade, ...verify]),
    alternatives: [{ strategy: "patch", reason: { code: "patch-alternative" }, steps: patch }],
  };
}

/**
 * A release Helm applies server-side (Helm 4): a JSON patch would restore the values but leave its own field
 * manager (kubectl-patch) owning them beside Helm, so the next upgrade that changes them fails with a conflict.
 * Instead: remove what was added live (a removal leaves no owner behind), then apply the object exactly as the
 * release recorded it, as Helm's field manager, forcing conflicts — Helm owns every rendered field again, as
 * after a clean upgrade. Fields the repair leaves alone (an autoscaler's replicas) are left out of the apply.
 * The alternative is Helm 4's own `helm upgrade --force-conflicts`, which writes a new revision.
 */
function applyAsHelm(
  input: RemediationInput,
  upgrade: RemediationAction | null,
  verify: RemediationAction[],
): Choice {
  const { ref, release } = input;
  const removals = input.removals ?? [];
  const remove: RemediationAction[] =
    removals.length === 0 ? [] : [{ action: "json-patch", target: ref, operations: removals }];
  const source =
    release?.name && release.namespace
      ? ({
          from: "release-manifest",
          release: release.name,
          namespace: release.namespace,
          revision: release.revision,
        } as const)
      : ({ from: "rendered-manifest" } as const);
  const apply: RemediationAction = {
    ...reapply(ref, source, HELM_FIELD_MANAGER),
    omit: omitted(input),
  };
  const reason = { code: "apply-as-helm", managers: input.conflictingManagers ?? [] } as const;
  const chosen = plan("apply", reason, [...remove, apply, ...verify]);
  // helm upgrade --force-conflicts would take back the ignored fields too.
  if (upgrade?.action !== "helm-upgrade" || keepsIgnored(input)) return chosen;
  return {
    ...chosen,
    alternatives: [
      {
        strategy: "upgrade",
        reason: { code: "upgrade-force-conflicts-alternative" },
        steps: [...remove, { ...upgrade, forceConflicts: true }, ...verify],
      },
    ],
  };
}

/** Some ignored finding differs live: re-creating or upgrading the whole object would reset it. */
function keepsIgnored(input: RemediationInput): boolean {
  return (input.ignored ?? []).length > 0;
}

/** Rendered pointers a re-apply leaves out: fields left alone and ignored fields. */
function omitted(input: RemediationInput): string[] {
  const pointers = [...(input.leavesAlone ?? []), ...(input.ignored ?? [])].flatMap((entry) =>
    entry.pointer === null ? [] : [entry.pointer],
  );
  return [...new Set(pointers)];
}

function plan(strategy: Choice["strategy"], reason: RemediationReason, steps: RemediationAction[]): Choice {
  return { strategy, reason, steps, alternatives: [] };
}

function secretRemediation(
  input: RemediationInput,
  upgrade: RemediationAction | null,
  verify: RemediationAction[],
): Choice {
  const { ref, release } = input;
  if (!release?.name || !release.namespace) {
    return plan("patch", { code: "secret-no-release" }, [
      reapply(ref, { from: "rendered-manifest" }, FIELD_MANAGER),
    ]);
  }
  const source = {
    from: "release-manifest",
    release: release.name,
    namespace: release.namespace,
    revision: release.revision,
  } as const;
  const manager = input.applyMethod === "server-side" ? HELM_FIELD_MANAGER : FIELD_MANAGER;
  const reapplied = [{ ...reapply(ref, source, manager), omit: omitted(input) }, ...verify];
  // Re-rendering a generated value adopts the live one (lookup) or makes a new one (rand*): only the stored
  // manifest still holds the value the release recorded.
  if (input.generated) return plan("patch", { code: "secret-generated", by: input.generated }, reapplied);
  if (!upgrade || keepsIgnored(input)) return plan("patch", { code: "secret-recreate" }, reapplied);
  return {
    ...plan("recreate", { code: "secret-recreate" }, [deleteStep(ref, false), upgrade, ...verify]),
    alternatives: [{ strategy: "patch", reason: { code: "secret-reapply-alternative" }, steps: reapplied }],
  };
}

/** An object re-applied server-side from a manifest (a Secret's values are never printed that way). */
function reapply(
  ref: ObjectRef,
  source: Extract<RemediationAction, { action: "server-side-apply" }>["source"],
  fieldManager: string,
): Extract<RemediationAction, { action: "server-side-apply" }> {
  return { action: "server-side-apply", target: ref, source, fieldManager, forceConflicts: true, omit: [] };
}

function upgradeStep({ release, chartRef }: RemediationInput): RemediationAction | null {
  if (!release?.name || !release.namespace || !release.chartName) return null;
  const chart = chartRef ?? release.chartName;
  return {
    action: "helm-upgrade",
    release: release.name,
    namespace: release.namespace,
    chart,
    chartName: release.chartName,
    chartRefKnown: chart !== release.chartName,
    version: release.chartVersion,
    reuseValues: true,
    forceConflicts: false,
  };
}

function deleteStep(ref: ObjectRef, customResource: boolean): RemediationAction {
  return { action: "delete", target: ref, wait: true, customResource };
}

function verifyStep(release: ReleaseIdentity | null): RemediationAction[] {
  if (!release?.name || !release.namespace) return [];
  return [{ action: "verify", release: release.name, namespace: release.namespace }];
}

function withFlux(remediation: RemediationPlan, flux: FluxOwner | null): RemediationPlan {
  if (!flux || remediation.steps.length === 0) return remediation;
  const wrap = (steps: RemediationAction[]): RemediationAction[] => [
    { action: "flux-suspend", helmRelease: flux },
    ...steps,
    { action: "flux-resume", helmRelease: flux },
  ];
  return {
    ...remediation,
    steps: wrap(remediation.steps),
    alternatives: remediation.alternatives.map((alternative) => ({
      ...alternative,
      steps: wrap(alternative.steps),
    })),
  };
}
