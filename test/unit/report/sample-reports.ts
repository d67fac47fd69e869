/**
 * Reports shaped like what the core produces, for the reporters' golden tests. Timestamps are fixed.
 * The incident: Flux-managed gha-runner-scale-set release whose AutoscalingRunnerSet lost its init
 * container, volumes and service account live, which Helm 3 never re-sends for a custom resource.
 * Findings, explanations and plans hold codes and actions only, as the core makes them; the reporters word them.
 */

import { unifiedDiff } from "../../../src/diff/unified-diff.js";
import { SEVERITIES, type Severity } from "../../../src/model/finding.js";
import type { ObjectRef } from "../../../src/model/kube.js";
import type { FluxOwner, RemediationAction } from "../../../src/model/remediation.js";
import {
  type DriftReport,
  REPORT_API_VERSION,
  type ReleaseReport,
  type ResourceReport,
} from "../../../src/model/report.js";
import { FIELD_MANAGER } from "../../../src/plan/remediation.js";
import {
  initContainers,
  kubectlMount,
  liveGrafanaSecret,
  liveRunnerSet,
  liveStorefront,
  renderedGrafanaSecret,
  renderedRunnerSet,
  renderedStorefront,
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
    apiVersion: REPORT_API_VERSION,
    kind: "DriftReport",
    generatedAt: GENERATED_AT,
    summary: {
      releases: releases.length,
      resources: resources.length,
      drifted: resources.filter((resource) => resource.status === "Drifted").length,
      missing: resources.filter((resource) => resource.status === "Missing").length,
      findings: findings.length,
      bySeverity,
      ignored: resources.reduce((sum, resource) => sum + (resource.ignoredFindings?.length ?? 0), 0),
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
  manifestLine: number,
): ResourceReport {
  return {
    apiVersion,
    kind,
    namespace,
    name,
    source,
    manifestLine,
    status: "InSync",
    findings: [],
    explanations: [],
    healsOnUpgrade: null,
    remediation: null,
    diff: null,
  };
}

/** Suspends the HelmRelease before the steps and resumes it after them, as the planner does for Flux releases. */
function underFlux(flux: FluxOwner, steps: RemediationAction[]): RemediationAction[] {
  return [
    { action: "flux-suspend", helmRelease: flux },
    ...steps,
    { action: "flux-resume", helmRelease: flux },
  ];
}

const SPEC = "spec.template.spec";
const ARC_FLUX: FluxOwner = { name: "arc-runners", namespace: "flux-system" };
const ARS: ObjectRef = {
  apiVersion: "actions.github.com/v1alpha1",
  kind: "AutoscalingRunnerSet",
  namespace: "arc-runners",
  name: "arc-runner-set",
};
const HELM_CONTROLLER = { manager: "helm-controller", operation: "Update", time: "2025-10-28T08:01:55Z" };
const KUBECTL_EDIT = { manager: "kubectl-edit", operation: "Update", time: "2025-11-03T14:22:07Z" };
const ARC_UPGRADE: RemediationAction = {
  action: "helm-upgrade",
  release: "arc-runners",
  namespace: "arc-runners",
  chart: "gha-runner-scale-set",
  chartName: "gha-runner-scale-set",
  chartRefKnown: false,
  version: "0.14.2",
  reuseValues: true,
  forceConflicts: false,
};
const ARC_VERIFY: RemediationAction = { action: "verify", release: "arc-runners", namespace: "arc-runners" };
const MISSING_PATHS = [`${SPEC}.initContainers`, `${SPEC}.volumes`, `${SPEC}.serviceAccountName`];

const runnerSet: ResourceReport = {
  ...ARS,
  source: "gha-runner-scale-set/templates/autoscalingrunnerset.yaml",
  manifestLine: 58,
  status: "Drifted",
  findings: [
    {
      code: "volume-mount-broken",
      type: "broken-reference",
      path: `${SPEC}.containers[name=runner].volumeMounts[mountPath=/home/runner/kubectl-bin]`,
      pointer: null,
      livePointer: "/spec/template/spec/containers/0/volumeMounts/0",
      severity: "critical",
      severityRule: "broken-reference",
      desired: "kubectl-bin",
      live: kubectlMount,
      container: "runner",
      owner: HELM_CONTROLLER,
      repair: "consequence",
      upgrade: "keeps",
      upgradeRule: "follows-volume",
    },
    {
      code: "list-missing",
      type: "missing",
      path: `${SPEC}.initContainers`,
      pointer: "/spec/template/spec/initContainers",
      livePointer: null,
      severity: "high",
      severityRule: "pod-structure",
      desired: initContainers,
      live: null,
      owner: null,
      repair: "revert",
      upgrade: "keeps",
      upgradeRule: "two-way-merge-not-resent",
    },
    {
      code: "list-missing",
      type: "missing",
      path: `${SPEC}.volumes`,
      pointer: "/spec/template/spec/volumes",
      livePointer: null,
      severity: "high",
      severityRule: "pod-structure",
      desired: volumes,
      live: null,
      owner: null,
      repair: "revert",
      upgrade: "keeps",
      upgradeRule: "two-way-merge-not-resent",
    },
    {
      code: "field-missing",
      type: "missing",
      path: `${SPEC}.serviceAccountName`,
      pointer: "/spec/template/spec/serviceAccountName",
      livePointer: null,
      severity: "high",
      severityRule: "pod-structure",
      desired: "arc-runner-set-gha-rs-kube-mode",
      live: null,
      owner: null,
      repair: "revert",
      upgrade: "keeps",
      upgradeRule: "two-way-merge-not-resent",
    },
  ],
  explanations: [
    {
      code: "volume-not-found",
      container: "runner",
      volume: "kubectl-bin",
      mountPath: "/home/runner/kubectl-bin",
    },
    {
      code: "written-by",
      owner: HELM_CONTROLLER,
      paths: [`${SPEC}.containers[name=runner].volumeMounts[mountPath=/home/runner/kubectl-bin]`],
    },
    { code: "missing-unowned", paths: MISSING_PATHS, managers: [KUBECTL_EDIT, HELM_CONTROLLER] },
    { code: "last-applied-absent" },
    { code: "upgrade-does-not-restore", mechanism: "two-way-merge-patch", paths: MISSING_PATHS },
  ],
  healsOnUpgrade: "no",
  remediation: {
    strategy: "recreate",
    reason: { code: "recreate-custom-resource" },
    steps: underFlux(ARC_FLUX, [
      { action: "delete", target: ARS, wait: true, customResource: true },
      ARC_UPGRADE,
      ARC_VERIFY,
    ]),
    alternatives: [
      {
        strategy: "patch",
        reason: { code: "patch-alternative" },
        steps: underFlux(ARC_FLUX, [
          {
            action: "json-patch",
            target: ARS,
            operations: [
              { op: "add", path: "/spec/template/spec/initContainers", value: initContainers },
              { op: "add", path: "/spec/template/spec/volumes", value: volumes },
              {
                op: "add",
                path: "/spec/template/spec/serviceAccountName",
                value: "arc-runner-set-gha-rs-kube-mode",
              },
            ],
          },
          ARC_VERIFY,
        ]),
      },
    ],
    leavesAlone: [],
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
  flux: ARC_FLUX,
  resources: [
    inSync(
      "v1",
      "ServiceAccount",
      "arc-runners",
      "arc-runner-set-gha-rs-kube-mode",
      "gha-runner-scale-set/templates/kube_mode_serviceaccount.yaml",
      2,
    ),
    inSync(
      "rbac.authorization.k8s.io/v1",
      "Role",
      "arc-runners",
      "arc-runner-set-gha-rs-kube-mode",
      "gha-runner-scale-set/templates/kube_mode_role.yaml",
      17,
    ),
    inSync(
      "rbac.authorization.k8s.io/v1",
      "RoleBinding",
      "arc-runners",
      "arc-runner-set-gha-rs-kube-mode",
      "gha-runner-scale-set/templates/kube_mode_role_binding.yaml",
      38,
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
      2,
    ),
    inSync(
      "v1",
      "ConfigMap",
      "ingress-nginx",
      "ingress-nginx-controller",
      "ingress-nginx/templates/controller-configmap.yaml",
      18,
    ),
    inSync(
      "rbac.authorization.k8s.io/v1",
      "ClusterRole",
      null,
      "ingress-nginx",
      "ingress-nginx/templates/clusterrole.yaml",
      35,
    ),
    inSync(
      "v1",
      "Service",
      "ingress-nginx",
      "ingress-nginx-controller",
      "ingress-nginx/templates/controller-service.yaml",
      132,
    ),
    inSync(
      "apps/v1",
      "Deployment",
      "ingress-nginx",
      "ingress-nginx-controller",
      "ingress-nginx/templates/controller-deployment.yaml",
      168,
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
    inSync("apps/v1", "Deployment", "web", "web", "web-app/templates/deployment.yaml", 2),
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      namespace: "web",
      name: "web-settings",
      source: "web-app/templates/configmap.yaml",
      manifestLine: 61,
      status: "Missing",
      reason: { code: "not-found" },
      findings: [
        {
          code: "object-missing",
          type: "missing",
          path: "",
          pointer: "",
          livePointer: null,
          severity: "high",
          severityRule: "object-missing",
          desired: null,
          live: null,
          owner: null,
          repair: "revert",
          upgrade: "restores",
          upgradeRule: "object-created",
        },
      ],
      explanations: [{ code: "object-missing" }],
      healsOnUpgrade: "yes",
      remediation: {
        strategy: "upgrade",
        reason: { code: "object-missing" },
        steps: [
          {
            action: "helm-upgrade",
            release: "web",
            namespace: "web",
            chart: "web-app",
            chartName: "web-app",
            chartRefKnown: false,
            version: "2.4.1",
            reuseValues: true,
            forceConflicts: false,
          },
          { action: "verify", release: "web", namespace: "web" },
        ],
        alternatives: [],
        leavesAlone: [],
      },
    },
    {
      apiVersion: "v1",
      kind: "Secret",
      namespace: "web",
      name: "web-tls",
      source: "web-app/templates/tls-secret.yaml",
      manifestLine: 74,
      status: "Unreadable",
      reason: {
        code: "forbidden",
        detail:
          'secrets "web-tls" is forbidden: User "system:serviceaccount:ops:helm-drift" cannot get resource "secrets" in API group "" in the namespace "web"',
      },
      findings: [],
      explanations: [],
      healsOnUpgrade: null,
      remediation: null,
    },
    {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      namespace: "web",
      name: "web",
      source: "web-app/templates/servicemonitor.yaml",
      manifestLine: 86,
      status: "Missing",
      reason: { code: "kind-not-served", detail: null },
      findings: [
        {
          code: "object-missing",
          type: "missing",
          path: "",
          pointer: "",
          livePointer: null,
          severity: "high",
          severityRule: "object-missing",
          desired: null,
          live: null,
          owner: null,
          repair: "revert",
          upgrade: "fails",
          upgradeRule: "kind-not-served",
        },
      ],
      explanations: [{ code: "kind-not-served" }],
      healsOnUpgrade: "no",
      remediation: null,
    },
  ],
};

const GRAFANA_SECRET: ObjectRef = {
  apiVersion: "v1",
  kind: "Secret",
  namespace: "monitoring",
  name: "grafana",
};
const GRAFANA_VERIFY: RemediationAction = { action: "verify", release: "grafana", namespace: "monitoring" };
const GRAFANA_EDIT = { manager: "kubectl-edit", operation: "Update", time: "2025-11-02T17:45:10Z" };

const grafanaSecret: ResourceReport = {
  ...GRAFANA_SECRET,
  source: "grafana/templates/secret.yaml",
  manifestLine: 27,
  status: "Drifted",
  findings: [
    {
      code: "value-changed",
      type: "changed",
      path: 'data["admin-password"]',
      pointer: "/data/admin-password",
      livePointer: "/data/admin-password",
      severity: "medium",
      severityRule: "config-data",
      desired: "*** (rendered)",
      live: "*** (live)",
      owner: GRAFANA_EDIT,
      repair: "revert",
      upgrade: "restores",
      upgradeRule: "three-way-merge-resends",
    },
  ],
  explanations: [
    { code: "written-by", owner: GRAFANA_EDIT, paths: ['data["admin-password"]'] },
    { code: "last-applied-absent" },
    { code: "upgrade-restores", mechanism: "three-way-strategic-merge", paths: ['data["admin-password"]'] },
  ],
  healsOnUpgrade: "yes",
  remediation: {
    strategy: "recreate",
    reason: { code: "secret-recreate" },
    steps: [
      { action: "delete", target: GRAFANA_SECRET, wait: true, customResource: false },
      {
        action: "helm-upgrade",
        release: "grafana",
        namespace: "monitoring",
        chart: "grafana/grafana",
        chartName: "grafana",
        chartRefKnown: true,
        version: "10.1.4",
        reuseValues: true,
        forceConflicts: false,
      },
      GRAFANA_VERIFY,
    ],
    alternatives: [
      {
        strategy: "patch",
        reason: { code: "secret-reapply-alternative" },
        steps: [
          {
            action: "server-side-apply",
            target: GRAFANA_SECRET,
            source: { from: "release-manifest", release: "grafana", namespace: "monitoring", revision: 5 },
            fieldManager: FIELD_MANAGER,
            forceConflicts: true,
            omit: [],
          },
          GRAFANA_VERIFY,
        ],
      },
    ],
    leavesAlone: [],
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
    inSync("v1", "ServiceAccount", "monitoring", "grafana", "grafana/templates/serviceaccount.yaml", 2),
    grafanaSecret,
    inSync("apps/v1", "Deployment", "monitoring", "grafana", "grafana/templates/deployment.yaml", 612),
  ],
};

const STOREFRONT: ObjectRef = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  namespace: "shop",
  name: "storefront",
};
const IMAGE = "spec.template.spec.containers[name=storefront].image";
const IMAGE_POINTER = "/spec/template/spec/containers/0/image";
const KUBECTL_SET = { manager: "kubectl-set", operation: "Update", time: "2025-11-03T22:10:41Z" };
const AUTOSCALER = {
  manager: "kube-controller-manager",
  operation: "Update",
  time: "2025-11-04T09:12:03Z",
  subresource: "scale",
};

/** A hotfix image set by hand, which the repair reverts, and the autoscaler's replicas, which it leaves alone. */
const storefront: ResourceReport = {
  ...STOREFRONT,
  source: "storefront/templates/deployment.yaml",
  manifestLine: 20,
  status: "Drifted",
  findings: [
    {
      code: "value-changed",
      type: "changed",
      path: IMAGE,
      pointer: IMAGE_POINTER,
      livePointer: IMAGE_POINTER,
      severity: "high",
      severityRule: "pod-structure",
      desired: "registry.example.com/shop/storefront:1.8.0",
      live: "registry.example.com/shop/storefront:1.8.1-hotfix",
      owner: KUBECTL_SET,
      repair: "revert",
      upgrade: "restores",
      upgradeRule: "three-way-merge-resends",
    },
    {
      code: "value-changed",
      type: "changed",
      path: "spec.replicas",
      pointer: "/spec/replicas",
      livePointer: "/spec/replicas",
      severity: "info",
      severityRule: "replicas-owned-by-autoscaler",
      desired: 2,
      live: 5,
      owner: AUTOSCALER,
      repair: "leave",
      upgrade: "restores",
      upgradeRule: "three-way-merge-resends",
    },
  ],
  explanations: [
    { code: "written-by", owner: KUBECTL_SET, paths: [IMAGE] },
    { code: "written-by", owner: AUTOSCALER, paths: ["spec.replicas"] },
    { code: "last-applied-absent" },
    { code: "upgrade-restores", mechanism: "three-way-strategic-merge", paths: [IMAGE, "spec.replicas"] },
  ],
  healsOnUpgrade: "yes",
  remediation: {
    strategy: "patch",
    reason: { code: "built-in-patch" },
    steps: [
      {
        action: "json-patch",
        target: STOREFRONT,
        operations: [
          { op: "test", path: IMAGE_POINTER, value: "registry.example.com/shop/storefront:1.8.1-hotfix" },
          { op: "replace", path: IMAGE_POINTER, value: "registry.example.com/shop/storefront:1.8.0" },
        ],
      },
      { action: "verify", release: "storefront", namespace: "shop" },
    ],
    alternatives: [],
    leavesAlone: [{ path: "spec.replicas", pointer: "/spec/replicas", rule: "replicas-owned-by-autoscaler" }],
  },
  diff: unifiedDiff(
    "rendered Deployment/shop/storefront",
    "live Deployment/shop/storefront",
    renderedStorefront,
    liveStorefront,
  ),
};

const storefrontRelease: ReleaseReport = {
  name: "storefront",
  namespace: "shop",
  revision: 9,
  chart: "storefront-1.8.0",
  chartName: "storefront",
  chartVersion: "1.8.0",
  status: "Drifted",
  flux: null,
  resources: [
    inSync("v1", "Service", "shop", "storefront", "storefront/templates/service.yaml", 2),
    storefront,
    inSync(
      "autoscaling/v2",
      "HorizontalPodAutoscaler",
      "shop",
      "storefront",
      "storefront/templates/hpa.yaml",
      52,
    ),
  ],
};

/** Each case names a golden file pair under __golden__/. */
export const sampleReports = {
  incident: reportOf([arcRunners]),
  clean: reportOf([ingressNginx]),
  "error-release": reportOf([payments, ingressNginx]),
  "missing-unreadable": reportOf([web]),
  "masked-secret": reportOf([grafana]),
  autoscaled: reportOf([storefrontRelease]),
} satisfies Record<string, DriftReport>;

export type SampleCase = keyof typeof sampleReports;
