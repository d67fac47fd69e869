import { REMEDIATION_REASON, STEP_TEXT } from "../catalogue/messages.js";
import { selfHealsOnUpgrade } from "../explain/self-heal.js";
import { groupOf, type KubeObject, type ObjectRef } from "../model/kube.js";
import type { FluxOwner, Remediation, RemediationStep } from "../model/report.js";
import { repairPatch } from "./repair-patch.js";
import { namespaceArgs, resourceArg } from "./resource-arg.js";
import { commandLine } from "./shell.js";

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
  /** null when the object does not exist live. */
  live: KubeObject | null;
  /** `repairLive(desired, live)`: the live object with the drift undone; null only when `live` is null. */
  repaired: KubeObject | null;
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

const FIELD_MANAGER = "helm-drift";

/**
 * Ordered, copy-paste-able steps that repair one drifted or missing object. The choice, in order:
 * - missing live → `helm upgrade --reuse-values` (Helm creates manifest objects that are not found);
 * - Secret → recreate via helm upgrade, or re-apply the stored manifest; never a patch that prints values;
 * - PVC, PV, Namespace, CRD → patch only: deleting them destroys data or every object they hold;
 * - kinds helm upgrade does not heal (custom resources) → recreate (the incident's repair), patch as the
 *   alternative;
 * - built-in kinds → patch: precise and in place (see REMEDIATION_REASON.builtInPatch).
 * A Flux-managed release is suspended first and resumed last so Flux does not act half-way through.
 */
export function planRemediation(input: RemediationInput): Remediation {
  return withFlux(chooseRemediation(input), input.flux);
}

interface Upgrade {
  release: string;
  namespace: string;
  chartName: string;
  chart: string;
  version: string | null;
}

function chooseRemediation(input: RemediationInput): Remediation {
  const { ref, live, repaired } = input;
  const verify = verifyStep(input.release);
  const upgrade = upgradeOf(input);
  if (live === null) {
    return upgrade
      ? {
          strategy: "upgrade",
          steps: [upgradeStep(upgrade, input.flux), ...verify],
          reason: REMEDIATION_REASON.objectMissing,
        }
      : { strategy: "upgrade", steps: [], reason: REMEDIATION_REASON.objectMissingNoRelease };
  }
  if (ref.kind === "Secret" && groupOf(ref.apiVersion) === "") {
    return secretRemediation(input, upgrade, verify);
  }
  if (repaired === null) {
    throw new Error(`planRemediation: ${ref.kind} ${ref.name} exists live but no repaired object was given`);
  }
  const patch = patchSteps(ref, live, repaired, verify);
  if (NEVER_DELETED.has(`${groupOf(ref.apiVersion)}/${ref.kind}`)) {
    return {
      strategy: "patch",
      steps: patch.steps,
      reason: patch.empty ? REMEDIATION_REASON.nothingToPatch : REMEDIATION_REASON.noDelete(ref.kind),
    };
  }
  if (patch.empty) {
    return { strategy: "patch", steps: patch.steps, reason: REMEDIATION_REASON.nothingToPatch };
  }
  const builtIn = selfHealsOnUpgrade(ref.apiVersion, ref.kind);
  if (input.selfHeals ?? builtIn) {
    const reason = builtIn ? REMEDIATION_REASON.builtInPatch : REMEDIATION_REASON.serverSideApplyPatch;
    return { strategy: "patch", steps: patch.steps, reason };
  }
  if (!upgrade) {
    return { strategy: "patch", steps: patch.steps, reason: REMEDIATION_REASON.patchCustomResourceNoRelease };
  }
  return {
    strategy: "recreate",
    steps: [deleteStep(ref, true), upgradeStep(upgrade, input.flux), ...verify],
    reason: REMEDIATION_REASON.recreateCustomResource,
    alternatives: [{ strategy: "patch", reason: REMEDIATION_REASON.patchAlternative, steps: patch.steps }],
  };
}

function secretRemediation(
  input: RemediationInput,
  upgrade: Upgrade | null,
  verify: RemediationStep[],
): Remediation {
  const { ref, release } = input;
  if (!release?.name || !release.namespace) {
    return {
      strategy: "patch",
      steps: [secretFromManifestStep(ref)],
      reason: REMEDIATION_REASON.secretNoRelease,
    };
  }
  const reapply: RemediationStep[] = [secretFromReleaseStep(ref, release.name, release.namespace), ...verify];
  if (!upgrade) return { strategy: "patch", steps: reapply, reason: REMEDIATION_REASON.secretRecreate };
  return {
    strategy: "recreate",
    steps: [deleteStep(ref, false), upgradeStep(upgrade, input.flux), ...verify],
    reason: REMEDIATION_REASON.secretRecreate,
    alternatives: [
      { strategy: "patch", reason: REMEDIATION_REASON.secretReapplyAlternative, steps: reapply },
    ],
  };
}

