import type { Explanation } from "../explain/explanation.js";
import type { UpgradePatchMechanism } from "../explain/self-heal.js";
import { HELM_FIELD_MANAGER } from "../model/field-managers.js";
import type { FieldOwner, Finding, FindingCode } from "../model/finding.js";
import { DRIFT_DETECTION_DISABLED, DRIFT_DETECTION_KEY } from "../model/flux-drift-detection.js";
import type { FluxIgnoreStatus, IgnoreReason, RuleOrigin } from "../model/ignore.js";
import { formatIdentity, isPlainObject, type ObjectRef } from "../model/kube.js";
import type { FluxOwner, RemediationAction, RemediationReason } from "../model/remediation.js";
import type { DesiredFromSource, HealVerdict, ReleaseReport, ResourceReason } from "../model/report.js";
import { isSecret } from "../model/secret-kind.js";
import { SEVERITY_RULES } from "../rules/severity.js";

/*
 * The one place helm-drift's words live: finding messages, explanations, remediation step descriptions and
 * reasons. Everything else passes data. Values are only ever shown for non-Secret kinds, and callers pass
 * masked findings anyway (src/mask/secret-values.ts).
 */

/** The facts a finding message is written from. */
export interface FindingFacts {
  apiVersion: string;
  kind: string;
  /** Formatted path (`spec.template.spec.volumes`); empty for a whole object. */
  path: string;
  desired: unknown;
  live: unknown;
  container?: string;
  /** Who last wrote the field live (managedFields), when known. */
  owner?: Pick<FieldOwner, "manager"> | null;
}

export const FINDING_MESSAGES: Record<FindingCode, (facts: FindingFacts) => string> = {
  "field-missing": (f) => `${f.path} is missing live${releaseSets(f, describeValue(f.desired))}`,
  "list-missing": (f) => `${f.path} is missing live${releaseSets(f, describeList(f.desired))}`,
  "map-missing": (f) => `${f.path} is missing live${releaseSets(f, describeMap(f.desired))}`,
  "entry-missing": (f) =>
    `${f.path} is missing live: the release's list has this entry, the live list does not`,
  "value-changed": (f) =>
    isSecret(f)
      ? `${f.path} differs from the release (Secret values are not shown)`
      : `${f.path} is ${describeValue(f.live)} live; the release sets ${describeValue(f.desired)}`,
  "entry-extra": (f) => `${f.path} exists live but not in the release`,
  "field-added": (f) =>
    `${f.path} was added live${f.owner ? ` by ${f.owner.manager}` : ""}; the release does not render it`,
  "volume-mount-broken": (f) =>
    `container "${f.container ?? ""}" mounts volume "${String(f.desired)}" at ${mountPathOf(f.live)}, ` +
    `but the pod has no volume named "${String(f.desired)}"`,
  "object-missing": (f) => `${f.kind} is in the release but does not exist in the cluster`,
};

/** The words of a reported finding (values already masked) of an object of the given kind. */
export function findingMessage(
  finding: Pick<Finding, "code" | "path" | "desired" | "live" | "container"> &
    Partial<Pick<Finding, "owner">>,
  object: Pick<ObjectRef, "apiVersion" | "kind">,
): string {
  return FINDING_MESSAGES[finding.code]({
    apiVersion: object.apiVersion,
    kind: object.kind,
    path: finding.path,
    desired: finding.desired,
    live: finding.live,
    ...(finding.container === undefined ? {} : { container: finding.container }),
    ...(finding.owner === undefined ? {} : { owner: finding.owner }),
  });
}

/** What a finding code means in general, for formats that describe their rules (SARIF `rules[]`). */
export interface FindingCodeHelp {
  /** One line: SARIF `shortDescription`. */
  title: string;
  /** What was found: SARIF `fullDescription`. */
  description: string;
  /** What to do about it: SARIF `help`. */
  help: string;
}

const REPAIR_HELP =
  "helm-drift check prints the repair for each object (-o text or -o json): the commands, and whether the " +
  "next helm upgrade restores the field.";

