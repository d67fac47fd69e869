import { LAST_APPLIED_ANNOTATION } from "../normalize/last-applied-annotation.js";

/**
 * Who writes a live object besides people: the one home for facts about `metadata.managedFields` managers and
 * the metadata that is bookkeeping rather than state. Fields a manager of another role wrote are what
 * helm-drift reports as added live (src/diff/added-fields.ts).
 * - `helm`: Helm itself, whichever program embeds it: it writes what the release renders (and, writing with
 *   Update, also claims the server's defaults), never a hand edit.
 * - `controller`: Kubernetes' own components and injectors that fill in fields by design.
 * - `unattributable`: a name many programs share, so a field it wrote cannot be called a hand edit.
 * Every other manager (`kubectl-patch`, `kubectl-edit`, `kubectl-client-side-apply`, another tool's apply…)
 * is someone changing the object outside the release.
 */
export type ManagerRole = "helm" | "controller" | "unattributable";

/**
 * The field manager the Helm CLI writes with (see MANAGER_FACTS): Helm 4's server-side applies are this
 * manager's Apply entries, and a repair that should leave Helm owning a field applies as it.
 */
export const HELM_FIELD_MANAGER = "helm";

/**
 * The field manager of helm-drift's own writes (`helm-drift report`: the state in its ConfigMap, its Events).
 * A field it wrote is bookkeeping, not drift: see MANAGER_FACTS.
 */
export const HELM_DRIFT_FIELD_MANAGER = "helm-drift";

export interface ManagerFact {
  /** The manager name exactly, or a pattern for names that carry a version. */
  name: string | RegExp;
  role: ManagerRole;
  /** One line: why a manager of this name has this role. */
  reason: string;
  source: string;
}

export const MANAGER_FACTS: readonly ManagerFact[] = [
  {
    name: "helm",
    role: "helm",
    reason:
      "the Helm CLI pins its field manager to helm (Helm 4, and Helm 3 since v3.7 — before, the binary's name); " +
      "installs, upgrades and --take-ownership adoptions all write as helm",
    source: "https://github.com/helm/helm/pull/9870",
  },
  {
    name: "helm-controller",
    role: "helm",
    reason: "Flux's helm-controller embeds Helm and sets the field manager to its own name",
    source: "https://github.com/fluxcd/helm-controller/pull/346",
  },
  {
    name: /^terraform-provider-helm_/,
    role: "helm",
    reason:
      "Terraform's helm provider embeds the Helm SDK without naming a manager, so Helm falls back to the binary's " +
      "name (terraform-provider-helm_v2.17.0_x5)",
    source: "https://github.com/helm/helm/blob/v3.17.0/pkg/kube/client.go (getManagedFieldsManager)",
  },
  {
    name: "Go-http-client",
    role: "unattributable",
    reason:
      "Helm before v3.7 wrote as Go-http-client, the name every Go program gets that does not set one: " +
      "a field it wrote may be the release's own",
    source: "https://github.com/helm/helm/issues/9859",
  },
  {
    name: HELM_DRIFT_FIELD_MANAGER,
    role: "controller",
    reason:
      "helm-drift report keeps its state in the data of a ConfigMap that its chart renders without data: " +
      "that field is the report's bookkeeping, not someone changing its release",
    // Its writes set ?fieldManager=helm-drift (src/cluster/kube-api-client.ts sendJson).
    source: "https://kubernetes.io/docs/reference/using-api/server-side-apply/#managers",
  },
  {
    name: "kube-controller-manager",
    role: "controller",
    reason:
      "the built-in controllers: Deployment revisions, an HPA's replicas (scale subresource), " +
      "PersistentVolumeClaim binding, ServiceAccount tokens",
    source: "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/",
  },
  {
    name: "cloud-controller-manager",
    role: "controller",
    reason: "the cloud provider's controllers: load balancer status and annotations, node addresses",
    source: "https://kubernetes.io/docs/concepts/architecture/cloud-controller/",
  },
  {
    name: "kube-scheduler",
    role: "controller",
    reason: "binds pods to nodes and records scheduling decisions",
    source: "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-scheduler/",
  },
  {
    name: "kubelet",
    role: "controller",
    reason: "reports pod and node status and writes mirror pods",
    source: "https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/",
  },
  {
    name: "kube-apiserver",
    role: "controller",
    reason:
      "the API server's own controllers (CRD names and conditions, API priority and fairness, the default " +
      "Service) write under its name",
    source: "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
  },
  {
    name: "cainjector",
    role: "controller",
    reason:
      "cert-manager's CA injector writes caBundle into the webhook configurations, CRDs and APIServices that " +
      "ask for it with cert-manager.io/inject-ca-from",
    source: "https://cert-manager.io/docs/concepts/ca-injector/",
  },
  {
    name: "manager",
    role: "controller",
    reason:
      "operators scaffolded by kubebuilder or operator-sdk build their controller as bin/manager, and " +
      "controller-runtime names its writes after the binary (the ARC controller's finalizer and annotations)",
    source: "https://book.kubebuilder.io/cronjob-tutorial/basic-project",
  },
];

