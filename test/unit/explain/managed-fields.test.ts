import { describe, expect, it } from "vitest";
import { managersOf, ownerOf } from "../../../src/explain/managed-fields.js";
import type { ManagedFieldsEntry } from "../../../src/model/kube.js";
import type { Path, PathSegment } from "../../../src/model/path.js";
import { recordedObject } from "../diff/added-fields-fixtures.js";
import { corpusObject } from "./corpus.js";
import { incidentLive } from "./incident-arc.js";

const f = (name: string): PathSegment => ({ kind: "field", name });
const k = (key: Record<string, string | number | boolean>): PathSegment => ({
  kind: "key",
  key,
  index: 0,
  liveIndex: 0,
});
const i = (index: number): PathSegment => ({ kind: "index", index });
const fields = (...names: string[]): PathSegment[] => names.map(f);

const SMD = "live-vs-desired/gitops-engine/smd-deploy-live.yaml";
const MANUAL_APPLY = "live-vs-desired/gitops-engine/ssd-deploy-with-manual-apply-live.yaml";
const MANAGED_REPLICA = "live-vs-desired/argo-cd-util-argo/live_deployment_with_managed_replica.yaml";
const RC = "live-vs-desired/kubectl-apply/rc-managedfields-lastapplied.yaml";
const WEBHOOK = "live-vs-desired/argo-cd-util-argo/live_validating_webhook.yaml";

const nginx = [...fields("spec", "template", "spec", "containers"), k({ name: "nginx" })];

describe("ownerOf over real managedFields", () => {
  it.each<[string, string, Path, { manager: string; operation: string; subresource?: string } | null]>([
    [
      "a container image is owned by the applier that set it",
      SMD,
      [...nginx, f("image")],
      { manager: "argocd-controller", operation: "Apply" },
    ],
    [
      "a port entry is found by its full JSON key",
      SMD,
      [...nginx, f("ports"), k({ containerPort: 80, protocol: "TCP" }), f("containerPort")],
      { manager: "argocd-controller", operation: "Apply" },
    ],
    [
      "a port entry is found whatever the key's field order",
      SMD,
      [...nginx, f("ports"), k({ protocol: "TCP", containerPort: 80 })],
      { manager: "argocd-controller", operation: "Apply" },
    ],
    [
      "a port key without protocol matches the server's entry with the default protocol TCP",
      SMD,
      [...nginx, f("ports"), k({ containerPort: 80 })],
      { manager: "argocd-controller", operation: "Apply" },
    ],
    [
      "a port that is not there has no owner",
      SMD,
      [...nginx, f("ports"), k({ containerPort: 81, protocol: "TCP" })],
      null,
    ],
    [
      "a field missing under a claimed container entry is not owned by the entry's claimant",
      SMD,
      [...nginx, f("env")],
      null,
    ],
    [
      "a selector label is owned by whoever claimed the atomic selector",
      SMD,
      fields("spec", "selector", "matchLabels", "app"),
      { manager: "argocd-controller", operation: "Apply" },
    ],
    [
      "an element of an atomic list is owned by whoever claimed the list",
      SMD,
      [...nginx, ...fields("livenessProbe", "exec", "command"), i(1)],
      { manager: "argocd-controller", operation: "Apply" },
    ],
    [
      "status is owned through the status subresource",
      SMD,
      fields("status", "readyReplicas"),
      { manager: "kube-controller-manager", operation: "Update", subresource: "status" },
    ],
    [
      "a sidecar added by kubectl apply is owned by kubectl-client-side-apply",
      MANUAL_APPLY,
      [...fields("spec", "template", "spec", "containers"), k({ name: "idle" })],
      { manager: "kubectl-client-side-apply", operation: "Update" },
    ],
    [
      "an exact claim beats an atomic claim of the whole annotations map",
      MANUAL_APPLY,
      fields("metadata", "annotations", "deployment.kubernetes.io/revision"),
      { manager: "kube-controller-manager", operation: "Update", subresource: "status" },
    ],
    [
      "an annotation nobody claims exactly falls to the manager that claimed the whole map as a leaf",
      MANUAL_APPLY,
      fields("metadata", "annotations", "example.com/added-later"),
      { manager: "argocd-controller", operation: "Update" },
    ],
    [
      "of two managers claiming spec.replicas the most recent wins (the HPA's kube-controller-manager)",
      MANAGED_REPLICA,
      fields("spec", "replicas"),
      { manager: "kube-controller-manager", operation: "Update" },
    ],
    [
      "a ReplicationController port is owned by kubectl-client-side-apply",
      RC,
      [
        ...fields("spec", "template", "spec", "containers"),
        k({ name: "test-rc" }),
        f("ports"),
        k({ containerPort: 80, protocol: "TCP" }),
        f("protocol"),
      ],
      { manager: "kubectl-client-side-apply", operation: "Update" },
    ],
    [
      "an injected webhook caBundle is owned by the injector",
      WEBHOOK,
      [
        f("webhooks"),
        k({ name: "validate.externalsecret.external-secrets.io" }),
        ...fields("clientConfig", "caBundle"),
      ],
      { manager: "external-secrets", operation: "Update" },
    ],
    [
      "the webhook's service path is owned by the deployer",
      WEBHOOK,
      [
        f("webhooks"),
        k({ name: "validate.externalsecret.external-secrets.io" }),
        ...fields("clientConfig", "service", "path"),
      ],
      { manager: "argocd", operation: "Update" },
    ],
  ])("%s", (_name, file, path, expected) => {
    const owner = ownerOf(corpusObject(file).metadata.managedFields, path);
    if (expected === null) {
      expect(owner).toBeNull();
    } else {
      expect(owner).toMatchObject(expected);
      expect(owner?.subresource).toBe(expected.subresource);
    }
  });

  it("reports the time of the winning entry", () => {
    const owner = ownerOf(corpusObject(MANAGED_REPLICA).metadata.managedFields, fields("spec", "replicas"));
    expect(owner).toEqual({
      manager: "kube-controller-manager",
      operation: "Update",
      time: "2021-12-01T21:07:55Z",
    });
  });
});

