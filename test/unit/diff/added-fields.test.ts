import { readFileSync } from "node:fs";
import jsonPatch from "fast-json-patch";
import { describe, expect, test } from "vitest";
import { compareObjects } from "../../../src/diff/diff-objects.js";
import { displayPair } from "../../../src/diff/display-pair.js";
import { unifiedDiff } from "../../../src/diff/unified-diff.js";
import { ownerOf } from "../../../src/explain/managed-fields.js";
import type { RawFinding } from "../../../src/model/finding.js";
import type { KubeObject } from "../../../src/model/kube.js";
import { formatPath, toLivePointer } from "../../../src/model/path.js";
import { renderJson } from "../../../src/report/json-reporter.js";
import { renderText } from "../../../src/report/text-reporter.js";
import { severityRuleOf } from "../../../src/rules/severity.js";
import { parseLiveObjects } from "../../../src/sources/live-objects.js";
import { parseManifest } from "../../../src/sources/manifest-documents.js";
import { checkOne } from "../../helpers/check-one.js";
import { repoPath } from "../../helpers/repo-path.js";
import { assertValidReport } from "../../helpers/report-schema.js";
import { recordedLive, recordedObject, renderedFor } from "./added-fields-fixtures.js";
import { loadCorpusObject, loadFixture } from "./corpus-fixtures.js";
import type { Loose } from "./mutated-fixtures.js";

/** The added findings of a rendered/live pair, as `path severity/rule by owner`. */
function addedOf(desired: KubeObject, live: KubeObject): string[] {
  return compareObjects(desired, live, null)
    .findings.filter((finding) => finding.type === "added")
    .map((finding) => graded(finding, live));
}

function graded(finding: RawFinding, live: KubeObject): string {
  const owner = ownerOf(live.metadata.managedFields, finding.path);
  const rule = severityRuleOf(finding, live.kind, owner);
  return `${formatPath(finding.path)} ${rule.severity}/${rule.id} by ${owner?.manager ?? "nobody"}`;
}

/** Every finding of a recorded case, as `code path severity/rule by owner`. */
function findingsOfCase(name: string): string[] {
  const live = recordedObject(name);
  return compareObjects(renderedFor(live), live, null).findings.map(
    (finding) => `${finding.code} ${graded(finding, live)}`,
  );
}

const POD = "spec.template.spec";
const WEBAPP = `${POD}.containers[name=webapp]`;

