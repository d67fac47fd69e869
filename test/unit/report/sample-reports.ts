/**
 * Reports shaped like what the core produces, for the reporters' golden tests. Timestamps are fixed.
 * The incident: Flux-managed gha-runner-scale-set release whose AutoscalingRunnerSet lost its init
 * container, volumes and service account live, which Helm 3 never re-sends for a custom resource.
 */

import { unifiedDiff } from "../../../src/diff/unified-diff.js";
import { SEVERITIES, type Severity } from "../../../src/model/finding.js";
import type { DriftReport, ReleaseReport, ResourceReport } from "../../../src/model/report.js";
import {
  initContainers,
  kubectlMount,
  liveGrafanaSecret,
  liveRunnerSet,
  renderedGrafanaSecret,
  renderedRunnerSet,
  volumes,
} from "./sample-objects.js";

const GENERATED_AT = "2025-11-04T09:30:00.000Z";

/** Wraps releases into a report, with the summary counted the way the core counts it. */
function reportOf(releases: ReleaseReport[]): DriftReport {
  const resources = releases.flatMap((release) => release.resources);
  const findings = resources.flatMap((resource) => resource.findings);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const finding of findings) bySeverity[finding.severity]++;
  return {
    apiVersion: "helm-drift/v1",
    kind: "DriftReport",
    generatedAt: GENERATED_AT,
    summary: {
      releases: releases.length,
      resources: resources.length,
      drifted: resources.filter((resource) => resource.status === "Drifted").length,
      missing: resources.filter((resource) => resource.status === "Missing").length,
      findings: findings.length,
      bySeverity,
    },
    releases,
  };
}

function inSync(
  apiVersion: string,
  kind: string,
  namespace: string | null,
  name: string,
  source: string,
): ResourceReport {
  return {
    apiVersion,
    kind,
    namespace,
    name,
    source,
    status: "InSync",
    findings: [],
    explanations: [],
    selfHealsOnUpgrade: null,
    remediation: null,
    diff: null,
  };
}

const ARS = "autoscalingrunnersets.actions.github.com arc-runner-set -n arc-runners";
const SPEC = "spec.template.spec";

const runnerSet: ResourceReport = {
  apiVersion: "actions.github.com/v1alpha1",
  kind: "AutoscalingRunnerSet",
  namespace: "arc-runners",
  name: "arc-runner-set",
  source: "gha-runner-scale-set/templates/autoscalingrunnerset.yaml",
  status: "Drifted",
  findings: [
    {
      code: "volume-mount-broken",
      type: "broken-reference",
      path: `${SPEC}.containers[name=runner].volumeMounts[mountPath=/home/runner/kubectl-bin]`,
      pointer: null,
      severity: "critical",
      desired: "kubectl-bin",
      live: kubectlMount,
      message:
        'container "runner" mounts volume "kubectl-bin", which the live pod template does not have: new runner pods are rejected',
      owner: { manager: "helm-controller", operation: "Update", time: "2025-10-28T08:01:55Z" },
    },
    {
      code: "list-missing",
      type: "missing",
      path: `${SPEC}.initContainers`,
      pointer: "/spec/template/spec/initContainers",
      severity: "high",
      desired: initContainers,
      live: null,
      message: "initContainers (1 entry) is rendered but absent live",
      owner: null,
    },
    {
      code: "list-missing",
      type: "missing",
      path: `${SPEC}.volumes`,
      pointer: "/spec/template/spec/volumes",
      severity: "high",
      desired: volumes,
      live: null,
      message: "volumes (2 entries) is rendered but absent live",
      owner: null,
    },
    {
      code: "field-missing",
      type: "missing",
      path: `${SPEC}.serviceAccountName`,
      pointer: "/spec/template/spec/serviceAccountName",
      severity: "high",
      desired: "arc-runner-set-gha-rs-kube-mode",
      live: null,
      message:
        "serviceAccountName is rendered but absent live: runner pods run as the namespace's default service account",
      owner: null,
    },
  ],
  explanations: [
    "AutoscalingRunnerSet is a custom resource: Helm 3 upgrades it with a JSON merge patch of the previous and the new release manifest and never looks at the live object, so fields removed live are not sent again (helm/helm#9937).",
    "spec.template.spec was last written by kubectl-edit (Update, 2025-11-03T14:22:07Z), after Helm's last upgrade: the fields were removed by hand.",
    'The runner container still mounts volume "kubectl-bin", which no longer exists: the API server rejects every new runner pod, so queued jobs never start.',
  ],
  selfHealsOnUpgrade: false,
  remediation: {
    strategy: "recreate",
    reason:
      "Deleting the object and letting Helm create it again restores every rendered field, whatever else was changed live.",
    steps: [
      {
        description: "Suspend the Flux HelmRelease so it does not reconcile while the object is gone",
        command: "flux suspend helmrelease arc-runners -n flux-system",
      },
      {
        description: "Delete the drifted AutoscalingRunnerSet (running jobs are not interrupted)",
        command: `kubectl delete ${ARS} --wait=true`,
      },
      {
        description: "Resume the HelmRelease",
        command: "flux resume helmrelease arc-runners -n flux-system",
      },
      {
        description: "Force an upgrade: Helm creates the objects of the manifest that do not exist",
        command: "flux reconcile helmrelease arc-runners -n flux-system --force",
      },
    ],
    alternatives: [
      {
        strategy: "patch",
        reason: "Restores only the three missing fields in place, without deleting the object.",
        steps: [
          {
            description: "Send the missing fields back with a merge patch",
            command: `kubectl patch ${ARS} --type merge -p '${JSON.stringify({
              spec: {
                template: {
                  spec: { serviceAccountName: "arc-runner-set-gha-rs-kube-mode", initContainers, volumes },
                },
              },
            })}'`,
          },
        ],
      },
    ],
  },
  diff: unifiedDiff(
    "rendered AutoscalingRunnerSet/arc-runners/arc-runner-set",
    "live AutoscalingRunnerSet/arc-runners/arc-runner-set",
    renderedRunnerSet,
    liveRunnerSet,
  ),
};

