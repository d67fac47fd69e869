import type { FindingCode, FindingType, Severity } from "../../../src/model/finding.js";
import type { ResourceStatus } from "../../../src/model/report.js";

/**
 * Drift made the way people make it, as data: the drift-scenarios test checks helm-drift's findings against
 * `expected`, the server-agreement test checks the same drift against the API server's own server-side apply
 * dry run. Every scenario starts from a fresh install of DRIFT_RELEASE in its own namespace.
 */

/** The release every scenario drifts: test/e2e/charts/webapp with spec.replicas rendered (no HPA). */
export const DRIFT_RELEASE = {
  name: "web",
  chart: "test/e2e/charts/webapp",
  values: "test/e2e/charts/webapp/ci/drift-values.yaml",
} as const;

/** The objects of DRIFT_RELEASE the scenarios touch (`<release>-<chart>`). */
const OBJECT = "web-webapp";
const CONTAINER = "webapp";

/** The part of a live workload (`kubectl get -o json`) an edit step changes. */
export interface PodTemplateOwner {
  spec: { template: { spec: { containers: ContainerJson[] } } };
}
export interface ContainerJson {
  name: string;
  image?: string;
  args?: string[];
  env?: { name: string; value?: string }[];
}

/** One thing a person does to the cluster. */
export type DriftStep =
  /** `kubectl <args> -n <ns>`, with `stdin` piped in when given. */
  | { kubectl: string[]; stdin?: string }
  /**
   * The `kubectl edit` workflow without an editor: `kubectl get -o json`, change the object in place,
   * `kubectl replace -f -` (field manager `kubectl-replace`, operation Update).
   */
  | { edit: string; change: (object: PodTemplateOwner) => void }
  /**
   * Client-side `kubectl apply -f -` of the release's own rendered object (from `helm get manifest`), changed
   * first: someone applying their edited copy of the chart's output (manager `kubectl-client-side-apply`).
   */
  | { applyRendered: { kind: string; name: string }; change: (object: PodTemplateOwner) => void };

export interface ExpectedFinding {
  kind: string;
  name: string;
  code: FindingCode;
  type: FindingType;
  path: string;
  severity: Severity;
  /** Who wrote the field (`subresource` only when it was written through one), or null when nobody claims it. */
  owner: { manager: string; operation: "Update" | "Apply"; subresource?: string } | null;
}

export interface DriftScenario {
  name: string;
  drift: DriftStep[];
  /** Every finding of the release, exactly: nothing else may be reported. */
  expected: ExpectedFinding[];
  /** Status of each drifted resource (`Kind/name`); every other resource must be InSync. */
  statuses: Record<string, ResourceStatus>;
  /** Secret values (plain text) that must never appear in helm-drift's output. */
  secretValues?: string[];
}

const CONTAINER_PATH = `spec.template.spec.containers[name=${CONTAINER}]`;
const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/** The api-token the chart renders (values.yaml auth.apiToken) and the one a person patches in. */
export const RENDERED_API_TOKEN = "tok-9f8e7d6c5b4a";
export const PATCHED_API_TOKEN = "tok-rotated-5e4d3c2b1a00";
/** A new value for the Secret key the chart renders through stringData (config.json). */
export const PATCHED_CONFIG_JSON = '{"user": "break-glass-4711", "tokenFile": "/secrets/api-token"}\n';

/** `kubectl patch` of the release's Deployment (field manager `kubectl-patch`, operation Update). */
function patchDeployment(type: "merge" | "json", body: unknown): DriftStep {
  return { kubectl: ["patch", `deployment/${OBJECT}`, `--type=${type}`, "-p", JSON.stringify(body)] };
}

/** A field of the Deployment that the chart does not render, added by `kubectl patch`. */
function addedByKubectlPatch(path: string, severity: Severity): ExpectedFinding {
  return {
    kind: "Deployment",
    name: OBJECT,
    code: "field-added",
    type: "added",
    path,
    severity,
    owner: { manager: "kubectl-patch", operation: "Update" },
  };
}

