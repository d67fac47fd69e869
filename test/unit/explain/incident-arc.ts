/**
 * The incident helm-drift exists for, rebuilt from the gha-runner-scale-set 0.14.2 chart shape
 * (test/fixtures/corpus/arc): a Flux-managed release whose AutoscalingRunnerSet lost initContainers, volumes
 * and serviceAccountName from spec.template.spec while `helm upgrade` kept succeeding. Its last-applied
 * annotation (from a `kubectl apply`) tracks only `containers`. The ARC CRD declares no list types for the
 * pod template, so its lists are atomic and managedFields claims `f:containers: {}` as a leaf.
 */
import type { RawFinding } from "../../../src/model/finding.js";
import type { KubeObject, ObjectRef } from "../../../src/model/kube.js";

export const RELEASE = {
  name: "arc-runners",
  namespace: "arc-runners",
  revision: 3,
  chartName: "gha-runner-scale-set",
  chartVersion: "0.14.2",
};

export const FLUX = { name: "arc-runners", namespace: "flux-system" };

export const REF: ObjectRef = {
  apiVersion: "actions.github.com/v1alpha1",
  kind: "AutoscalingRunnerSet",
  namespace: "arc-runners",
  name: "arc-runners",
};

const runner = {
  name: "runner",
  image: "ghcr.io/actions/actions-runner:2.321.0",
  command: ["/home/runner/run.sh"],
  env: [{ name: "ACTIONS_RUNNER_CONTAINER_HOOKS", value: "/home/runner/k8s/index.js" }],
  volumeMounts: [
    { name: "work", mountPath: "/home/runner/_work" },
    { name: "kubectl-bin", mountPath: "/usr/local/kubectl-bin" },
  ],
};

export const INIT_CONTAINERS = [
  {
    name: "kubectl-bin",
    image: "bitnami/kubectl:1.31",
    command: ["cp", "/opt/bitnami/kubectl/bin/kubectl", "/kubectl-bin/kubectl"],
    volumeMounts: [{ name: "kubectl-bin", mountPath: "/kubectl-bin" }],
  },
];

export const VOLUMES = [
  {
    name: "work",
    ephemeral: {
      volumeClaimTemplate: {
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: "standard",
          resources: { requests: { storage: "1Gi" } },
        },
      },
    },
  },
  { name: "kubectl-bin", emptyDir: {} },
];

export const SERVICE_ACCOUNT = "arc-runners-gha-rs-kube-mode";

const lastApplied = {
  apiVersion: "actions.github.com/v1alpha1",
  kind: "AutoscalingRunnerSet",
  metadata: { annotations: {}, name: "arc-runners", namespace: "arc-runners" },
  spec: {
    githubConfigSecret: "arc-runners-gha-rs-github-secret",
    githubConfigUrl: "https://github.com/example-org",
    maxRunners: 5,
    minRunners: 0,
    template: { spec: { containers: [runner] } },
  },
};