const arcRunners: ReleaseReport = {
  name: "arc-runners",
  namespace: "arc-runners",
  revision: 3,
  chart: "gha-runner-scale-set-0.14.2",
  chartName: "gha-runner-scale-set",
  chartVersion: "0.14.2",
  status: "Drifted",
  flux: { name: "arc-runners", namespace: "flux-system" },
  resources: [
    inSync(
      "v1",
      "ServiceAccount",
      "arc-runners",
      "arc-runner-set-gha-rs-kube-mode",
      "gha-runner-scale-set/templates/kube_mode_serviceaccount.yaml",
    ),
    inSync(
      "rbac.authorization.k8s.io/v1",
      "Role",
      "arc-runners",
      "arc-runner-set-gha-rs-kube-mode",
      "gha-runner-scale-set/templates/kube_mode_role.yaml",
    ),
    inSync(
      "rbac.authorization.k8s.io/v1",
      "RoleBinding",
      "arc-runners",
      "arc-runner-set-gha-rs-kube-mode",
      "gha-runner-scale-set/templates/kube_mode_role_binding.yaml",
    ),
    runnerSet,
  ],
};

const ingressNginx: ReleaseReport = {
  name: "ingress-nginx",
  namespace: "ingress-nginx",
  revision: 7,
  chart: "ingress-nginx-4.13.3",
  chartName: "ingress-nginx",
  chartVersion: "4.13.3",
  status: "InSync",
  flux: null,
  resources: [
    inSync(
      "v1",
      "ServiceAccount",
      "ingress-nginx",
      "ingress-nginx",
      "ingress-nginx/templates/controller-serviceaccount.yaml",
    ),
    inSync(
      "v1",
      "ConfigMap",
      "ingress-nginx",
      "ingress-nginx-controller",
      "ingress-nginx/templates/controller-configmap.yaml",
    ),
    inSync(
      "rbac.authorization.k8s.io/v1",
      "ClusterRole",
      null,
      "ingress-nginx",
      "ingress-nginx/templates/clusterrole.yaml",
    ),
    inSync(
      "v1",
      "Service",
      "ingress-nginx",
      "ingress-nginx-controller",
      "ingress-nginx/templates/controller-service.yaml",
    ),
    inSync(
      "apps/v1",
      "Deployment",
      "ingress-nginx",
      "ingress-nginx-controller",
      "ingress-nginx/templates/controller-deployment.yaml",
    ),
  ],
};