/** Words for every finding code; the Record makes the compiler flag a code without words. */
const FINDING_CODE_HELP: Record<FindingCode, FindingCodeHelp> = {
  "field-missing": {
    title: "A field the release renders is missing live",
    description: "A scalar field the Helm release manifest sets is absent from the live object.",
    help: REPAIR_HELP,
  },
  "list-missing": {
    title: "A list the release renders is missing live",
    description:
      "A field holding a whole list (containers, volumes, …) that the release sets is absent live.",
    help: REPAIR_HELP,
  },
  "map-missing": {
    title: "A map the release renders is missing live",
    description:
      "A field holding a whole map (labels, a resources block, …) that the release sets is absent live.",
    help: REPAIR_HELP,
  },
  "entry-missing": {
    title: "An entry of a keyed list is missing live",
    description:
      "An entry of a keyed list the release renders (a container, env var, volume or port, by its key) is absent " +
      "from the live list.",
    help: REPAIR_HELP,
  },
  "value-changed": {
    title: "A field differs from the release",
    description:
      "Both the release and the live object have the field, with different values after normalization (Secret " +
      "values are never shown).",
    help: REPAIR_HELP,
  },
  "entry-extra": {
    title: "A keyed list has an entry the release does not render",
    description:
      "The live list has an entry (a sidecar, env var, volume) that the release manifest does not.",
    help: REPAIR_HELP,
  },
  "field-added": {
    title: "A field was added live",
    description:
      "A manager other than Helm or a known controller set a field the release does not render (from " +
      "metadata.managedFields), such as a nodeSelector or privileged: true added with kubectl patch.",
    help: REPAIR_HELP,
  },
  "volume-mount-broken": {
    title: "A volumeMount names a volume the pod does not have",
    description:
      "A container of the live pod template mounts a volume the pod spec does not define: pods created from it " +
      "fail (volumeMounts[].name: Not found).",
    help: `Restore the missing volume; the mount is repaired with it. ${REPAIR_HELP}`,
  },
  "object-missing": {
    title: "An object of the release is missing from the cluster",
    description: "The release manifest has the object, but it does not exist in the cluster.",
    help: `helm upgrade creates the objects of the release manifest that are not found. ${REPAIR_HELP}`,
  },
};

export function findingCodeHelp(code: FindingCode): FindingCodeHelp {
  return FINDING_CODE_HELP[code];
}

/** Every finding code, in the order the catalogue words them. */
export const FINDING_CODES = Object.keys(FINDING_CODE_HELP) as FindingCode[];

/** The note ending a Markdown report shortened to fit a comment: how many resources it leaves out. */
export function resourcesLeftOutText(count: number, limit: number): string {
  return (
    `${count} ${count === 1 ? "resource was" : "resources were"} left out (the least severe first) to keep this ` +
    `report under ${limit} characters; -o json has the whole report.`
  );
}

/** Why a resource is Missing or Unreadable, in words. */
export function resourceReasonText(reason: ResourceReason, ref: ObjectRef): string {
  switch (reason.code) {
    case "not-found":
      return `${formatIdentity(ref)} does not exist in the cluster`;
    case "kind-not-served":
      return reason.detail ?? `kind ${ref.kind} (${ref.apiVersion}) is not served by the cluster`;
    case "forbidden":
    case "read-failed":
      return reason.detail;
  }
}

function releaseSets(facts: FindingFacts, description: string): string {
  return isSecret(facts) ? "" : `; the release sets ${description}`;
}