/** The role of a managedFields manager; null for everyone else: a person or a tool outside the release. */
export function managerRole(manager: string): ManagerRole | null {
  const fact = MANAGER_FACTS.find(({ name }) =>
    typeof name === "string" ? name === manager : name.test(manager),
  );
  return fact?.role ?? null;
}

/**
 * The role of a manager on one object: its role by name, else `controller` when it also writes this object's
 * status through the status subresource. Whatever reconciles an object reports on it there (an operator's
 * controller, whatever its binary is called); people editing an object do not.
 */
export function managerRoleOn(
  manager: string,
  managedFields: readonly { manager?: string; subresource?: string }[],
): ManagerRole | null {
  const byName = managerRole(manager);
  if (byName !== null) return byName;
  const writesStatus = managedFields.some(
    (entry) => entry.manager === manager && entry.subresource === "status",
  );
  return writesStatus ? "controller" : null;
}

/** Whether a manager is Helm itself (the CLI, Flux's helm-controller, another program embedding Helm). */
export function isHelmManager(manager: string): boolean {
  return managerRole(manager) === "helm";
}

/** An annotation or label that records who did what, not how the object behaves. */
export interface BookkeepingKey {
  key: string;
  in: "annotations" | "labels";
  reason: string;
  source: string;
}

export const BOOKKEEPING_KEYS: readonly BookkeepingKey[] = [
  {
    key: LAST_APPLIED_ANNOTATION,
    in: "annotations",
    reason:
      "kubectl apply (client-side) keeps the configuration it last sent here for its next three-way merge",
    source:
      "https://kubernetes.io/docs/reference/labels-annotations-taints/#kubectl-kubernetes-io-last-applied-configuration",
  },
  {
    key: "kubectl.kubernetes.io/restartedAt",
    in: "annotations",
    reason:
      "kubectl rollout restart (and dashboards' restart buttons) stamp the pod template with the time to roll " +
      "the pods; nothing else changes",
    source: "https://kubernetes.io/docs/reference/labels-annotations-taints/#kubectl-k8s-io-restart-at",
  },
  {
    key: "deployment.kubernetes.io/revision",
    in: "annotations",
    reason: "the Deployment controller's revision counter",
    source:
      "https://kubernetes.io/docs/reference/labels-annotations-taints/#deployment-kubernetes-io-revision",
  },
  {
    key: "kubernetes.io/change-cause",
    in: "annotations",
    reason: "records the command that changed the object, for kubectl rollout history",
    source: "https://kubernetes.io/docs/reference/labels-annotations-taints/#change-cause",
  },
  {
    key: "meta.helm.sh/release-name",
    in: "annotations",
    reason: "Helm's mark of the owning release; set by hand to adopt an existing object into a release",
    source: "https://github.com/helm/helm/pull/7649",
  },
  {
    key: "meta.helm.sh/release-namespace",
    in: "annotations",
    reason: "Helm's mark of the owning release's namespace; set by hand to adopt an existing object",
    source: "https://github.com/helm/helm/pull/7649",
  },
  {
    key: "app.kubernetes.io/managed-by",
    in: "labels",
    reason: "Helm's mark (value Helm) that it manages the object; set by hand to adopt an existing object",
    source: "https://github.com/helm/helm/pull/7649",
  },
  {
    key: "control-plane.alpha.kubernetes.io/leader",
    in: "annotations",
    reason: "a leader-election record that controllers keep on a ConfigMap or Endpoints they lock",
    source:
      "https://github.com/kubernetes/client-go/blob/master/tools/leaderelection/resourcelock/interface.go",
  },
];

/**
 * Metadata the object's controllers keep, not its configuration: finalizers (added by the controllers that
 * clean up after the object: the garbage collector's foregroundDeletion, kubernetes.io/pvc-protection, an
 * operator's own) and ownerReferences (set by the controller that made or adopted the object). The metadata
 * the API server owns (uid, resourceVersion, managedFields, …) never reaches the comparison
 * (src/normalize/server-metadata.ts).
 * Upstream: https://kubernetes.io/docs/concepts/overview/working-with-objects/finalizers/,
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/owners-dependents/
 */
export const CONTROLLER_METADATA_FIELDS = ["finalizers", "ownerReferences"] as const;

/**
 * Whether the field at these field names (`spec.template.metadata.annotations.<key>`) is bookkeeping: a
 * bookkeeping annotation or label, on the object or on a pod template inside it, or the object's finalizers
 * and ownerReferences.
 */
export function isBookkeepingField(fields: readonly string[]): boolean {
  if (
    fields[0] === "metadata" &&
    (CONTROLLER_METADATA_FIELDS as readonly string[]).includes(fields[1] ?? "")
  ) {
    return true;
  }
  const n = fields.length;
  if (n < 3 || fields[n - 3] !== "metadata") return false;
  const map = fields[n - 2];
  const key = fields[n - 1];
  return BOOKKEEPING_KEYS.some((entry) => entry.in === map && entry.key === key);
}