function upgradeOf({ release, chartRef }: RemediationInput): Upgrade | null {
  if (!release?.name || !release.namespace || !release.chartName) return null;
  return {
    release: release.name,
    namespace: release.namespace,
    chartName: release.chartName,
    chart: chartRef ?? release.chartName,
    version: release.chartVersion,
  };
}

function patchSteps(
  ref: ObjectRef,
  live: KubeObject,
  repaired: KubeObject,
  verify: RemediationStep[],
): { steps: RemediationStep[]; empty: boolean } {
  const operations = repairPatch(live, repaired);
  if (operations.length === 0) return { steps: verify, empty: true };
  const command = commandLine([
    "kubectl",
    "patch",
    resourceArg(ref),
    ref.name,
    ...namespaceArgs(ref.namespace),
    "--type",
    "json",
    "-p",
    JSON.stringify(operations),
  ]);
  return { steps: [{ description: STEP_TEXT.jsonPatch(ref), command }, ...verify], empty: false };
}

function deleteStep(ref: ObjectRef, customResource: boolean): RemediationStep {
  return {
    description: STEP_TEXT.deleteObject(ref, customResource),
    command: commandLine(["kubectl", "delete", resourceArg(ref), ref.name, ...namespaceArgs(ref.namespace)]),
  };
}

function upgradeStep(upgrade: Upgrade, flux: FluxOwner | null): RemediationStep {
  return {
    description: STEP_TEXT.upgradeRelease({
      release: upgrade.release,
      chartName: upgrade.chartName,
      chartRefKnown: upgrade.chart !== upgrade.chartName,
      versionKnown: upgrade.version !== null,
      flux,
    }),
    command: commandLine([
      "helm",
      "upgrade",
      upgrade.release,
      upgrade.chart,
      "--reuse-values",
      ...(upgrade.version ? ["--version", upgrade.version] : []),
      "-n",
      upgrade.namespace,
    ]),
  };
}

function verifyStep(release: ReleaseIdentity | null): RemediationStep[] {
  if (!release?.name || !release.namespace) return [];
  return [
    {
      description: STEP_TEXT.verify(release.name),
      command: commandLine(["helm-drift", "check", release.name, "-n", release.namespace]),
    },
  ];
}

/** The Secret's document from the stored release manifest, applied server-side: values never on screen. */
function secretFromReleaseStep(ref: ObjectRef, release: string, namespace: string): RemediationStep {
  const select = `select(.kind == "Secret" and .metadata.name == ${JSON.stringify(ref.name)})`;
  return {
    description: STEP_TEXT.secretFromRelease(ref, release),
    command: [
      commandLine(["helm", "get", "manifest", release, "-n", namespace]),
      commandLine(["yq", select]),
      commandLine(applyServerSide(ref)),
    ].join(" | "),
  };
}

function secretFromManifestStep(ref: ObjectRef): RemediationStep {
  return { description: STEP_TEXT.secretFromManifest(ref), command: commandLine(applyServerSide(ref)) };
}

function applyServerSide(ref: ObjectRef): string[] {
  return [
    "kubectl",
    "apply",
    "--server-side",
    `--field-manager=${FIELD_MANAGER}`,
    "--force-conflicts",
    ...namespaceArgs(ref.namespace),
    "-f",
    "-",
  ];
}

function withFlux(remediation: Remediation, flux: FluxOwner | null): Remediation {
  if (!flux || remediation.steps.length === 0) return remediation;
  const wrap = (steps: RemediationStep[]): RemediationStep[] => [
    {
      description: STEP_TEXT.suspendFlux(flux),
      command: commandLine(["flux", "suspend", "helmrelease", flux.name, "-n", flux.namespace]),
    },
    ...steps,
    {
      description: STEP_TEXT.resumeFlux(flux),
      command: commandLine(["flux", "resume", "helmrelease", flux.name, "-n", flux.namespace]),
    },
  ];
  return {
    ...remediation,
    steps: wrap(remediation.steps),
    ...(remediation.alternatives
      ? {
          alternatives: remediation.alternatives.map((alternative) => ({
            ...alternative,
            steps: wrap(alternative.steps),
          })),
        }
      : {}),
  };
}
