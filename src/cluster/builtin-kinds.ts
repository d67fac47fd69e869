/**
 * Built-in kinds as the API server serves them (Kubernetes 1.34 discovery): group, plural resource, scope.
 * Used where no API server can be asked (offline checks against a --live file) and to skip CRD look-ups for
 * groups that never hold custom resources.
 */
export interface BuiltinKind {
  group: string;
  kind: string;
  resource: string;
  namespaced: boolean;
}

type Row = [kind: string, resource: string, scope: "ns" | "cluster"];

const TABLE: Record<string, Row[]> = {
  "": [
    ["ComponentStatus", "componentstatuses", "cluster"],
    ["ConfigMap", "configmaps", "ns"],
    ["Endpoints", "endpoints", "ns"],
    ["Event", "events", "ns"],
    ["LimitRange", "limitranges", "ns"],
    ["Namespace", "namespaces", "cluster"],
    ["Node", "nodes", "cluster"],
    ["PersistentVolume", "persistentvolumes", "cluster"],
    ["PersistentVolumeClaim", "persistentvolumeclaims", "ns"],
    ["Pod", "pods", "ns"],
    ["PodTemplate", "podtemplates", "ns"],
    ["ReplicationController", "replicationcontrollers", "ns"],
    ["ResourceQuota", "resourcequotas", "ns"],
    ["Secret", "secrets", "ns"],
    ["Service", "services", "ns"],
    ["ServiceAccount", "serviceaccounts", "ns"],
  ],
  apps: [
    ["ControllerRevision", "controllerrevisions", "ns"],
    ["DaemonSet", "daemonsets", "ns"],
    ["Deployment", "deployments", "ns"],
    ["ReplicaSet", "replicasets", "ns"],
    ["StatefulSet", "statefulsets", "ns"],
  ],
  batch: [
    ["CronJob", "cronjobs", "ns"],
    ["Job", "jobs", "ns"],
  ],
  "networking.k8s.io": [
    ["IPAddress", "ipaddresses", "cluster"],
    ["Ingress", "ingresses", "ns"],
    ["IngressClass", "ingressclasses", "cluster"],
    ["NetworkPolicy", "networkpolicies", "ns"],
    ["ServiceCIDR", "servicecidrs", "cluster"],
  ],
  "rbac.authorization.k8s.io": [
    ["ClusterRole", "clusterroles", "cluster"],
    ["ClusterRoleBinding", "clusterrolebindings", "cluster"],
    ["Role", "roles", "ns"],
    ["RoleBinding", "rolebindings", "ns"],
  ],
  policy: [["PodDisruptionBudget", "poddisruptionbudgets", "ns"]],
  autoscaling: [["HorizontalPodAutoscaler", "horizontalpodautoscalers", "ns"]],
  "admissionregistration.k8s.io": [
    ["MutatingAdmissionPolicy", "mutatingadmissionpolicies", "cluster"],
    ["MutatingAdmissionPolicyBinding", "mutatingadmissionpolicybindings", "cluster"],
    ["MutatingWebhookConfiguration", "mutatingwebhookconfigurations", "cluster"],
    ["ValidatingAdmissionPolicy", "validatingadmissionpolicies", "cluster"],
    ["ValidatingAdmissionPolicyBinding", "validatingadmissionpolicybindings", "cluster"],
    ["ValidatingWebhookConfiguration", "validatingwebhookconfigurations", "cluster"],
  ],
  "apiextensions.k8s.io": [["CustomResourceDefinition", "customresourcedefinitions", "cluster"]],
  "storage.k8s.io": [
    ["CSIDriver", "csidrivers", "cluster"],
    ["CSINode", "csinodes", "cluster"],
    ["CSIStorageCapacity", "csistoragecapacities", "ns"],
    ["StorageClass", "storageclasses", "cluster"],
    ["VolumeAttachment", "volumeattachments", "cluster"],
    ["VolumeAttributesClass", "volumeattributesclasses", "cluster"],
  ],
  "scheduling.k8s.io": [["PriorityClass", "priorityclasses", "cluster"]],
  "coordination.k8s.io": [
    ["Lease", "leases", "ns"],
    ["LeaseCandidate", "leasecandidates", "ns"],
  ],
  "discovery.k8s.io": [["EndpointSlice", "endpointslices", "ns"]],
  "certificates.k8s.io": [
    ["CertificateSigningRequest", "certificatesigningrequests", "cluster"],
    ["ClusterTrustBundle", "clustertrustbundles", "cluster"],
  ],
  "apiregistration.k8s.io": [["APIService", "apiservices", "cluster"]],
  "events.k8s.io": [["Event", "events", "ns"]],
  "node.k8s.io": [["RuntimeClass", "runtimeclasses", "cluster"]],
  "flowcontrol.apiserver.k8s.io": [
    ["FlowSchema", "flowschemas", "cluster"],
    ["PriorityLevelConfiguration", "prioritylevelconfigurations", "cluster"],
  ],
};

const BY_GROUP_KIND = new Map<string, BuiltinKind>(
  Object.entries(TABLE).flatMap(([group, rows]) =>
    rows.map(([kind, resource, scope]): [string, BuiltinKind] => [
      `${group}/${kind}`,
      { group, kind, resource, namespaced: scope === "ns" },
    ]),
  ),
);

/** The built-in kind `kind` of API group `group` ("" for core), if it is one. */
export function builtinKind(group: string, kind: string): BuiltinKind | undefined {
  return BY_GROUP_KIND.get(`${group}/${kind}`);
}

/** Groups served by kube-apiserver itself, where no kind is defined by a CustomResourceDefinition. */
export function isBuiltinGroup(group: string): boolean {
  return Object.hasOwn(TABLE, group);
}