describe("fields someone added live, recorded from a real API server after helm install", () => {
  test.each([
    {
      name: "kubectl patch adding a nodeSelector is one high finding at the map, not one per key",
      fixture: "node-selector",
      expected: [`field-added ${POD}.nodeSelector high/added-security-relevant by kubectl-patch`],
    },
    {
      name: "the same nodeSelector on a release Helm 4 applied server-side",
      fixture: "node-selector-helm4",
      expected: [`field-added ${POD}.nodeSelector high/added-security-relevant by kubectl-patch`],
    },
    {
      name: "hostNetwork: true is high",
      fixture: "host-network",
      expected: [`field-added ${POD}.hostNetwork high/added-security-relevant by kubectl-patch`],
    },
    {
      name: "privileged: true added to the rendered (empty) container securityContext is one finding at the key",
      fixture: "privileged",
      expected: [
        `field-added ${WEBAPP}.securityContext.privileged high/added-security-relevant by kubectl-patch`,
      ],
    },
    {
      name: "added capabilities are high",
      fixture: "capabilities-add",
      expected: [
        `field-added ${WEBAPP}.securityContext.capabilities high/added-security-relevant by kubectl-patch`,
      ],
    },
    {
      name: "a securityContext with runAsUser: 0 on a container that renders none is one high finding at the map",
      fixture: "run-as-root",
      expected: [
        `field-added ${POD}.containers[name=metrics].securityContext high/added-security-relevant by kubectl-patch`,
      ],
    },
    {
      name: "a hostPath put in place of a rendered emptyDir is high (the emptyDir: {} states nothing that can be missing)",
      fixture: "host-path-volume",
      expected: [
        `field-added ${POD}.volumes[name=tmp].hostPath high/added-security-relevant by kubectl-patch`,
      ],
    },
    {
      name: "a nodeAffinity beside the rendered podAntiAffinity is high",
      fixture: "node-affinity",
      expected: [`field-added ${POD}.affinity.nodeAffinity high/added-security-relevant by kubectl-patch`],
    },
    {
      name: "an annotation added to the Deployment is low: cosmetic",
      fixture: "object-annotation",
      expected: [
        'field-added metadata.annotations["example.com/owner-team"] low/object-labels-annotations by kubectl-patch',
      ],
    },
    {
      name: "a pod-template annotation is medium, like a changed one",
      fixture: "pod-template-annotation",
      expected: [
        'field-added spec.template.metadata.annotations["sidecar.istio.io/inject"] medium/pod-template-labels-annotations by kubectl-patch',
      ],
    },
    {
      name: "a server default changed by hand (Helm 3 claimed terminationGracePeriodSeconds: 30 at install) is medium",
      fixture: "grace-period",
      expected: [`field-added ${POD}.terminationGracePeriodSeconds medium/added-field by kubectl-patch`],
    },
    {
      name: "a field another tool applied server-side is added by that tool (operation Apply)",
      fixture: "server-side-apply-priority",
      expected: [`field-added ${POD}.priorityClassName medium/added-field by other-tool`],
    },
    {
      name: "a key added to the rendered Service selector (an atomic map, claimed whole) is high",
      fixture: "service-selector-key",
      expected: [
        'field-added spec.selector["app.kubernetes.io/component"] high/service-routing by kubectl-patch',
      ],
    },
    {
      name: "a key added to a Secret's data is medium",
      fixture: "secret-data-key",
      expected: ["field-added data.backdoor-token medium/config-data by kubectl-patch"],
    },
    {
      name: "a privileged sidecar is one entry-extra; its securityContext is not reported again",
      fixture: "sidecar-with-privileges",
      expected: [`entry-extra ${POD}.containers[name=debug] high/extra-pod-entry by kubectl-patch`],
    },
  ])("$name", ({ fixture, expected }) => {
    expect(findingsOfCase(fixture)).toEqual(expected);
  });

  test("the finding carries the live value, no rendered value, and a pointer that addresses it live", () => {
    const live = recordedObject("run-as-root");
    const [finding] = compareObjects(renderedFor(live), live, null).findings;
    expect(finding).toMatchObject({ type: "added", code: "field-added", desired: undefined });
    expect(finding?.live).toEqual({ runAsUser: 0 });
    expect(finding?.path.slice(3)).toEqual([
      { kind: "field", name: "containers" },
      { kind: "key", key: { name: "metrics" }, index: 1, liveIndex: 1 },
      { kind: "field", name: "securityContext" },
    ]);
    const pointer = toLivePointer(finding?.path ?? []);
    expect(pointer).toBe("/spec/template/spec/containers/1/securityContext");
    expect(jsonPatch.getValueByPointer(live, pointer ?? "")).toEqual({ runAsUser: 0 });
  });

  test("compare once: the added fields come from the same comparison, after the walk's findings", () => {
    const live = recordedObject("host-network");
    (live as Loose).spec.template.spec.containers[0].image = "docker.io/bitnami/nginx:1.28";
    const comparison = compareObjects(renderedFor(live), live, null);
    expect(comparison.findings.map((finding) => `${finding.code} ${formatPath(finding.path)}`)).toEqual([
      `value-changed ${WEBAPP}.image`,
      `field-added ${POD}.hostNetwork`,
    ]);
  });

  test("the displayed diff shows an added field as + lines under its rendered parent", () => {
    const live = recordedObject("node-selector");
    const comparison = compareObjects(renderedFor(live), live, null);
    const shown = displayPair(comparison, comparison.findings);
    const changed = unifiedDiff("rendered", "live", shown.desired, shown.live)
      ?.split("\n")
      .filter((line) => /^[-+]\s/.test(line));
    expect(changed).toEqual(["+      nodeSelector:", "+        node.example.com/pool: gpu"]);
  });
});

