import { isPlainObject } from "../model/kube.js";
import { isContainerList } from "../model/pod-spec.js";
import { defaultKeyValue } from "./port-protocol-default.js";

/**
 * Values the API server fills in when a request leaves a field out: defaults (k8s.io/kubernetes
 * `pkg/apis/<group>/v1/defaults.go`), allocations (a Service's cluster IP and node ports) and what admission adds
 * (a PersistentVolumeClaim's default storage class). A manager that writes an object with an Update is
 * recorded as the owner of all of them, so whoever created or adopted the object (`kubectl create`,
 * `kubectl apply` before Helm took it over) appears to have set them. A field that holds the value the server
 * would give it anyway changes nothing, so it is not reported as added (src/diff/added-fields.ts).
 * Matched on field names from the end of the path (list entries add no name), like omitted-zero-values.ts.
 * Upstream: https://github.com/kubernetes/kubernetes/blob/v1.34.0/pkg/apis/core/v1/defaults.go,
 * apps/v1/defaults.go, batch/v1/defaults.go, admissionregistration/v1/defaults.go; the same list as
 * gitops-engine's remarshal round-trip through the Go types (argoproj/gitops-engine pkg/diff).
 */

/** Where a value sits: the object's kind, the field names from the root, and the live map holding it. */
interface DefaultContext {
  kind: string;
  fields: readonly string[];
  value: unknown;
  parent: Record<string, unknown> | null;
}

interface ServerDefault {
  /** Field names from the end of the path; "*" matches any one name. */
  suffix: readonly string[];
  /** Only for these kinds; absent: wherever the suffix matches. */
  kinds?: readonly string[];
  /** Only when the path has exactly this many field names (object-level fields). */
  depth?: number;
  /** The default, or how to tell a value the server computed. */
  is: unknown | ((context: DefaultContext) => boolean);
}

const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"];
const MODE_SOURCES = ["configMap", "secret", "downwardAPI", "projected"];
const WEBHOOK_KINDS = ["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"];
const ANY = () => true;

