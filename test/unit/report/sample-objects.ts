/**
 * Objects behind the sample reports' diffs: the AutoscalingRunnerSet that gha-runner-scale-set 0.14.2
 * renders in kubernetes container mode (with an init container that copies kubectl into a shared volume),
 * and the same fields as they were found live after the incident. Shapes follow the chart's templates in
 * test/fixtures/corpus/arc/gha-runner-scale-set.
 */

const labels = {
  "app.kubernetes.io/component": "autoscaling-runner-set",
  "helm.sh/chart": "gha-rs-0.14.2",
  "app.kubernetes.io/name": "arc-runner-set",
  "app.kubernetes.io/instance": "arc-runner-set",
  "app.kubernetes.io/version": "0.14.2",
  "app.kubernetes.io/managed-by": "Helm",
  "app.kubernetes.io/part-of": "gha-rs",
  "actions.github.com/scale-set-name": "arc-runner-set",
  "actions.github.com/scale-set-namespace": "arc-runners",
};

export const initContainers = [
  {
    name: "init-kubectl",
    image: "bitnami/kubectl:1.33.4",
    command: ["cp", "/opt/bitnami/kubectl/bin/kubectl", "/kubectl-bin/kubectl"],
    volumeMounts: [{ name: "kubectl-bin", mountPath: "/kubectl-bin" }],
  },
];

export const volumes = [
  {
    name: "work",
    ephemeral: {
      volumeClaimTemplate: {
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: "standard-rwo",
          resources: { requests: { storage: "10Gi" } },
        },
      },
    },
  },
  { name: "kubectl-bin", emptyDir: {} },
];

export const kubectlMount = { name: "kubectl-bin", mountPath: "/home/runner/kubectl-bin" };

const runner = {
  name: "runner",
  command: ["/home/runner/run.sh"],
  image: "ghcr.io/actions/actions-runner:2.329.0",
  env: [
    { name: "ACTIONS_RUNNER_CONTAINER_HOOKS", value: "/home/runner/k8s/index.js" },
    { name: "ACTIONS_RUNNER_POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
    { name: "ACTIONS_RUNNER_REQUIRE_JOB_CONTAINER", value: "true" },
  ],
  volumeMounts: [kubectlMount, { name: "work", mountPath: "/home/runner/_work" }],
};

export const renderedRunnerSet = {
  apiVersion: "actions.github.com/v1alpha1",
  kind: "AutoscalingRunnerSet",
  metadata: { name: "arc-runner-set", namespace: "arc-runners", labels },
  spec: {
    githubConfigUrl: "https://github.com/acme-corp",
    githubConfigSecret: "arc-github-app",
    maxRunners: 20,
    minRunners: 1,
    template: {
      spec: {
        restartPolicy: "Never",
        serviceAccountName: "arc-runner-set-gha-rs-kube-mode",
        initContainers,
        containers: [runner],
        volumes,
      },
    },
  },
};

/** The rendered fields as found live: initContainers, serviceAccountName and volumes are gone. */
export const liveRunnerSet = {
  ...renderedRunnerSet,
  spec: {
    ...renderedRunnerSet.spec,
    template: { spec: { restartPolicy: "Never", containers: [runner] } },
  },
};

/** The grafana chart's admin Secret with values masked as the report shows them. */
export const renderedGrafanaSecret = {
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name: "grafana", namespace: "monitoring" },
  type: "Opaque",
  data: { "admin-user": "***", "admin-password": "*** (rendered)", "ldap-toml": "***" },
};

export const liveGrafanaSecret = {
  ...renderedGrafanaSecret,
  data: { "admin-user": "***", "admin-password": "*** (live)", "ldap-toml": "***" },
};

const storefrontLabels = {
  "app.kubernetes.io/name": "storefront",
  "app.kubernetes.io/instance": "storefront",
};

/** An in-house chart's Deployment, scaled by a HorizontalPodAutoscaler the same chart renders. */
export const renderedStorefront = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "storefront", namespace: "shop", labels: storefrontLabels },
  spec: {
    replicas: 2,
    selector: { matchLabels: storefrontLabels },
    template: {
      metadata: { labels: storefrontLabels },
      spec: {
        containers: [
          {
            name: "storefront",
            image: "registry.example.com/shop/storefront:1.8.0",
            ports: [{ name: "http", containerPort: 8080 }],
          },
        ],
      },
    },
  },
};

/** Live: the autoscaler scaled it to 5, and someone ran `kubectl set image` with a hotfix build. */
export const liveStorefront = {
  ...renderedStorefront,
  spec: {
    ...renderedStorefront.spec,
    replicas: 5,
    template: {
      ...renderedStorefront.spec.template,
      spec: {
        containers: [
          {
            ...renderedStorefront.spec.template.spec.containers[0],
            image: "registry.example.com/shop/storefront:1.8.1-hotfix",
          },
        ],
      },
    },
  },
};