describe("an added field through the whole check (report, JSON schema, text, repair patch)", () => {
  test.each([
    "node-selector",
    "host-network",
    "privileged",
    "capabilities-add",
    "run-as-root",
    "host-path-volume",
    "node-affinity",
    "object-annotation",
    "pod-template-annotation",
    "grace-period",
    "server-side-apply-priority",
    "service-selector-key",
    "secret-data-key",
  ])("%s", async (fixture) => {
    const live = recordedObject(fixture);
    const { report, resource } = await checkOne(renderedFor(live), live);
    const json = JSON.parse(renderJson(report));
    assertValidReport(json);
    const added = json.releases[0].resources[0].findings.filter((finding: Loose) => finding.type === "added");
    expect(added).toHaveLength(1);
    const [finding] = added;
    expect(finding).toMatchObject({ code: "field-added", pointer: null, desired: null, repair: "revert" });
    expect(finding.message).toMatch(
      / was added live by (kubectl-patch|other-tool); the release does not render it$/,
    );
    expect(finding.livePointer).toBe(
      toLivePointer(compareObjects(renderedFor(live), live, null).findings[0]?.path ?? []),
    );
    const text = renderText(report, { color: false });
    expect(text).toContain(finding.path);
    expect(resource.diff ?? "").toMatch(/^\+ /m);
    if (live.kind === "Secret") {
      expect(JSON.stringify(json)).not.toContain("aHVudGVyMi1hZGRlZA==");
      expect(text).not.toContain("aHVudGVyMi1hZGRlZA==");
      expect(finding.live).toBe("*** (masked)");
    } else {
      expect(finding.live).toEqual(jsonPatch.getValueByPointer(live, finding.livePointer));
    }
  });
});

describe("what is not an added field", () => {
  test.each([
    ["fresh-helm3", "every object of a fresh Helm 3 install (helm claims the server's defaults too)"],
    ["fresh-helm4", "every object of a fresh Helm 4 install (server-side apply: defaults have no owner)"],
  ])("%s: %s", (fixture) => {
    const objects = recordedLive(fixture);
    expect(objects.length).toBeGreaterThan(10);
    for (const live of objects) {
      expect({
        object: `${live.kind}/${live.metadata.name}`,
        findings: addedOf(renderedFor(live), live),
      }).toEqual({ object: `${live.kind}/${live.metadata.name}`, findings: [] });
    }
  });

  test.each([
    ["rollout-restart", "kubectl rollout restart's kubectl.kubernetes.io/restartedAt stamp"],
    ["controller-annotation", "an annotation written as kube-controller-manager (a known controller)"],
    [
      "dns-policy-back-to-default",
      "a field a person set back to the server's default (dnsPolicy: ClusterFirst)",
    ],
  ])("%s: %s", (fixture) => {
    const live = recordedObject(fixture);
    expect(compareObjects(renderedFor(live), live, null).findings).toEqual([]);
  });

  test("a field Helm claims that the release no longer renders (a leftover of an earlier revision) is Helm's", () => {
    const live = recordedLive("fresh-helm3").find((object) => object.kind === "Deployment") as KubeObject;
    const desired = renderedFor(live);
    delete (desired as Loose).spec.revisionHistoryLimit;
    delete (desired as Loose).spec.template.spec.automountServiceAccountToken;
    expect(addedOf(desired, live)).toEqual([]);
  });

  test("the last-applied annotation of the shipped incident's stale kubectl apply is bookkeeping", () => {
    const manifest = parseManifest(
      readFileSync(repoPath("fixtures/incident/manifest.yaml"), "utf8"),
      "manifest",
    );
    const lives = parseLiveObjects(readFileSync(repoPath("fixtures/incident/live.yaml"), "utf8"), "live");
    const ars = lives.find((object) => object.kind === "AutoscalingRunnerSet") as KubeObject;
    const managers = (ars.metadata.managedFields ?? []).map((entry) => entry.manager);
    expect(managers).toContain("kubectl-client-side-apply");
    const desired = manifest.find((document) => document.object.kind === "AutoscalingRunnerSet")?.object;
    expect(addedOf(desired as KubeObject, ars)).toEqual([]);
  });

  test("an operator's finalizer and annotations on its custom resource (manager `manager`) are controller-owned", () => {
    const live = loadFixture("arc-autoscalingrunnerset-live.yaml");
    expect(live.metadata.managedFields?.map((entry) => entry.manager)).toEqual(["helm", "manager"]);
    expect(addedOf(loadFixture("arc-autoscalingrunnerset-rendered.yaml"), live)).toEqual([]);
  });

  test("a manager that writes the object's status is its controller, whatever it is called", () => {
    const desired = loadFixture("arc-autoscalingrunnerset-rendered.yaml");
    const renamed = loadFixture("arc-autoscalingrunnerset-live.yaml");
    const entries = renamed.metadata.managedFields ?? [];
    for (const entry of entries) if (entry.manager === "manager") entry.manager = "arc-controller";
    expect(addedOf(desired, renamed)).toEqual([
      'metadata.annotations["actions.github.com/runner-group-name"] low/object-labels-annotations by arc-controller',
      'metadata.annotations["actions.github.com/runner-scale-set-name"] low/object-labels-annotations by arc-controller',
      "metadata.annotations.runner-scale-set-id low/object-labels-annotations by arc-controller",
    ]);
    entries.push({
      manager: "arc-controller",
      operation: "Update",
      subresource: "status",
      fieldsType: "FieldsV1",
      fieldsV1: { "f:status": { ".": {} } },
    });
    expect(addedOf(desired, renamed)).toEqual([]);
  });
});

