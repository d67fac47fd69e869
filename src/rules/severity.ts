import { isAutoscalerManager } from "../model/autoscaler.js";
import type { FieldOwner, RawFinding, Severity } from "../model/finding.js";
import { isPlainObject } from "../model/kube.js";
import { fieldNames } from "../model/path.js";
import { CONTAINER_LISTS } from "../model/pod-spec.js";

/** What a severity rule looks at. */
export interface SeverityContext {
  finding: RawFinding;
  kind: string;
  /** Field names of the finding's path (`spec.template.spec.containers.image`). */
  fields: readonly string[];
  owner: FieldOwner | null;
  /** An autoscaler (HPA, KEDA ScaledObject) targets the object, in the release or in the cluster. */
  autoscaled: boolean;
}

export interface SeverityRule {
  id: string;
  severity: Severity;
  /** One line: why a finding of this shape deserves this severity. */
  reason: string;
  /**
   * "leave" when a finding of this shape is someone else's legitimate write (an autoscaler's replicas): it is
   * reported, and no repair reverts it. Absent: the repair reverts it.
   */
  repair?: "leave";
  applies(context: SeverityContext): boolean;
}

const POD_CONTAINER_LISTS: ReadonlySet<string> = new Set(CONTAINER_LISTS);

/**
 * Fields that decide what a pod runs, as whom, with which privileges: high when the finding is the field
 * itself (or an element of it: `args[0]`, `containers[name=x]`). Other container fields (env, resources,
 * probes) fall to the default.
 */
const POD_STRUCTURE_FIELDS = new Set([
  ...POD_CONTAINER_LISTS,
  "command",
  "args",
  "image",
  "serviceAccountName",
  "serviceAccount",
  "hostNetwork",
  "hostPID",
  "hostIPC",
  "privileged",
]);

/** Pod fields where anything inside matters as much as the field: storage and privileges. */
const POD_STRUCTURE_SUBTREES = new Set(["volumes", "volumeMounts", "volumeDevices", "securityContext"]);