const DEFAULTS: readonly ServerDefault[] = [
  // PodSpec, wherever a pod template sits (only pod specs have these names; a container's restartPolicy is not
  // defaulted and makes an init container a sidecar, so it is excluded below).
  { suffix: ["dnsPolicy"], is: "ClusterFirst" },
  { suffix: ["restartPolicy"], is: (c: DefaultContext) => c.value === "Always" && !inContainer(c) },
  { suffix: ["schedulerName"], is: "default-scheduler" },
  { suffix: ["terminationGracePeriodSeconds"], is: 30 },
  // Containers.
  {
    suffix: ["terminationMessagePath"],
    is: (c: DefaultContext) => inContainer(c) && c.value === "/dev/termination-log",
  },
  { suffix: ["terminationMessagePolicy"], is: (c: DefaultContext) => inContainer(c) && c.value === "File" },
  {
    suffix: ["imagePullPolicy"],
    is: (c: DefaultContext) => inContainer(c) && c.value === pullPolicyFor(c.parent?.image),
  },
  { suffix: ["ports", "protocol"], is: (c: DefaultContext) => c.value === defaultKeyValue("protocol") },
  // hostNetwork pods: hostPort defaults to containerPort.
  { suffix: ["ports", "hostPort"], is: (c: DefaultContext) => c.value === c.parent?.containerPort },
  ...PROBES.flatMap((probe): ServerDefault[] => [
    { suffix: [probe, "timeoutSeconds"], is: 1 },
    { suffix: [probe, "periodSeconds"], is: 10 },
    { suffix: [probe, "successThreshold"], is: 1 },
    { suffix: [probe, "failureThreshold"], is: 3 },
  ]),
  { suffix: ["httpGet", "scheme"], is: "HTTP" },
  ...MODE_SOURCES.map((source): ServerDefault => ({ suffix: [source, "defaultMode"], is: 420 })),
  // Workloads.
  {
    kinds: ["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"],
    depth: 2,
    suffix: ["spec", "replicas"],
    is: 1,
  },
  {
    kinds: ["Deployment", "StatefulSet", "DaemonSet"],
    depth: 2,
    suffix: ["spec", "revisionHistoryLimit"],
    is: 10,
  },
  { kinds: ["Deployment"], depth: 2, suffix: ["spec", "progressDeadlineSeconds"], is: 600 },
  { kinds: ["Deployment"], depth: 3, suffix: ["spec", "strategy", "type"], is: "RollingUpdate" },
  { kinds: ["Deployment"], depth: 4, suffix: ["strategy", "rollingUpdate", "maxSurge"], is: "25%" },
  { kinds: ["Deployment"], depth: 4, suffix: ["strategy", "rollingUpdate", "maxUnavailable"], is: "25%" },
  { kinds: ["StatefulSet"], depth: 2, suffix: ["spec", "podManagementPolicy"], is: "OrderedReady" },
  {
    kinds: ["StatefulSet", "DaemonSet"],
    depth: 3,
    suffix: ["spec", "updateStrategy", "type"],
    is: "RollingUpdate",
  },
  { kinds: ["StatefulSet"], depth: 4, suffix: ["updateStrategy", "rollingUpdate", "partition"], is: 0 },
  { kinds: ["DaemonSet"], depth: 4, suffix: ["updateStrategy", "rollingUpdate", "maxUnavailable"], is: 1 },
  { kinds: ["DaemonSet"], depth: 4, suffix: ["updateStrategy", "rollingUpdate", "maxSurge"], is: 0 },
  { kinds: ["StatefulSet"], depth: 3, suffix: ["persistentVolumeClaimRetentionPolicy", "*"], is: "Retain" },
  // A ReplicationController without a selector selects its template's labels.
  {
    kinds: ["ReplicationController"],
    depth: 2,
    suffix: ["spec", "selector"],
    is: (c: DefaultContext) => isSubsetOf(c.value, templateLabels(c.parent)),
  },
  // Jobs (and a CronJob's job template); the API server generates a Job's selector and the pod labels it selects.
  { kinds: ["Job", "CronJob"], suffix: ["spec", "backoffLimit"], is: 6 },
  { kinds: ["Job", "CronJob"], suffix: ["spec", "completions"], is: 1 },
  { kinds: ["Job", "CronJob"], suffix: ["spec", "parallelism"], is: 1 },
  { kinds: ["Job", "CronJob"], suffix: ["spec", "completionMode"], is: "NonIndexed" },
  { kinds: ["Job", "CronJob"], suffix: ["spec", "suspend"], is: false },
  { kinds: ["Job", "CronJob"], suffix: ["spec", "podReplacementPolicy"], is: "TerminatingOrFailed" },
  { kinds: ["Job"], depth: 2, suffix: ["spec", "selector"], is: ANY },
  {
    kinds: ["Job"],
    depth: 5,
    suffix: ["template", "metadata", "labels", "*"],
    is: (c: DefaultContext) => JOB_LABELS.has(c.fields.at(-1) ?? ""),
  },
  { kinds: ["CronJob"], depth: 2, suffix: ["spec", "concurrencyPolicy"], is: "Allow" },
  { kinds: ["CronJob"], depth: 2, suffix: ["spec", "successfulJobsHistoryLimit"], is: 3 },
  { kinds: ["CronJob"], depth: 2, suffix: ["spec", "failedJobsHistoryLimit"], is: 1 },
  // Services: defaults and allocations.
  { kinds: ["Service"], depth: 2, suffix: ["spec", "type"], is: "ClusterIP" },
  { kinds: ["Service"], depth: 2, suffix: ["spec", "sessionAffinity"], is: "None" },
  { kinds: ["Service"], depth: 2, suffix: ["spec", "clusterIP"], is: ANY },
  { kinds: ["Service"], depth: 2, suffix: ["spec", "clusterIPs"], is: ANY },
  { kinds: ["Service"], depth: 2, suffix: ["spec", "ipFamilies"], is: ANY },
  { kinds: ["Service"], depth: 2, suffix: ["spec", "ipFamilyPolicy"], is: "SingleStack" },
  { kinds: ["Service"], depth: 2, suffix: ["spec", "internalTrafficPolicy"], is: "Cluster" },
  { kinds: ["Service"], depth: 2, suffix: ["spec", "externalTrafficPolicy"], is: "Cluster" },
  { kinds: ["Service"], depth: 2, suffix: ["spec", "healthCheckNodePort"], is: ANY },
  { kinds: ["Service"], depth: 2, suffix: ["spec", "allocateLoadBalancerNodePorts"], is: true },
  { kinds: ["Service"], depth: 3, suffix: ["spec", "ports", "nodePort"], is: ANY },
  {
    kinds: ["Service"],
    depth: 3,
    suffix: ["spec", "ports", "targetPort"],
    is: (c: DefaultContext) => c.value === c.parent?.port,
  },
  // PersistentVolumeClaims: the DefaultStorageClass admission plugin and the binder fill these in.
  { kinds: ["PersistentVolumeClaim"], depth: 2, suffix: ["spec", "volumeMode"], is: "Filesystem" },
  { kinds: ["PersistentVolumeClaim"], depth: 2, suffix: ["spec", "storageClassName"], is: ANY },
  { kinds: ["PersistentVolumeClaim"], depth: 2, suffix: ["spec", "volumeName"], is: ANY },
  // Admission webhooks.
  { kinds: WEBHOOK_KINDS, suffix: ["webhooks", "failurePolicy"], is: "Fail" },
  { kinds: WEBHOOK_KINDS, suffix: ["webhooks", "matchPolicy"], is: "Equivalent" },
  { kinds: WEBHOOK_KINDS, suffix: ["webhooks", "timeoutSeconds"], is: 10 },
  { kinds: WEBHOOK_KINDS, suffix: ["webhooks", "reinvocationPolicy"], is: "Never" },
  { kinds: WEBHOOK_KINDS, suffix: ["clientConfig", "service", "port"], is: 443 },
  // Others.
  { kinds: ["Secret"], depth: 1, suffix: ["type"], is: "Opaque" },
  { kinds: ["PriorityClass"], depth: 1, suffix: ["preemptionPolicy"], is: "PreemptLowerPriority" },
  {
    kinds: ["NetworkPolicy"],
    depth: 2,
    suffix: ["spec", "policyTypes"],
    is: (c: DefaultContext) => sameJson(c.value, networkPolicyTypes(c.parent)),
  },
];