/** A copy of a live object with these managers renamed to helm: the tool that applied it plays Helm's role. */
function appliedByHelm(live: KubeObject, appliers: readonly string[]): KubeObject {
  const copy = structuredClone(live);
  for (const entry of copy.metadata.managedFields ?? []) {
    if (appliers.includes(entry.manager ?? "")) entry.manager = "helm";
  }
  return copy;
}

const ARGO_CD = ["argocd-controller", "argocd"];

describe("corpus pairs (objects recorded from real clusters, applied by Argo CD or kubectl)", () => {
  /** Rendered/live pairs of the corpus; their drift (if any) is in rendered fields and keyed entries only. */
  const appliedPairs = [
    ["gitops-engine/elasticsearch-config.json", "gitops-engine/elasticsearch-live.json"],
    ["gitops-engine/endpoints-config.json", "gitops-engine/endpoints-live.json"],
    ["gitops-engine/grafana-clusterrole-config.json", "gitops-engine/grafana-clusterrole-live.json"],
    ["gitops-engine/mutatingwebhookconfig-config.json", "gitops-engine/mutatingwebhookconfig-live.json"],
    ["gitops-engine/sealedsecret-config.json", "gitops-engine/sealedsecret-live.json"],
    ["gitops-engine/spinnaker-sa-config.json", "gitops-engine/spinnaker-sa-live.json"],
    ["gitops-engine/wordpress-config.json", "gitops-engine/wordpress-live.json"],
    ["gitops-engine/aggr-clusterrole-config.json", "gitops-engine/aggr-clusterrole-live.json"],
    ["gitops-engine/smd-deploy-config.yaml", "gitops-engine/smd-deploy-live.yaml"],
    ["kubectl-apply/rc.yaml", "kubectl-apply/rc-managedfields-lastapplied.yaml"],
    ["gitops-engine/ssd-service-config.yaml", "gitops-engine/ssd-service-live.yaml"],
    ["gitops-engine/ssd-svc-no-label-config.yaml", "gitops-engine/ssd-svc-label-live.yaml"],
    ["argo-cd-gitops-engine/ssd-configmap-config.yaml", "argo-cd-gitops-engine/ssd-configmap-live.yaml"],
    ["gitops-engine/deployment-config.json", "gitops-engine/deployment-live.json"],
    ["gitops-engine/smd-deploy2-config.yaml", "gitops-engine/smd-deploy2-live.yaml"],
    ["gitops-engine/smd-deploy2-config.yaml", "gitops-engine/smd-deploy2-predicted-live.json"],
    ["argo-cd-util-argo/desired_validating_webhook.yaml", "argo-cd-util-argo/live_validating_webhook.yaml"],
    [
      "argo-cd-util-argo/desired_deployment.yaml",
      "argo-cd-util-argo/live_deployment_with_managed_replica.yaml",
    ],
    ["argo-cd-controller/target-deployment.yaml", "argo-cd-controller/live-deployment.yaml"],
    [
      "gitops-engine/ssd-deploy-composite-key-config.yaml",
      "gitops-engine/ssd-deploy-composite-key-live.yaml",
    ],
    ["gitops-engine/ssd-deploy-nested-config.yaml", "gitops-engine/ssd-deploy-nested-live.yaml"],
    [
      "gitops-engine/ssd-deploy-with-manual-apply-config.yaml",
      "gitops-engine/ssd-deploy-with-manual-apply-live.yaml",
    ],
    ["gitops-engine/smd-service-config.yaml", "gitops-engine/smd-service-live.yaml"],
    ["gitops-engine/smd-service-config.yaml", "gitops-engine/smd-service-live-with-type.yaml"],
  ] as const;

  test.each(appliedPairs)(
    "with Argo CD in Helm's role, nothing is added: %s vs %s",
    (desiredFile, liveFile) => {
      const live = appliedByHelm(loadCorpusObject(`live-vs-desired/${liveFile}`), ARGO_CD);
      expect(addedOf(loadCorpusObject(`live-vs-desired/${desiredFile}`), live)).toEqual([]);
    },
  );

  test.each([
    ["kubectl-apply/rc.yaml", "kubectl-apply/rc-managedfields-lastapplied.yaml"],
    ["gitops-engine/smd-service-config.yaml", "gitops-engine/smd-service-live.yaml"],
    [
      "gitops-engine/ssd-deploy-with-manual-apply-config.yaml",
      "gitops-engine/ssd-deploy-with-manual-apply-live.yaml",
    ],
    ["argo-cd-util-argo/desired_validating_webhook.yaml", "argo-cd-util-argo/live_validating_webhook.yaml"],
    ["argo-cd-controller/target-deployment.yaml", "argo-cd-controller/live-deployment.yaml"],
  ])(
    "an object created with an Update (kubectl apply, Argo CD's Update) claims every server default; none is reported: %s vs %s",
    (desiredFile, liveFile) => {
      const live = loadCorpusObject(`live-vs-desired/${liveFile}`);
      expect(addedOf(loadCorpusObject(`live-vs-desired/${desiredFile}`), live)).toEqual([]);
    },
  );

  test("left as itself, Argo CD is a writer outside the release: what its own apply left behind is added", () => {
    const added = (desiredFile: string, liveFile: string) =>
      addedOf(
        loadCorpusObject(`live-vs-desired/${desiredFile}`),
        loadCorpusObject(`live-vs-desired/${liveFile}`),
      );
    expect(
      added("gitops-engine/ssd-svc-no-label-config.yaml", "gitops-engine/ssd-svc-label-live.yaml"),
    ).toEqual(["metadata.labels.delete-me low/object-labels-annotations by argocd-controller"]);
    expect(
      added(
        "argo-cd-gitops-engine/ssd-configmap-config.yaml",
        "argo-cd-gitops-engine/ssd-configmap-live.yaml",
      ),
    ).toEqual(["data.key3 medium/config-data by argocd-controller"]);
    expect(
      added("gitops-engine/smd-service-config.yaml", "gitops-engine/smd-service-live-with-type.yaml"),
    ).toEqual(["spec.type medium/added-field by argocd-controller"]);
  });
});