const MAX_VALUE_LENGTH = 80;

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return describeList(value);
  if (isPlainObject(value)) return describeMap(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

function describeList(value: unknown): string {
  if (!Array.isArray(value)) return describeValue(value);
  const names = value.flatMap((item) =>
    isPlainObject(item) && typeof item.name === "string" ? [item.name] : [],
  );
  const count = `a list of ${value.length} ${value.length === 1 ? "entry" : "entries"}`;
  return names.length === value.length && names.length > 0 ? `${count} (${names.join(", ")})` : count;
}

function describeMap(value: unknown): string {
  if (!isPlainObject(value)) return describeValue(value);
  const keys = Object.keys(value);
  return `${keys.length} ${keys.length === 1 ? "key" : "keys"} (${keys.join(", ")})`;
}

function mountPathOf(mount: unknown): string {
  if (!isPlainObject(mount)) return "?";
  const path = mount.mountPath ?? mount.devicePath;
  return typeof path === "string" ? path : "?";
}

function list(items: readonly string[]): string {
  return items.join(", ");
}

/** Words for every explanation code; the `never` check makes the compiler flag a code without words. */
export function explanationText(explanation: Explanation): string {
  switch (explanation.code) {
    case "object-missing":
      return (
        "The object is not in the cluster. helm upgrade creates the objects of the release manifest that are " +
        "not found, so upgrading the release (same chart version, --reuse-values) re-creates it."
      );
    case "kind-not-served":
      return (
        "The cluster does not serve this kind (its CustomResourceDefinition is not installed), so the object " +
        "cannot exist, and helm upgrade fails on it until the CRD is installed."
      );
    case "written-by": {
      const { owner } = explanation;
      const via = owner.subresource ? ` through the ${owner.subresource} subresource` : "";
      return `${list(explanation.paths)}: last written by ${owner.manager} (${owner.operation}${via}, ${owner.time ?? "time unknown"}).`;
    }
    case "missing-unowned":
      return (
        `No manager on the server claims ${list(explanation.paths)}: nobody set them since they were removed, or ` +
        "they were never applied (an Update that sends the object without them, such as kubectl edit, replace " +
        "or an older manifest, removes them and their ownership). Managers that wrote this object: " +
        `${list(explanation.managers.map((m) => `${m.manager} (${m.operation}${m.subresource ? ` ${m.subresource}` : ""}, ${m.time ?? "time unknown"})`))}.`
      );
    case "managed-fields-absent":
      return (
        "The live object has no managedFields (kubectl get hides them without --show-managed-fields, and " +
        "objects written before Kubernetes 1.18 lack them), so who changed these fields cannot be attributed."
      );
    case "last-applied-absent":
      return (
        "The object has no kubectl.kubernetes.io/last-applied-configuration annotation: no client-side " +
        "kubectl apply has written it (or the annotation was removed)."
      );
    case "last-applied-unreadable":
      return (
        "The kubectl.kubernetes.io/last-applied-configuration annotation is " +
        `${explanation.reason === "not-json" ? "not valid JSON" : "not a JSON object"}, so it cannot tell which ` +
        "fields the last kubectl apply sent."
      );
    case "last-applied-lacks": {
      const tracked = explanation.tracked.map(
        (t) => `only ${list(t.fields)} under ${t.at || "the object root"}`,
      );
      return (
        "The last kubectl apply (kubectl.kubernetes.io/last-applied-configuration) sent " +
        `${tracked.length > 0 ? list(tracked) : "a configuration"} and lacks ${list(explanation.lacking)}. ` +
        "kubectl apply removes fields its previous apply sent that the new configuration lacks, so applying an " +
        "older manifest could have removed them; applying that configuration again will not restore them."
      );
    }
    case "last-applied-matches-live":
      return (
        `The live value of ${list(explanation.paths)} is exactly what the last kubectl apply sent: a ` +
        "kubectl apply of a manifest other than the release's wrote it."
      );
    case "last-applied-differs-from-live":
      return (
        `The last kubectl apply sent ${list(explanation.paths)}, yet the live object no longer has that value: ` +
        "something other than kubectl apply (kubectl edit, patch or replace, a controller) changed or removed " +
        "it afterwards."
      );
    case "upgrade-restores":
      return `helm upgrade will restore ${list(explanation.paths)}: ${restoresBecause(explanation.mechanism)}`;
    case "upgrade-does-not-restore":
      return `helm upgrade will not restore ${list(explanation.paths)}: ${doesNotRestoreBecause(explanation.mechanism)}`;
    case "upgrade-keeps-extra":
      return (
        `helm upgrade will not remove ${list(explanation.paths)}: nothing Helm sends (a patch between ` +
        "manifests, a three-way merge, a server-side apply of the rendered object) deletes what no release " +
        "manifest contained."
      );
    case "upgrade-conflict":
      return (
        `helm upgrade will fail on ${list(explanation.paths)}: the release is applied server-side, and ` +
        `${list(explanation.managers)} now ${explanation.managers.length === 1 ? "owns" : "own"} these fields ` +
        "with other values, so Helm's apply stops with a field-ownership conflict (Helm 4 without " +
        "--force-conflicts). A kubectl patch back to the rendered value would leave that manager co-owning " +
        "the field, and the next upgrade that changes it would fail the same way."
      );
    case "upgrade-rerenders":
      return (
        `helm upgrade will not restore ${list(explanation.paths)}: the chart ` +
        (explanation.by === "lookup"
          ? "reads the live Secret with lookup and keeps its value, so the upgrade adopts the hand-edited value"
          : "generates the value at random on every render, so the upgrade writes a new one") +
        " and records it. A check after the upgrade then finds nothing to report, yet the value the release " +
        "recorded is gone."
      );
    case "upgrade-conflict-autoscaler":
      return (
        `helm upgrade will fail on ${list(explanation.paths)}: the release is applied server-side and renders ` +
        `${explanation.paths.length === 1 ? "a field" : "fields"} the autoscaler (${list(explanation.managers)}) ` +
        "owns, so every upgrade stops with a field-ownership conflict, before and after any repair. Stop " +
        "rendering them while autoscaling (charts usually leave spec.replicas out when autoscaling is enabled), " +
        "or upgrade with --force-conflicts, which resets them until the autoscaler scales again."
      );
    case "upgrade-duplicate-port":
      return (
        `helm upgrade will fail on ${list(explanation.paths)}: the live port keeps the rendered port's name, ` +
        "Helm adds the rendered port back beside it, and the API server rejects two Service ports with one " +
        'name ("Duplicate value"). The failed upgrade leaves a failed release revision.'
      );
    case "volume-not-found":
      return (
        `Pods created from this template fail: container "${explanation.container}" mounts volume ` +
        `"${explanation.volume}" at ${explanation.mountPath || "?"}, but the pod spec has no such volume ` +
        `(volumeMounts[].name: Not found: "${explanation.volume}").`
      );
    default: {
      const unhandled: never = explanation;
      throw new Error(`no wording for explanation ${JSON.stringify(unhandled)}`);
    }
  }
}

function restoresBecause(mechanism: UpgradePatchMechanism): string {
  switch (mechanism) {
    case "server-side-apply":
      return "the release is applied server-side, which sends the whole rendered object every time.";
    default:
      return (
        "Helm patches built-in kinds with a three-way strategic merge that includes the live object, so " +
        "rendered fields missing or changed live are sent again."
      );
  }
}

function doesNotRestoreBecause(mechanism: UpgradePatchMechanism): string {
  switch (mechanism) {
    case "crd-patch":
      return (
        "Helm patches CustomResourceDefinition objects with a two-way merge patch (apiextensions.k8s.io/v1beta1) " +
        "or a strategic patch that upstream reports failing on CRDs (v1, helm/helm#10495); do not rely on it."
      );
    default:
      return (
        "Helm 3 (and Helm 4 releases applied client-side) patch custom resources with a two-way JSON merge " +
        "patch from the previous release manifest to the new one and ignore the live object, so a field present " +
        "in both manifests is never sent again (helm/helm#9937, #12827). Lists are replaced whole: a missing " +
        "entry comes back only when something else in the same list changes."
      );
  }
}

/**
 * What a remediation step does and why, for people (the command itself: src/report/action-command.ts).
 * `steps`: the plan the step is part of, for wording that depends on its neighbours (a Flux-managed release).
 */
export function stepDescription(action: RemediationAction, steps: readonly RemediationAction[] = []): string {
  switch (action.action) {
    case "flux-suspend": {
      const flux = action.helmRelease;
      return (
        `Suspend the Flux HelmRelease ${flux.namespace}/${flux.name} so it does not upgrade or roll back the ` +
        "release while you repair it. Without the flux CLI: kubectl patch helmrelease " +
        `${flux.name} -n ${flux.namespace} --type merge -p '{"spec":{"suspend":true}}'`
      );
    }
    case "flux-resume": {
      const flux = action.helmRelease;
      return (
        `Resume the Flux HelmRelease ${flux.namespace}/${flux.name}. Without the flux CLI: kubectl patch ` +
        `helmrelease ${flux.name} -n ${flux.namespace} --type merge -p '{"spec":{"suspend":false}}'`
      );
    }
    case "delete":
      return (
        `Delete ${formatIdentity(action.target)}. kubectl waits until its finalizers have run` +
        (action.customResource
          ? "; its controller cleans up what it created from it, so the workload it manages restarts."
          : ".")
      );
    case "helm-upgrade":
      return (
        `Upgrade release ${action.release} with the values it already has (--reuse-values): Helm creates the ` +
        "objects of its manifest that are not found." +
        (action.forceConflicts
          ? " --force-conflicts (Helm 4) makes its server-side apply take back fields other managers own."
          : "") +
        (action.chartRefKnown
          ? ""
          : ` "${action.chartName}" is only the chart's name: replace it with the chart reference the release ` +
            "was installed from (repo/chart, an OCI URL or a path)" +
            (steps.some((step) => step.action === "flux-suspend")
              ? ", as the HelmRelease's spec.chart or spec.chartRef names it."
              : ".")) +
        (action.version === null
          ? " The chart version is unknown: add --version with the deployed version."
          : "")
      );
    case "verify":
      return `Check that release ${action.release} is in sync again.`;
    case "json-patch":
      return (
        `Undo the drift of ${formatIdentity(action.target)} in place with a JSON patch computed from the live ` +
        "object. Its test operations make it fail rather than overwrite if any of these fields changed since " +
        "helm-drift read the object; then run helm-drift again for a fresh patch."
      );
    case "server-side-apply": {
      const asHelm =
        action.fieldManager === HELM_FIELD_MANAGER
          ? " It applies as Helm's field manager, forcing conflicts, so Helm owns every rendered field again " +
            "and later upgrades do not conflict."
          : "";
      const omitted =
        action.omit.length > 0 ? ` Left out, so they stay as they are: ${list(action.omit)}.` : "";
      return action.source.from === "release-manifest"
        ? `Re-apply ${formatIdentity(action.target)} exactly as release ${action.source.release} recorded it, ` +
            "without printing its values: the manifest stored in the release is filtered to this object and " +
            `applied server-side.${asHelm}${omitted} Needs yq v4 (github.com/mikefarah/yq).`
        : `Re-apply ${formatIdentity(action.target)} from the manifest it was rendered in, without printing its ` +
            `values: pipe that object's YAML document into this command.${asHelm}${omitted}`;
    }
    default: {
      const unhandled: never = action;
      throw new Error(`no wording for remediation step ${JSON.stringify(unhandled)}`);
    }
  }
}

/** Why the plan leaves a reported field as it is: the reason of the severity rule that marks it. */
export function leftAloneText(rule: string): string {
  const reason = SEVERITY_RULES.find((candidate) => candidate.id === rule)?.reason;
  if (reason === undefined) throw new Error(`no severity rule ${rule}`);
  return `not reverted: ${reason}`;
}

const NO_DELETE_BECAUSE: Record<string, string> = {
  PersistentVolumeClaim: "deleting a PersistentVolumeClaim can delete its volume and the data on it",
  PersistentVolume:
    "deleting a PersistentVolume releases or deletes the disk behind it, depending on its reclaim policy",
  Namespace: "deleting a Namespace deletes everything in it",
  CustomResourceDefinition: "deleting a CustomResourceDefinition deletes every custom resource of that kind",
};

/** Why a remediation strategy was chosen, in words. */
export function remediationReasonText(reason: RemediationReason): string {
  switch (reason.code) {
    case "object-missing":
      return "helm upgrade creates the objects of the release manifest that are not found live.";
    case "object-missing-no-release":
      return (
        "No Helm release is known (the manifest was read from a file), so helm upgrade cannot re-create it: " +
        "create the object from that manifest with kubectl apply."
      );
    case "recreate-custom-resource":
      return (
        "helm upgrade does not restore fields missing from a custom resource (it sends a two-way merge patch " +
        "between manifests and ignores the live object). Deleting the object and upgrading re-creates it from the " +
        "release manifest in full. The patch alternative repairs it in place, without deleting it."
      );
    case "patch-custom-resource-no-release":
      return (
        "No Helm release is known (the manifest was read from a file), so the object cannot be re-created with " +
        "helm upgrade; it is patched in place."
      );
    case "never-deleted":
      return (
        `Never deleted: ${NO_DELETE_BECAUSE[reason.kind] ?? `deleting a ${reason.kind} destroys data`}. Patched ` +
        "in place instead; fields the API server treats as immutable cannot be patched and need a planned migration."
      );
    case "server-side-apply-patch":
      return (
        "This release is applied server-side (Helm 4) and only entries or fields added live are to be undone: " +
        "the patch removes them, in place, and a removal leaves no field manager behind to conflict with Helm."
      );
    case "apply-as-helm":
      return (
        "This release is applied server-side (Helm 4). A JSON patch would restore the values but leave " +
        `${reason.managers.length > 0 ? list(reason.managers) : "its own field manager"} co-owning them, so ` +
        "the next helm upgrade that changes them would fail with a conflict. Applying the object as the " +
        "release recorded it, as Helm's field manager with forced conflicts, restores the values and Helm's " +
        "ownership, in place, without a new release revision."
      );
    case "upgrade-force-conflicts-alternative":
      return (
        "helm upgrade --force-conflicts (Helm 4) does the same through Helm: it re-renders the chart and writes " +
        "a new release revision."
      );
    case "built-in-patch":
      return (
        "helm upgrade --reuse-values would also restore missing and changed fields of this built-in kind " +
        "(three-way merge), but it writes a new release revision and does not remove entries added live; the " +
        "patch undoes exactly the drift, in place."
      );
    case "secret-recreate":
      return (
        "Secret values are never printed, so no JSON patch is shown. Recreate: helm upgrade re-renders the " +
        "Secret (a value the chart generates, e.g. with randAlphaNum, is generated anew, and pods reading it as " +
        "environment variables see it only after a restart). The alternative re-applies the Secret exactly as " +
        "the release stored it."
      );
    case "secret-generated":
      return (
        "Secret values are never printed, so no JSON patch is shown. The chart generates this Secret's values (" +
        (reason.by === "lookup"
          ? "from lookup of the live Secret: helm upgrade would adopt the hand-edited value"
          : "at random on every render: helm upgrade, or deleting it and upgrading, would make a new one") +
        "), so only the release's stored manifest still holds the value it recorded: it is re-applied from there."
      );
    case "secret-no-release":
      return (
        "Secret values are never printed, so no JSON patch is shown, and no Helm release is known to re-render " +
        "it from: re-apply it from its manifest."
      );
    case "patch-keeps-ignored":
      return (
        "Some fields of this custom resource differ live but are ignored (an ignore rule, an ignored manager): " +
        "re-creating it would reset them, so the patch undoes only the reported drift and leaves them as they are."
      );
    case "nothing-to-patch":
      return "Nothing to patch: no finding of this object is one the repair reverts.";
    case "patch-alternative":
      return (
        "Repairs the object in place, without deleting it or restarting what its controller manages. The patch " +
        "addresses list entries by their position when helm-drift read the object."
      );
    case "secret-reapply-alternative":
      return "Applies the Secret exactly as the release stored it, without deleting it or re-rendering the chart.";
    default: {
      const unhandled: never = reason;
      throw new Error(`no wording for remediation reason ${JSON.stringify(unhandled)}`);
    }
  }
}

/** What a newer revision than the checked one means, by its Helm status. */
const NEWER_REVISION_CAUSE: Record<string, string> = {
  failed: "the upgrade or rollback that wrote it failed, possibly after changing some objects",
  "pending-upgrade": "an upgrade is in progress or was interrupted",
  "pending-rollback": "a rollback is in progress or was interrupted",
  "pending-install": "an install is in progress or was interrupted",
};

/**
 * `revision 3 is failed: checked against revision 2, the last deployed one; the upgrade or rollback that wrote
 * it failed, possibly after changing some objects (helm history web -n shop)`.
 */
export function newerRevisionText(
  release: Pick<ReleaseReport, "name" | "namespace" | "revision"> & {
    newerRevision: NonNullable<ReleaseReport["newerRevision"]>;
  },
): string {
  const { revision, status } = release.newerRevision;
  const checked =
    release.revision === null ? "" : `: checked against revision ${release.revision}, the last deployed one`;
  const cause = NEWER_REVISION_CAUSE[status];
  const history = `helm history ${release.name ?? ""}${release.namespace === null ? "" : ` -n ${release.namespace}`}`;
  return `revision ${revision} is ${status}${checked}${cause === undefined ? "" : `; ${cause}`} (${history})`;
}

/**
 * Why a check against a cluster ended at `--timeout`: what it was still reading (the API paths not answered
 * yet, at most `shown` of them), or that it was waiting for the release list or manifests instead.
 */
export function timeoutText(
  timeout: string,
  server: string,
  pending: readonly string[],
  helm: readonly string[] = [],
  shown = 3,
): string {
  const head = `the check did not finish within --timeout ${timeout}`;
  const waiting = [
    ...pending.map((path) => `GET ${path} from the API server at ${server}`),
    ...helm.map((command) => `${command} (stopped)`),
  ];
  if (waiting.length === 0) return `${head}; nothing was still waiting for an answer`;
  const more = waiting.length > shown ? ` and ${waiting.length - shown} more` : "";
  return `${head}; still waiting for ${waiting.slice(0, shown).join(", ")}${more}`;
}

/** What is known about the namespace a check found no releases in. */
export type NamespaceCheck =
  | { status: "exists" }
  | { status: "not-found" }
  | { status: "unknown"; reason: string };

/** No release was checked: an error, saying whether the namespace exists (a typo in -n is the usual cause). */
export function nothingCheckedText(namespace: string | null, check: NamespaceCheck | null): string {
  const advice = "pass --allow-empty when that is expected";
  if (namespace === null) return `no Helm releases in any namespace; ${advice}`;
  const head = `no Helm releases in namespace "${namespace}"`;
  switch (check?.status) {
    case "not-found":
      return `${head}: the namespace does not exist`;
    case "exists":
      return `${head} (the namespace exists); ${advice}`;
    case "unknown":
      return `${head}, and could not tell whether the namespace exists (${check.reason}); ${advice}`;
    case undefined:
      return `${head}; ${advice}`;
  }
}

/**
 * The progress line of a check against a cluster: `checking releases: 37/200`. Built from numbers only, so
 * nothing in it needs escaping for the terminal it is written to.
 */
export function progressText(done: number, total: number): string {
  return `checking releases: ${done}/${total}`;
}

/** In place of a command that would carry a control character (`unsafe`, already escaped for display). */
export function commandNotShownText(unsafe: string): string {
  return (
    `# command not shown: it would contain ${unsafe}, a control character that a terminal acts on and that a ` +
    "pasted POSIX shell word cannot carry safely; the step's action in the JSON report (-o json) has the exact value"
  );
}

/**
 * In place of a command too long for the text report (it carries a large value): its size, a digest to check
 * a copy against, and where the JSON report (`jsonPath`, a jq path) has it whole.
 */
export function commandTooLongText(kib: number, sha256: string, jsonPath: string): string {
  return `# command not shown: it is ${kib} KiB (sha256 ${sha256}); take it whole from -o json: ${jsonPath}`;
}

/** `helm list` answered no release where Helm's storage holds some: helm could not read its own storage. */
/** Where a cluster check read the rendered manifests, said once under the totals of the text report. */
const DESIRED_FROM_TEXT: Record<DesiredFromSource, string> = {
  secrets: "Rendered manifests from Helm's release Secrets, read directly.",
  configmaps: "Rendered manifests from Helm's release ConfigMaps (HELM_DRIVER=configmap), read directly.",
  helm: "Rendered manifests from the helm CLI.",
};

export function desiredFromText(source: DesiredFromSource): string {
  return DESIRED_FROM_TEXT[source];
}

export function helmListedNothingText(namespace: string | null, stored: number): string {
  const where = namespace === null ? "in any namespace" : `in namespace "${namespace}"`;
  return (
    `helm list found no release ${where}, yet Helm's release storage there holds ${stored}: helm could not ` +
    "read its storage correctly (a proxy or an API server answering a malformed list); not reported as empty"
  );
}

/** Names a rule's origin: `.helm-drift.yaml` or `HelmRelease flux-system/web`. */
export function ruleOriginText(origin: RuleOrigin): string {
  return origin.kind === "config" ? origin.file : `HelmRelease ${origin.namespace}/${origin.name}`;
}

/** Why a finding is ignored: `ignored by .helm-drift.yaml ignore[0] (/spec/replicas)`. */
export function ignoreReasonText(reason: IgnoreReason): string {
  switch (reason.by) {
    case "path-rule":
      return reason.origin.kind === "config"
        ? `ignored by ${reason.origin.file} ignore[${reason.index}] (path ${JSON.stringify(reason.path)})`
        : `ignored by ${ruleOriginText(reason.origin)} spec.driftDetection.ignore[${reason.index}] (path ${JSON.stringify(reason.path)})`;
    case "manager":
      return `ignored: its live owner ${reason.manager} is in ignoreManagers of ${ruleOriginText(reason.origin)}`;
    case "opt-out":
      return (
        `ignored: the ${reason.on} object's ${reason.metadata} set ${DRIFT_DETECTION_KEY}: ${DRIFT_DETECTION_DISABLED} ` +
        "(Flux leaves it out of drift detection)"
      );
  }
}

/** A note on a release whose Flux HelmRelease ignore rules could not be applied; null when they were. */
export function fluxIgnoreText(status: FluxIgnoreStatus, helmRelease: FluxOwner): string | null {
  const name = `HelmRelease ${helmRelease.namespace}/${helmRelease.name}`;
  switch (status.status) {
    case "applied":
      return null;
    case "forbidden":
      return (
        `the ignore rules of ${name} (spec.driftDetection.ignore) could not be read (forbidden: ${status.detail}): ` +
        "findings they would ignore are reported"
      );
    case "not-found":
      return `${name} was not found${status.detail ? ` (${status.detail})` : ""}: its ignore rules, if any, are not applied`;
  }
}

/** The line that ends a diff cut at its most lines: how many were left out and where the whole diff is. */
export function diffLinesLeftOutText(count: number): string {
  return `… ${count} more diff lines (-o json has the whole diff)`;
}

/**
 * Whether the next upgrade heals a resource: `yes`, `no`, `no — the upgrade fails …`, `partly (2 of 3 findings)`.
 * `paint` styles the verdict word (the text report colours it); by default it is left as it is.
 */
export function healAnswerText(
  heals: HealVerdict | null,
  findings: readonly Pick<Finding, "upgrade">[],
  paint: (verdict: HealVerdict, word: string) => string = (_verdict, word) => word,
): string {
  switch (heals) {
    case null:
      return "unknown";
    case "yes":
      return paint("yes", "yes");
    case "partly": {
      const restored = findings.filter((finding) => finding.upgrade === "restores").length;
      return `${paint("partly", "partly")} (${restored} of ${findings.length} findings)`;
    }
    case "no":
      return findings.some((finding) => finding.upgrade === "fails")
        ? `${paint("no", "no")} — the upgrade fails on this object`
        : paint("no", "no");
  }
}

/** The HTML report's own words (src/report/html-*.ts) that are not a finding's, a plan's or a release's. */
export const HTML_REPORT_TEXT = {
  title: "helm-drift report",
  noReleases: "No releases checked.",
  generatedAt: "Generated at",
  severityFilter: "Show findings of severity",
  ignored: "Ignored findings (counted, not drift):",
} as const;