/** The live object as `kubectl get -o json --show-managed-fields` returned it. */
export function incidentLive(): KubeObject {
  return structuredClone({
    apiVersion: "actions.github.com/v1alpha1",
    kind: "AutoscalingRunnerSet",
    metadata: {
      name: "arc-runners",
      namespace: "arc-runners",
      resourceVersion: "48213377",
      generation: 7,
      uid: "5f0c8a52-3d1e-4c52-9a43-0d8e6f6f2b11",
      finalizers: ["autoscalingrunnerset.actions.github.com/finalizer"],
      labels: {
        "app.kubernetes.io/managed-by": "Helm",
        "app.kubernetes.io/name": "arc-runners",
        "helm.toolkit.fluxcd.io/name": "arc-runners",
        "helm.toolkit.fluxcd.io/namespace": "flux-system",
      },
      annotations: {
        "meta.helm.sh/release-name": "arc-runners",
        "meta.helm.sh/release-namespace": "arc-runners",
        "runner-scale-set-id": "3",
        "kubectl.kubernetes.io/last-applied-configuration": `${JSON.stringify(lastApplied)}\n`,
      },
      managedFields: [
        {
          apiVersion: "actions.github.com/v1alpha1",
          fieldsType: "FieldsV1",
          fieldsV1: {
            "f:metadata": {
              "f:annotations": {
                ".": {},
                "f:meta.helm.sh/release-name": {},
                "f:meta.helm.sh/release-namespace": {},
              },
              "f:labels": {
                ".": {},
                "f:app.kubernetes.io/managed-by": {},
                "f:app.kubernetes.io/name": {},
                "f:helm.toolkit.fluxcd.io/name": {},
                "f:helm.toolkit.fluxcd.io/namespace": {},
              },
            },
            "f:spec": {
              ".": {},
              "f:githubConfigSecret": {},
              "f:githubConfigUrl": {},
              "f:maxRunners": {},
              "f:minRunners": {},
              "f:template": { ".": {}, "f:spec": { ".": {} } },
            },
          },
          manager: "helm-controller",
          operation: "Update",
          time: "2024-05-02T10:00:00Z",
        },
        {
          apiVersion: "actions.github.com/v1alpha1",
          fieldsType: "FieldsV1",
          fieldsV1: {
            "f:metadata": { "f:annotations": { "f:kubectl.kubernetes.io/last-applied-configuration": {} } },
            "f:spec": { "f:template": { "f:spec": { "f:containers": {} } } },
          },
          manager: "kubectl-client-side-apply",
          operation: "Update",
          time: "2024-06-10T08:30:00Z",
        },
        {
          apiVersion: "actions.github.com/v1alpha1",
          fieldsType: "FieldsV1",
          fieldsV1: {
            "f:metadata": {
              "f:annotations": { "f:runner-scale-set-id": {} },
              "f:finalizers": { ".": {}, 'v:"autoscalingrunnerset.actions.github.com/finalizer"': {} },
            },
          },
          manager: "manager",
          operation: "Update",
          time: "2024-06-10T08:30:05Z",
        },
        {
          apiVersion: "actions.github.com/v1alpha1",
          fieldsType: "FieldsV1",
          fieldsV1: { "f:status": { ".": {}, "f:currentRunners": {}, "f:state": {} } },
          manager: "manager",
          operation: "Update",
          subresource: "status",
          time: "2024-06-10T09:12:44Z",
        },
      ],
    },
    spec: {
      githubConfigSecret: "arc-runners-gha-rs-github-secret",
      githubConfigUrl: "https://github.com/example-org",
      maxRunners: 5,
      minRunners: 0,
      template: { spec: { containers: [runner], restartPolicy: "Never" } },
    },
    status: { currentRunners: 0, state: "" },
  });
}

/** What repairLive returns: the live object with the three missing fields put back. */
export function incidentRepaired(): KubeObject {
  const repaired = incidentLive();
  const podSpec = (repaired.spec as { template: { spec: Record<string, unknown> } }).template.spec;
  podSpec.initContainers = structuredClone(INIT_CONTAINERS);
  podSpec.volumes = structuredClone(VOLUMES);
  podSpec.serviceAccountName = SERVICE_ACCOUNT;
  return repaired;
}

const podSpecPath = [
  { kind: "field", name: "spec" },
  { kind: "field", name: "template" },
  { kind: "field", name: "spec" },
] as const;

/** What the diff engine reports for the incident (besides the broken references, which findBrokenReferences adds). */
export function incidentDiffFindings(): RawFinding[] {
  return [
    {
      type: "missing",
      code: "list-missing",
      path: [...podSpecPath, { kind: "field", name: "initContainers" }],
      desired: structuredClone(INIT_CONTAINERS),
      live: undefined,
    },
    {
      type: "missing",
      code: "list-missing",
      path: [...podSpecPath, { kind: "field", name: "volumes" }],
      desired: structuredClone(VOLUMES),
      live: undefined,
    },
    {
      type: "missing",
      code: "field-missing",
      path: [...podSpecPath, { kind: "field", name: "serviceAccountName" }],
      desired: SERVICE_ACCOUNT,
      live: undefined,
    },
  ];
}