describe("ownerOf in the incident's AutoscalingRunnerSet", () => {
  const managedFields = incidentLive().metadata.managedFields;
  const podSpec = fields("spec", "template", "spec");

  it.each(["initContainers", "volumes", "serviceAccountName"])(
    "finds no owner for the missing %s although helm-controller claims the pod spec node",
    (field) => {
      expect(ownerOf(managedFields, [...podSpec, f(field)])).toBeNull();
    },
  );

  it("attributes a runner volumeMount to the manager that claimed the atomic containers list", () => {
    const path = [
      ...podSpec,
      f("containers"),
      k({ name: "runner" }),
      f("volumeMounts"),
      k({ mountPath: "/usr/local/kubectl-bin" }),
    ];
    expect(ownerOf(managedFields, path)).toEqual({
      manager: "kubectl-client-side-apply",
      operation: "Update",
      time: "2024-06-10T08:30:00Z",
    });
  });
});

describe("ownerOf edge cases", () => {
  const scale: ManagedFieldsEntry[] = [
    {
      manager: "helm",
      operation: "Update",
      time: "2024-01-01T00:00:00Z",
      fieldsV1: { "f:spec": { "f:replicas": {} } },
    },
    {
      manager: "vpa-recommender",
      operation: "Update",
      subresource: "scale",
      time: "2024-01-02T00:00:00Z",
      fieldsV1: { "f:spec": { "f:replicas": {} } },
    },
  ];

  it("names the scale subresource when an autoscaler wrote replicas through it", () => {
    expect(ownerOf(scale, fields("spec", "replicas"))).toEqual({
      manager: "vpa-recommender",
      operation: "Update",
      subresource: "scale",
      time: "2024-01-02T00:00:00Z",
    });
  });

  it("has no owner without managedFields or for the whole object", () => {
    expect(ownerOf(undefined, fields("spec", "replicas"))).toBeNull();
    expect(ownerOf(scale, [])).toBeNull();
  });

  it("skips keys that are not valid JSON instead of failing", () => {
    const entries: ManagedFieldsEntry[] = [
      {
        manager: "m",
        operation: "Apply",
        fieldsV1: { "f:spec": { "f:ports": { "k:{broken": {}, 'k:{"port":80}': {} } } },
      },
    ];
    expect(ownerOf(entries, [...fields("spec", "ports"), k({ port: 80 })])?.manager).toBe("m");
  });
});

describe("managersOf", () => {
  it("lists every entry of the incident object, most recent first", () => {
    expect(
      managersOf(incidentLive().metadata.managedFields).map((m) => [m.manager, m.subresource ?? ""]),
    ).toEqual([
      ["manager", "status"],
      ["manager", ""],
      ["kubectl-client-side-apply", ""],
      ["helm-controller", ""],
    ]);
  });
});

describe("ownerOf a field added live (recorded after helm install and kubectl patch)", () => {
  const webapp = [...fields("spec", "template", "spec", "containers"), k({ name: "webapp" })];

  it("a key kubectl patch added inside the empty securityContext Helm 3 claimed: kubectl-patch's exact claim wins", () => {
    const live = recordedObject("privileged");
    expect(
      ownerOf(live.metadata.managedFields, [...webapp, ...fields("securityContext", "privileged")]),
    ).toMatchObject({
      manager: "kubectl-patch",
      operation: "Update",
    });
    expect(ownerOf(live.metadata.managedFields, [...webapp, f("securityContext")])?.manager).toBe("helm");
  });

  it("a nodeSelector added whole is kubectl-patch's, on a release Helm 4 applied server-side too", () => {
    for (const fixture of ["node-selector", "node-selector-helm4"]) {
      const live = recordedObject(fixture);
      expect(
        ownerOf(live.metadata.managedFields, fields("spec", "template", "spec", "nodeSelector"))?.manager,
      ).toBe("kubectl-patch");
    }
  });
});
