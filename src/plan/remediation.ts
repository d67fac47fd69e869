import { selfHealsOnUpgrade } from "../explain/self-heal.js";
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
  /** Reported findings the repair leaves as they are, and why. */
  leavesAlone?: LeftAlone[];
  flux: FluxOwner | null;
  /** Where the chart is installed from (`repo/chart`, an OCI URL, a path); unknown by default. */
  chartRef?: string | null;
  /** Overrides `selfHealsOnUpgrade(ref)`, e.g. for a Helm 4 release applied server-side. */
  selfHeals?: boolean;
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
  if (NEVER_DELETED.has(`${groupOf(ref.apiVersion)}/${ref.kind}`)) {
    return plan("patch", { code: "never-deleted", kind: ref.kind }, patch);
  }
  const builtIn = selfHealsOnUpgrade(ref.apiVersion, ref.kind);
  if (input.selfHeals ?? builtIn) {
    return plan("patch", { code: builtIn ? "built-in-patch" : "server-side-apply-patch" }, patch);
  }
  if (!upgrade) return plan("patch", { code: "patch-custom-resource-no-release" }, patch);
  return {
    ...plan("recreate", { code: "recreate-custom-resource" }, [deleteStep(ref, true), upgrade, ...verify]),
    alternatives: [{ strategy: "patch", reason: { code: "patch-alternative" }, steps: patch }],
  };
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
    return plan("patch", { code: "secret-no-release" }, [reapply(ref, { from: "rendered-manifest" })]);
  }
  const source = { from: "release-manifest", release: release.name, namespace: release.namespace } as const;
  const reapplied = [reapply(ref, source), ...verify];
  if (!upgrade) return plan("patch", { code: "secret-recreate" }, reapplied);
  return {
    ...plan("recreate", { code: "secret-recreate" }, [deleteStep(ref, false), upgrade, ...verify]),
    alternatives: [{ strategy: "patch", reason: { code: "secret-reapply-alternative" }, steps: reapplied }],
  };
}

/** A Secret re-applied server-side from a manifest, so its values are never printed. */
function reapply(
  ref: ObjectRef,
  source: Extract<RemediationAction, { action: "server-side-apply" }>["source"],
): RemediationAction {
  return {
    action: "server-side-apply",
    target: ref,
    source,
    fieldManager: FIELD_MANAGER,
    forceConflicts: true,
  };
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