const payments: ReleaseReport = {
  name: "payments",
  namespace: "payments",
  revision: null,
  chart: null,
  chartName: null,
  chartVersion: null,
  status: "Error",
  error:
    'helm get manifest payments -n payments failed: Error: query: failed to query with labels: secrets is forbidden: User "system:serviceaccount:ops:helm-drift" cannot list resource "secrets" in API group "" in the namespace "payments"',
  resources: [],
};

const MISSING_REASON = "ConfigMap/web/web-settings does not exist in the cluster";
const web: ReleaseReport = {
  name: "web",
  namespace: "web",
  revision: 12,
  chart: "web-app-2.4.1",
  chartName: "web-app",
  chartVersion: "2.4.1",
  status: "Drifted",
  flux: null,
  resources: [
    inSync("apps/v1", "Deployment", "web", "web", "web-app/templates/deployment.yaml"),
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      namespace: "web",
      name: "web-settings",
      source: "web-app/templates/configmap.yaml",
      status: "Missing",
      reason: MISSING_REASON,
      findings: [
        {
          code: "object-missing",
          type: "missing",
          path: "",
          pointer: "",
          severity: "high",
          desired: null,
          live: null,
          message: MISSING_REASON,
          owner: null,
        },
      ],
      explanations: [],
      selfHealsOnUpgrade: true,
      remediation: {
        strategy: "recreate",
        steps: [
          {
            description:
              "Upgrade the release with its current values: Helm creates the objects of the manifest that do not exist",
            command:
              "helm upgrade web web-app --repo https://charts.example.com --version 2.4.1 -n web --reuse-values",
          },
        ],
      },
    },
    {
      apiVersion: "v1",
      kind: "Secret",
      namespace: "web",
      name: "web-tls",
      source: "web-app/templates/tls-secret.yaml",
      status: "Unreadable",
      reason:
        'secrets "web-tls" is forbidden: User "system:serviceaccount:ops:helm-drift" cannot get resource "secrets" in API group "" in the namespace "web"',
      findings: [],
      explanations: [],
      selfHealsOnUpgrade: null,
      remediation: null,
    },
  ],
};

const grafanaSecret: ResourceReport = {
  apiVersion: "v1",
  kind: "Secret",
  namespace: "monitoring",
  name: "grafana",
  source: "grafana/templates/secret.yaml",
  status: "Drifted",
  findings: [
    {
      code: "value-changed",
      type: "changed",
      path: 'data["admin-password"]',
      pointer: "/data/admin-password",
      severity: "medium",
      desired: "*** (rendered)",
      live: "*** (live)",
      message: "admin-password differs from the rendered value (values masked)",
      owner: { manager: "kubectl-edit", operation: "Update", time: "2025-11-02T17:45:10Z" },
    },
  ],
  explanations: [
    'data["admin-password"] was last written by kubectl-edit (Update, 2025-11-02T17:45:10Z), after Helm\'s last upgrade.',
  ],
  selfHealsOnUpgrade: true,
  remediation: {
    strategy: "patch",
    reason: "Secret is a built-in kind: the next upgrade re-sends the rendered value with a three-way merge.",
    steps: [
      {
        description: "Upgrade the release with its current values",
        command:
          "helm upgrade grafana grafana --repo https://grafana.github.io/helm-charts --version 10.1.4 -n monitoring --reuse-values",
      },
    ],
  },
  diff: unifiedDiff(
    "rendered Secret/monitoring/grafana",
    "live Secret/monitoring/grafana",
    renderedGrafanaSecret,
    liveGrafanaSecret,
  ),
};

const grafana: ReleaseReport = {
  name: "grafana",
  namespace: "monitoring",
  revision: 5,
  chart: "grafana-10.1.4",
  chartName: "grafana",
  chartVersion: "10.1.4",
  status: "Drifted",
  flux: null,
  resources: [
    inSync("v1", "ServiceAccount", "monitoring", "grafana", "grafana/templates/serviceaccount.yaml"),
    grafanaSecret,
    inSync("apps/v1", "Deployment", "monitoring", "grafana", "grafana/templates/deployment.yaml"),
  ],
};

/** Each case names a golden file pair under __golden__/. */
export const sampleReports = {
  incident: reportOf([arcRunners]),
  clean: reportOf([ingressNginx]),
  "error-release": reportOf([payments, ingressNginx]),
  "missing-unreadable": reportOf([web]),
  "masked-secret": reportOf([grafana]),
} satisfies Record<string, DriftReport>;

export type SampleCase = keyof typeof sampleReports;