const RBAC_KINDS = new Set(["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]);
const RBAC_FIELDS = new Set(["rules", "roleRef", "subjects", "aggregationRule"]);

const WEBHOOK_KINDS = new Set(["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"]);
const WEBHOOK_FIELDS = new Set([
  "clientConfig",
  "rules",
  "failurePolicy",
  "namespaceSelector",
  "objectSelector",
]);

const SERVICE_ROUTING = new Set(["selector", "ports"]);

const CONFIG_KINDS = new Set(["Secret", "ConfigMap"]);
const CONFIG_FIELDS = new Set(["data", "stringData", "binaryData"]);

/** Index of the `labels`/`annotations` field that sits directly under a `metadata` field, or -1. */
function metadataMapIndex(fields: readonly string[]): number {
  return fields.findIndex(
    (name, i) => (name === "labels" || name === "annotations") && i > 0 && fields[i - 1] === "metadata",
  );
}

/**
 * Settings that widen what a pod may do on its node or where it may run: added live, each deserves a look even
 * when nothing breaks. Checked on every leaf of the added value (a whole `securityContext` added at once too).
 */
const PLACEMENT_FIELDS = new Set(["nodeSelector", "tolerations", "affinity", "nodeName"]);
const HOST_NAMESPACES = new Set(["hostNetwork", "hostPID", "hostIPC"]);

function relaxesSecurity(fields: readonly string[], value: unknown): boolean {
  const last = fields.at(-1) ?? "";
  if (fields.some((name) => PLACEMENT_FIELDS.has(name) || name === "hostPath")) return true;
  if (isPlainObject(value)) {
    return Object.entries(value).some(([name, child]) => relaxesSecurity([...fields, name], child));
  }
  if (HOST_NAMESPACES.has(last) || last === "privileged" || last === "allowPrivilegeEscalation") {
    return value === true;
  }
  if (last === "add" && fields.at(-2) === "capabilities") return Array.isArray(value) && value.length > 0;
  if (last === "runAsUser" || last === "runAsGroup") return value === 0;
  if (last === "runAsNonRoot") return value === false;
  if (last === "hostPort") return typeof value === "number" && value > 0;
  if (last === "type" && (fields.at(-2) === "seccompProfile" || fields.at(-2) === "appArmorProfile")) {
    return value === "Unconfined";
  }
  if (last === "procMount") return value === "Unmasked";
  return false;
}

/** The name of the list an entry-level path ends in (`…containers[name=x]` → `containers`). */
function lastListName(context: SeverityContext): string | undefined {
  const last = context.finding.path.at(-1);
  return last?.kind === "key" || last?.kind === "index" ? context.fields.at(-1) : undefined;
}

/**
 * Evaluated in order; the first rule that applies decides. Every rule says why, so a report can show its
 * reasoning and a reviewer can argue with one line instead of with code.
 */
export const SEVERITY_RULES: readonly SeverityRule[] = [
  {
    id: "broken-reference",
    severity: "critical",
    reason:
      "every pod created from this template is rejected: a volumeMount names a volume the pod does not have",
    applies: ({ finding }) => finding.type === "broken-reference",
  },
  {
    id: "replicas-owned-by-autoscaler",
    severity: "info",
    reason:
      "an autoscaler targets the object and legitimately owns spec.replicas (the HPA controller writes it as kube-controller-manager, KEDA as keda-operator)",
    repair: "leave",
    applies: ({ fields, owner, autoscaled }) =>
      autoscaled &&
      fields.length === 2 &&
      fields[0] === "spec" &&
      fields[1] === "replicas" &&
      owner !== null &&
      isAutoscalerManager(owner.manager),
  },
  {
    id: "added-security-relevant",
    severity: "high",
    reason:
      "added live outside the release: privileges (privileged, host namespaces, hostPath, added capabilities, " +
      "root) or placement (nodeSelector, tolerations, affinity) that change what the pods may do on their nodes",
    applies: ({ finding, fields }) => finding.type === "added" && relaxesSecurity(fields, finding.live),
  },
  {
    id: "object-labels-annotations",
    severity: "low",
    reason: "labels and annotations of the object itself are bookkeeping; they seldom change what runs",
    applies: ({ fields }) => metadataMapIndex(fields) === 1,
  },
  {
    id: "pod-template-labels-annotations",
    severity: "medium",
    reason: "pod labels and annotations decide which Services, NetworkPolicies and PDBs select the pods",
    applies: ({ fields }) => metadataMapIndex(fields) > 1,
  },
  {
    id: "config-data",
    severity: "medium",
    reason: "configuration the pods read: a wrong or missing value changes behaviour at their next start",
    applies: ({ kind, fields }) => CONFIG_KINDS.has(kind) && CONFIG_FIELDS.has(fields[0] ?? ""),
  },
  {
    id: "pod-containers-missing",
    severity: "critical",
    reason: "a pod template without its containers list cannot create any pod",
    applies: ({ finding, fields }) => finding.code === "list-missing" && fields.at(-1) === "containers",
  },
  {
    id: "extra-pod-entry",
    severity: "high",
    reason:
      "a container or volume the chart does not declare is in every pod (a sidecar or init step added live)",
    applies: (context) =>
      context.finding.type === "extra" &&
      (POD_CONTAINER_LISTS.has(lastListName(context) ?? "") || lastListName(context) === "volumes"),
  },
  {
    id: "pod-structure",
    severity: "high",
    reason: "decides what the pods run, as which identity, with which privileges and volumes",
    applies: ({ fields }) =>
      POD_STRUCTURE_FIELDS.has(fields.at(-1) ?? "") ||
      fields.some((name) => POD_STRUCTURE_SUBTREES.has(name)),
  },
  {
    id: "service-routing",
    severity: "high",
    reason: "a Service's selector and ports decide which pods get its traffic; a wrong one cuts traffic off",
    applies: ({ kind, fields }) =>
      kind === "Service" && fields[0] === "spec" && SERVICE_ROUTING.has(fields[1] ?? ""),
  },
  {
    id: "rbac",
    severity: "high",
    reason: "RBAC rules and bindings decide what identities may do in the cluster",
    applies: ({ kind, fields }) => RBAC_KINDS.has(kind) && RBAC_FIELDS.has(fields[0] ?? ""),
  },
  {
    id: "admission-webhook",
    severity: "high",
    reason:
      "an admission webhook's endpoint, rules and failure policy decide which API requests it blocks or lets through",
    applies: ({ kind, fields }) =>
      WEBHOOK_KINDS.has(kind) &&
      fields[0] === "webhooks" &&
      (fields.length === 1 || fields.some((name) => WEBHOOK_FIELDS.has(name))),
  },
  {
    id: "added-field",
    severity: "medium",
    reason:
      "a field the release does not render was set live outside it; helm upgrade keeps it, so it stays until removed",
    applies: ({ finding }) => finding.type === "added",
  },
  {
    id: "default",
    severity: "medium",
    reason: "a rendered field differs live; its effect depends on the field",
    applies: () => true,
  },
];

/** The rule that decides a finding's severity (the last rule always applies). */
export function severityRuleOf(
  finding: RawFinding,
  kind: string,
  owner: FieldOwner | null,
  facts: { autoscaled: boolean } = { autoscaled: false },
): SeverityRule {
  const context: SeverityContext = {
    finding,
    kind,
    fields: fieldNames(finding.path),
    owner,
    autoscaled: facts.autoscaled,
  };
  const rule = SEVERITY_RULES.find((candidate) => candidate.applies(context));
  if (!rule) throw new Error("SEVERITY_RULES must end with a rule that always applies");
  return rule;
}

export function severityOf(
  finding: RawFinding,
  kind: string,
  owner: FieldOwner | null,
  facts: { autoscaled: boolean } = { autoscaled: false },
): Severity {
  return severityRuleOf(finding, kind, owner, facts).severity;
}

/** The severity rule id of an object that is rendered but absent live (objectMissingSeverity). */
export const OBJECT_MISSING_RULE = "object-missing";

/**
 * A rendered object that does not exist live: high for every kind. Whatever the chart put in the release
 * is part of how it works (a missing ConfigMap stops pods starting, a missing NetworkPolicy opens traffic,
 * a missing RoleBinding denies access); `helm upgrade` recreates it, so it is never worse than high.
 */
export function objectMissingSeverity(_kind: string): Severity {
  return "high";
}