/** The labels a Job's controller selects its pods by; the API server adds them to the pod template. */
const JOB_LABELS = new Set([
  "controller-uid",
  "job-name",
  "batch.kubernetes.io/controller-uid",
  "batch.kubernetes.io/job-name",
]);

/**
 * True when `value`, at `fields` in an object of `kind`, is what the API server sets there by itself: a default,
 * an allocation or an admission plugin's value. A map is a default when every field in it is. `parent` is the
 * live map that holds the value (defaults computed from siblings: a container's image, a port's number).
 */
export function isServerDefault(
  kind: string,
  fields: readonly string[],
  value: unknown,
  parent: Record<string, unknown> | null,
): boolean {
  if (matchesRule({ kind, fields, value, parent })) return true;
  if (!isPlainObject(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length > 0 &&
    entries.every(([name, child]) => isServerDefault(kind, [...fields, name], child, value))
  );
}

function matchesRule(context: DefaultContext): boolean {
  return DEFAULTS.some((rule) => {
    if (rule.kinds && !rule.kinds.includes(context.kind)) return false;
    if (rule.depth !== undefined && context.fields.length !== rule.depth) return false;
    if (!endsWith(context.fields, rule.suffix)) return false;
    return typeof rule.is === "function" ? rule.is(context) : context.value === rule.is;
  });
}

function endsWith(fields: readonly string[], suffix: readonly string[]): boolean {
  const offset = fields.length - suffix.length;
  return offset >= 0 && suffix.every((name, i) => name === "*" || fields[offset + i] === name);
}

/** The field sits directly in a container (`containers.imagePullPolicy`: list entries add no name). */
function inContainer(context: DefaultContext): boolean {
  return isContainerList(context.fields.at(-2) ?? "");
}

/** Always for `:latest` or no tag (and no digest), else IfNotPresent (core/v1 SetDefaults_Container). */
function pullPolicyFor(image: unknown): string | undefined {
  if (typeof image !== "string") return undefined;
  if (image.includes("@")) return "IfNotPresent";
  const name = image.slice(image.lastIndexOf("/") + 1);
  const tag = name.includes(":") ? name.slice(name.indexOf(":") + 1) : "latest";
  return tag === "latest" ? "Always" : "IfNotPresent";
}

function templateLabels(spec: Record<string, unknown> | null): unknown {
  const template = spec?.template;
  return isPlainObject(template) && isPlainObject(template.metadata) ? template.metadata.labels : undefined;
}

function isSubsetOf(selector: unknown, labels: unknown): boolean {
  return (
    isPlainObject(selector) &&
    isPlainObject(labels) &&
    Object.entries(selector).every(([key, value]) => labels[key] === value)
  );
}

/** Ingress always; Egress too when the policy has egress rules (networking/v1 SetDefaults_NetworkPolicy). */
function networkPolicyTypes(spec: Record<string, unknown> | null): string[] {
  return Array.isArray(spec?.egress) && spec.egress.length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
