import { isContainerList } from "../model/pod-spec.js";

/**
 * Zero values the API server never returns. These fields are plain Go `bool` / `int32` (not pointers) tagged
 * `omitempty` in k8s.io/api, so a rendered `false` or `0` is stored as the zero value and dropped when the object
 * is serialized: `hostNetwork: false`, `readOnly: false`, `minReadySeconds: 0` always read back absent. For these
 * fields zero is also the default, so a rendered zero matches an absent live field.
 * Pointer fields (`privileged`, `allowPrivilegeEscalation`, `automountServiceAccountToken`, `suspend`,
 * `immutable`, …) keep an explicit `false`, and their absence means something else: they are not listed.
 * Source: the `bool`/`int32` fields with `,omitempty` in the v1 `types.go` files of k8s.io/api v0.34 and
 * k8s.io/apiextensions-apiserver `apis/apiextensions/v1/types*.go`. Argo CD avoids the same false diff by
 * round-tripping through the Go types (argoproj/gitops-engine pkg/diff `remarshal`), which we cannot do here.
 * Matched on field names from the end of the path (list entries add no name), like quantity-paths.ts.
 */

const PROBES = new Set(["livenessProbe", "readinessProbe", "startupProbe"]);
const PROBE_FIELDS = new Set([
  "initialDelaySeconds",
  "timeoutSeconds",
  "periodSeconds",
  "successThreshold",
  "failureThreshold",
]);
/** Volume sources (pod and PersistentVolume) whose `readOnly` is a plain bool. */
const READ_ONLY_VOLUME_SOURCES = new Set([
  "persistentVolumeClaim",
  "glusterfs",
  "rbd",
  "cinder",
  "cephfs",
  "gcePersistentDisk",
  "quobyte",
  "flexVolume",
  "awsElasticBlockStore",
  "nfs",
  "iscsi",
  "fc",
  "azureFile",
  "portworxVolume",
  "scaleIO",
  "storageos",
]);
const WORKLOAD_KINDS = new Set([
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "ReplicaSet",
  "ReplicationController",
]);
/** JSONSchemaProps booleans of a CRD's validation schema. */
const SCHEMA_BOOLEANS = new Set([
  "exclusiveMaximum",
  "exclusiveMinimum",
  "uniqueItems",
  "nullable",
  "x-kubernetes-embedded-resource",
  "x-kubernetes-int-or-string",
]);

/** True when `value` is the zero value of a field the API server omits when zero (so it is never live). */
export function isOmittedZeroValue(kind: string, fieldNames: readonly string[], value: unknown): boolean {
  if (value !== false && value !== 0) return false;
  const n = fieldNames.length;
  const last = fieldNames[n - 1];
  const parent = fieldNames[n - 2] ?? "";
  const grandparent = fieldNames[n - 3] ?? "";
  if (last === undefined) return false;
  // PodSpec, wherever a pod template is embedded.
  if (last === "hostNetwork" || last === "hostPID" || last === "hostIPC") return true;
  if ((last === "stdin" || last === "stdinOnce" || last === "tty") && isContainerList(parent)) return true;
  if (last === "hostPort" && parent === "ports" && isContainerList(grandparent)) return true;
  if (last === "readOnly" && (parent === "volumeMounts" || READ_ONLY_VOLUME_SOURCES.has(parent))) return true;
  if (last === "partition" && (parent === "gcePersistentDisk" || parent === "awsElasticBlockStore"))
    return true;
  if ((last === "chapAuthDiscovery" || last === "chapAuthSession") && parent === "iscsi") return true;
  if (last === "sslEnabled" && parent === "scaleIO") return true;
  if (PROBE_FIELDS.has(last) && PROBES.has(parent)) return true;
  // Object-level fields.
  if (n === 2 && parent === "spec" && last === "minReadySeconds" && WORKLOAD_KINDS.has(kind)) return true;
  if (n === 2 && parent === "spec" && last === "paused" && kind === "Deployment") return true;
  if (kind === "Service") {
    if (n === 2 && (last === "publishNotReadyAddresses" || last === "healthCheckNodePort")) return true;
    if (n === 3 && parent === "ports" && last === "nodePort") return true;
  }
  if (kind === "PriorityClass" && n === 1 && last === "globalDefault") return true;
  if (kind === "CustomResourceDefinition") {
    if (n === 2 && last === "preserveUnknownFields") return true;
    if (parent === "versions" && last === "deprecated") return true;
    if (parent === "additionalPrinterColumns" && last === "priority") return true;
    if (fieldNames.includes("openAPIV3Schema") && SCHEMA_BOOLEANS.has(last)) return true;
  }
  return false;
}