export const DRIFT_SCENARIOS: readonly DriftScenario[] = [
  {
    name: "kubectl set image changes the container image",
    drift: [
      {
        kubectl: [
          "set",
          "image",
          `deployment/${OBJECT}`,
          `${CONTAINER}=docker.io/bitnami/nginx:1.27.4-debian-12-r1`,
        ],
      },
    ],
    statuses: { [`Deployment/${OBJECT}`]: "Drifted" },
    expected: [
      {
        kind: "Deployment",
        name: OBJECT,
        code: "value-changed",
        type: "changed",
        path: `${CONTAINER_PATH}.image`,
        severity: "high",
        owner: { manager: "kubectl-set", operation: "Update" },
      },
    ],
  },
  {
    name: "kubectl edit adds a sidecar container and removes an env var",
    drift: [
      {
        edit: `deployment/${OBJECT}`,
        change: (deployment) => {
          const containers = deployment.spec.template.spec.containers;
          const app = containers.find((container) => container.name === CONTAINER);
          if (!app?.env) throw new Error(`container ${CONTAINER} has no env to edit`);
          app.env = app.env.filter((env) => env.name !== "LOG_LEVEL");
          containers.push({
            name: "log-shipper",
            image: "docker.io/fluent/fluent-bit:3.2.4",
            args: ["-c", "/fluent-bit/etc/fluent-bit.conf"],
          });
        },
      },
    ],
    statuses: { [`Deployment/${OBJECT}`]: "Drifted" },
    expected: [
      {
        kind: "Deployment",
        name: OBJECT,
        code: "entry-missing",
        type: "missing",
        path: `${CONTAINER_PATH}.env[name=LOG_LEVEL]`,
        severity: "medium",
        // The replace removed the entry and, with it, helm's claim on it: nobody owns an absent entry.
        owner: null,
      },
      {
        kind: "Deployment",
        name: OBJECT,
        code: "entry-extra",
        type: "extra",
        path: "spec.template.spec.containers[name=log-shipper]",
        severity: "high",
        owner: { manager: "kubectl-replace", operation: "Update" },
      },
    ],
  },
  {
    name: "kubectl patch --type json removes one env var and adds another",
    drift: [
      {
        kubectl: [
          "patch",
          `deployment/${OBJECT}`,
          "--type=json",
          "-p",
          JSON.stringify([
            // The test op pins the index: the patch fails rather than remove another variable.
            { op: "test", path: "/spec/template/spec/containers/0/env/1/name", value: "WORKERS" },
            { op: "remove", path: "/spec/template/spec/containers/0/env/1" },
            {
              op: "add",
              path: "/spec/template/spec/containers/0/env/-",
              value: { name: "DEBUG", value: "1" },
            },
          ]),
        ],
      },
    ],
    statuses: { [`Deployment/${OBJECT}`]: "Drifted" },
    expected: [
      {
        kind: "Deployment",
        name: OBJECT,
        code: "entry-missing",
        type: "missing",
        path: `${CONTAINER_PATH}.env[name=WORKERS]`,
        severity: "medium",
        owner: null,
      },
      {
        kind: "Deployment",
        name: OBJECT,
        code: "entry-extra",
        type: "extra",
        path: `${CONTAINER_PATH}.env[name=DEBUG]`,
        severity: "medium",
        owner: { manager: "kubectl-patch", operation: "Update" },
      },
    ],
  },
  {
    name: "kubectl set env changes an env var's value",
    drift: [{ kubectl: ["set", "env", `deployment/${OBJECT}`, "-c", CONTAINER, "LOG_LEVEL=debug"] }],
    statuses: { [`Deployment/${OBJECT}`]: "Drifted" },
    expected: [
      {
        kind: "Deployment",
        name: OBJECT,
        code: "value-changed",
        type: "changed",
        path: `${CONTAINER_PATH}.env[name=LOG_LEVEL].value`,
        severity: "medium",
        owner: { manager: "kubectl-set", operation: "Update" },
      },
    ],
  },
  {
    name: "kubectl set resources raises the CPU limit",
    drift: [{ kubectl: ["set", "resources", `deployment/${OBJECT}`, "-c", CONTAINER, "--limits=cpu=2"] }],
    statuses: { [`Deployment/${OBJECT}`]: "Drifted" },
    expected: [
      {
        kind: "Deployment",
        name: OBJECT,
        code: "value-changed",
        type: "changed",
        path: `${CONTAINER_PATH}.resources.limits.cpu`,
        severity: "medium",
        owner: { manager: "kubectl-set", operation: "Update" },
      },
    ],
  },
  {
    name: "kubectl patch --type json removes a volume and its mount",
    drift: [
      {
        kubectl: [
          "patch",
          `deployment/${OBJECT}`,
          "--type=json",
          "-p",
          JSON.stringify([
            { op: "test", path: "/spec/template/spec/volumes/2/name", value: "cache" },
            { op: "remove", path: "/spec/template/spec/volumes/2" },
            { op: "test", path: "/spec/template/spec/containers/0/volumeMounts/2/name", value: "cache" },
            { op: "remove", path: "/spec/template/spec/containers/0/volumeMounts/2" },
          ]),
        ],
      },
    ],
    statuses: { [`Deployment/${OBJECT}`]: "Drifted" },
    expected: [
      {
        kind: "Deployment",
        name: OBJECT,
        code: "entry-missing",
        type: "missing",
        path: "spec.template.spec.volumes[name=cache]",
        severity: "high",
        owner: null,
      },
      {
        kind: "Deployment",
        name: OBJECT,
        code: "entry-missing",
        type: "missing",
        path: `${CONTAINER_PATH}.volumeMounts[mountPath=/var/cache/nginx]`,
        severity: "high",
        owner: null,
      },
    ],
  },
  {
    name: "kubectl patch --type json drops runAsNonRoot from the pod securityContext",
    drift: [
      {
        kubectl: [
          "patch",
          `deployment/${OBJECT}`,
          "--type=json",
          "-p",
          '[{"op":"remove","path":"/spec/template/spec/securityContext/runAsNonRoot"}]',
        ],
      },
    ],
    statuses: { [`Deployment/${OBJECT}`]: "Drifted" },
    expected: [
      {
        kind: "Deployment",
        name: OBJECT,
        code: "field-missing",
        type: "missing",
        path: "spec.template.spec.securityContext.runAsNonRoot",
        severity: "high",
        owner: null,
      },
    ],
  },
  {
    name: "kubectl patch replaces the tolerations (an atomic list)",
    drift: [
      {
        kubectl: [
          "patch",
          `deployment/${OBJECT}`,
          "--type=merge",
          "-p",
          JSON.stringify({
            spec: {
              template: {
                spec: {
                  tolerations: [{ key: "dedicated", operator: "Equal", value: "web", effect: "NoSchedule" }],
                },
              },
            },
          }),
        ],
      },
    ],
    statuses: { [`Deployment/${OBJECT}`]: "Drifted" },
    expected: [
      {
        kind: "Deployment",
        name: OBJECT,
        code: "value-changed",
        type: "changed",
        path: "spec.template.spec.tolerations",
        severity: "medium",
        owner: { manager: "kubectl-patch", operation: "Update" },
      },
    ],
  },
  {
    name: "kubectl rollout restart only adds a pod-template annotation: no drift",
    drift: [{ kubectl: ["rollout", "restart", `deployment/${OBJECT}`] }],
    statuses: {},
    expected: [],
  },
  {
    // No autoscaler targets the Deployment: a person scaled it (manager kubectl), which is drift like any other.
    name: "kubectl scale changes spec.replicas through the scale subresource",
    drift: [{ kubectl: ["scale", `deployment/${OBJECT}`, "--replicas=5"] }],
    statuses: { [`Deployment/${OBJECT}`]: "Drifted" },
    expected: [
      {
        kind: "Deployment",
        name: OBJECT,
        code: "value-changed",
        type: "changed",
        path: "spec.replicas",
        severity: "medium",
        owner: { manager: "kubectl", operation: "Update", subresource: "scale" },
      },
    ],
  },
  {
    // The test cluster runs no kube-controller-manager: the HPA is created as `kubectl autoscale` does, and its
    // scaling is written as the HPA controller writes it (scale subresource, manager kube-controller-manager).
    name: "an HPA scales the Deployment (scale subresource, manager kube-controller-manager)",
    drift: [
      { kubectl: ["autoscale", `deployment/${OBJECT}`, "--min=2", "--max=6", "--cpu=80%"] },
      {
        kubectl: [
          "patch",
          `deployment/${OBJECT}`,
          "--subresource=scale",
          "--type=merge",
          "-p",
          '{"spec":{"replicas":4}}',
          "--field-manager=kube-controller-manager",
        ],
      },
    ],
    statuses: { [`Deployment/${OBJECT}`]: "Drifted" },
    expected: [
      {
        kind: "Deployment",
        name: OBJECT,
        code: "value-changed",
        type: "changed",
        path: "spec.replicas",
        severity: "info",
        owner: { manager: "kube-controller-manager", operation: "Update", subresource: "scale" },
      },
    ],
  },
  {
    name: "kubectl patch changes two ConfigMap data keys",
    drift: [
      {
        kubectl: [
          "patch",
          `configmap/${OBJECT}`,
          "--type=merge",
          "-p",
          JSON.stringify({ data: { APP_MODE: "maintenance", "nginx.conf": "server { listen 8080; }\n" } }),
        ],
      },
    ],
    statuses: { [`ConfigMap/${OBJECT}`]: "Drifted" },
    expected: [
      {
        kind: "ConfigMap",
        name: OBJECT,
        code: "value-changed",
        type: "changed",
        path: "data.APP_MODE",
        severity: "medium",
        owner: { manager: "kubectl-patch", operation: "Update" },
      },
      {
        kind: "ConfigMap",
        name: OBJECT,
        code: "value-changed",
        type: "changed",
        path: 'data["nginx.conf"]',
        severity: "medium",
        owner: { manager: "kubectl-patch", operation: "Update" },
      },
    ],
  },
  {
    name: "kubectl patch deletes a ConfigMap data key",
    drift: [
      { kubectl: ["patch", `configmap/${OBJECT}`, "--type=merge", "-p", '{"data":{"CACHE_TTL":null}}'] },
    ],
    statuses: { [`ConfigMap/${OBJECT}`]: "Drifted" },
    expected: [
      {
        kind: "ConfigMap",
        name: OBJECT,
        code: "field-missing",
        type: "missing",
        path: "data.CACHE_TTL",
        severity: "medium",
        owner: null,
      },
    ],
  },
  {
    name: "kubectl patch rotates a Secret key from data and one from stringData",
    drift: [
      {
        kubectl: [
          "patch",
          `secret/${OBJECT}`,
          "--type=merge",
          "-p",
          JSON.stringify({
            data: { "api-token": base64(PATCHED_API_TOKEN), "config.json": base64(PATCHED_CONFIG_JSON) },
          }),
        ],
      },
    ],
    statuses: { [`Secret/${OBJECT}`]: "Drifted" },
    expected: [
      {
        kind: "Secret",
        name: OBJECT,
        code: "value-changed",
        type: "changed",
        path: "data.api-token",
        severity: "medium",
        owner: { manager: "kubectl-patch", operation: "Update" },
      },
      {
        kind: "Secret",
        name: OBJECT,
        code: "value-changed",
        type: "changed",
        path: 'data["config.json"]',
        severity: "medium",
        owner: { manager: "kubectl-patch", operation: "Update" },
      },
    ],
    secretValues: [RENDERED_API_TOKEN, PATCHED_API_TOKEN, PATCHED_CONFIG_JSON],
  },
  {
    name: "kubectl delete removes the PodDisruptionBudget",
    drift: [{ kubectl: ["delete", `poddisruptionbudget/${OBJECT}`] }],
    statuses: { [`PodDisruptionBudget/${OBJECT}`]: "Missing" },
    expected: [
      {
        kind: "PodDisruptionBudget",
        name: OBJECT,
        code: "object-missing",
        type: "missing",
        path: "",
        severity: "high",
        owner: null,
      },
    ],
  },
  {
    name: "another tool applies server-side and takes over the memory limit",
    drift: [
      {
        kubectl: ["apply", "--server-side", "--field-manager=other-tool", "--force-conflicts", "-f", "-"],
        stdin: JSON.stringify({
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: OBJECT },
          spec: {
            template: {
              spec: { containers: [{ name: CONTAINER, resources: { limits: { memory: "2Gi" } } }] },
            },
          },
        }),
      },
    ],
    statuses: { [`Deployment/${OBJECT}`]: "Drifted" },
    expected: [
      {
        kind: "Deployment",
        name: OBJECT,
        code: "value-changed",
        type: "changed",
        path: `${CONTAINER_PATH}.resources.limits.memory`,
        severity: "medium",
        owner: { manager: "other-tool", operation: "Apply" },
      },
    ],
  },
  {
    name: "kubectl annotate overwrites an Ingress annotation",
    drift: [
      {
        kubectl: [
          "annotate",
          `ingress/${OBJECT}`,
          "--overwrite",
          "nginx.ingress.kubernetes.io/proxy-body-size=64m",
        ],
      },
    ],
    statuses: { [`Ingress/${OBJECT}`]: "Drifted" },
    expected: [
      {
        kind: "Ingress",
        name: OBJECT,
        code: "value-changed",
        type: "changed",
        path: 'metadata.annotations["nginx.ingress.kubernetes.io/proxy-body-size"]',
        severity: "low",
        owner: { manager: "kubectl-annotate", operation: "Update" },
      },
    ],
  },
  {
    name: "kubectl apply (client-side) of an edited copy of the rendered Deployment changes the image",
    drift: [
      {
        applyRendered: { kind: "Deployment", name: OBJECT },
        change: (deployment) => {
          const app = deployment.spec.template.spec.containers.find(
            (container) => container.name === CONTAINER,
          );
          if (!app) throw new Error(`no container ${CONTAINER}`);
          app.image = "docker.io/bitnami/nginx:1.25.5-debian-12-r2";
        },
      },
    ],
    statuses: { [`Deployment/${OBJECT}`]: "Drifted" },
    expected: [
      {
        kind: "Deployment",
        name: OBJECT,
        code: "value-changed",
        type: "changed",
        path: `${CONTAINER_PATH}.image`,
        severity: "high",
        owner: { manager: "kubectl-client-side-apply", operation: "Update" },
      },
    ],
  },
  {
    name: "kubectl patch --type json grants the Role one more verb (an atomic RBAC list)",
    drift: [
      {
        kubectl: [
          "patch",
          `role/${OBJECT}`,
          "--type=json",
          "-p",
          '[{"op":"test","path":"/rules/0/verbs","value":["get","watch"]},{"op":"add","path":"/rules/0/verbs/-","value":"list"}]',
        ],
      },
    ],
    statuses: { [`Role/${OBJECT}`]: "Drifted" },
    expected: [
      {
        kind: "Role",
        name: OBJECT,
        code: "value-changed",
        type: "changed",
        path: "rules",
        severity: "high",
        owner: { manager: "kubectl-patch", operation: "Update" },
      },
    ],
  },
  {
    name: "kubectl set selector points the Service at other pods",
    drift: [{ kubectl: ["set", "selector", `service/${OBJECT}`, "app.kubernetes.io/name=maintenance-page"] }],
    statuses: { [`Service/${OBJECT}`]: "Drifted" },
    expected: [
      {
        kind: "Service",
        name: OBJECT,
        code: "value-changed",
        type: "changed",
        path: 'spec.selector["app.kubernetes.io/name"]',
        severity: "high",
        owner: { manager: "kubectl-set", operation: "Update" },
      },
      {
        kind: "Service",
        name: OBJECT,
        code: "field-missing",
        type: "missing",
        path: 'spec.selector["app.kubernetes.io/instance"]',
        severity: "high",
        // The selector is an atomic map: whoever wrote it owns the absence of a key too.
        owner: { manager: "kubectl-set", operation: "Update" },
      },
    ],
  },
  {
    // By the list-map key (port, protocol) the rendered port is gone and another is there, under the same name:
    // helm upgrade re-adds port 80 beside it and the API server rejects the duplicate name.
    name: "kubectl patch --type json renumbers the Service port, keeping its name",
    drift: [
      {
        kubectl: [
          "patch",
          `service/${OBJECT}`,
          "--type=json",
          "-p",
          '[{"op":"test","path":"/spec/ports/0/name","value":"http"},{"op":"replace","path":"/spec/ports/0/port","value":8080}]',
        ],
      },
    ],
    statuses: { [`Service/${OBJECT}`]: "Drifted" },
    expected: [
      {
        kind: "Service",
        name: OBJECT,
        code: "entry-missing",
        type: "missing",
        path: "spec.ports[port=80,protocol=TCP]",
        severity: "high",
        owner: null,
      },
      {
        kind: "Service",
        name: OBJECT,
        code: "entry-extra",
        type: "extra",
        path: "spec.ports[port=8080,protocol=TCP]",
        severity: "high",
        owner: { manager: "kubectl-patch", operation: "Update" },
      },
    ],
  },
  {
    name: "kubectl label removes a label of the Service",
    drift: [{ kubectl: ["label", `service/${OBJECT}`, "app.kubernetes.io/version-"] }],
    statuses: { [`Service/${OBJECT}`]: "Drifted" },
    expected: [
      {
        kind: "Service",
        name: OBJECT,
        code: "field-missing",
        type: "missing",
        path: 'metadata.labels["app.kubernetes.io/version"]',
        severity: "low",
        owner: null,
      },
    ],
  },
  {
    name: "kubectl patch adds a nodeSelector the chart does not render",
    drift: [
      patchDeployment("merge", {
        spec: { template: { spec: { nodeSelector: { "node.example.com/pool": "gpu" } } } },
      }),
    ],
    statuses: { [`Deployment/${OBJECT}`]: "Drifted" },
    // One finding for the map added whole, not one per key.
    expected: [addedByKubectlPatch("spec.template.spec.nodeSelector", "high")],
  },
  {
    name: "kubectl patch sets hostNetwork: true",
    drift: [patchDeployment("merge", { spec: { template: { spec: { hostNetwork: true } } } })],
    statuses: { [`Deployment/${OBJECT}`]: "Drifted" },
    expected: [addedByKubectlPatch("spec.template.spec.hostNetwork", "high")],
  },
  {
    name: "kubectl patch --type json adds privileged: true to the rendered container securityContext",
    drift: [
      patchDeployment("json", [
        { op: "test", path: "/spec/template/spec/containers/0/name", value: CONTAINER },
        { op: "add", path: "/spec/template/spec/containers/0/securityContext/privileged", value: true },
      ]),
    ],
    statuses: { [`Deployment/${OBJECT}`]: "Drifted" },
    // The chart renders the container's securityContext (empty): the key added to it is the finding.
    expected: [addedByKubectlPatch(`${CONTAINER_PATH}.securityContext.privileged`, "high")],
  },
  {
    name: "kubectl patch adds a cosmetic annotation to the Deployment",
    drift: [
      patchDeployment("merge", { metadata: { annotations: { "example.com/owner-team": "payments" } } }),
    ],
    statuses: { [`Deployment/${OBJECT}`]: "Drifted" },
    expected: [addedByKubectlPatch('metadata.annotations["example.com/owner-team"]', "low")],
  },
];
