import { describe, expect, test } from "vitest";
import { diffObjects } from "../../../src/diff/diff-objects.js";
import { brief, lastAppliedOf, loadCorpusObject } from "./corpus-fixtures.js";

/** Findings of a rendered/live pair from live-vs-desired/, as `code path` lines. */
function findingsOf(desiredFile: string, liveFile: string): string[] {
  const desired = loadCorpusObject(`live-vs-desired/${desiredFile}`);
  const live = loadCorpusObject(`live-vs-desired/${liveFile}`);
  return diffObjects(desired, live, null).map(brief);
}

describe("corpus pairs upstream expects in sync", () => {
  test.each([
    {
      name: "StatefulSet with server-defaulted probes, VCT status and quantities is in sync (elasticsearch)",
      desired: "gitops-engine/elasticsearch-config.json",
      live: "gitops-engine/elasticsearch-live.json",
    },
    {
      name: "Endpoints whose ports gained protocol TCP inside the atomic subsets list are in sync",
      desired: "gitops-engine/endpoints-config.json",
      live: "gitops-engine/endpoints-live.json",
    },
    {
      name: "ClusterRole rendered with rules: [] matches live rules: null (grafana)",
      desired: "gitops-engine/grafana-clusterrole-config.json",
      live: "gitops-engine/grafana-clusterrole-live.json",
    },
    {
      name: "webhook configuration keyed by webhook name, with server defaults and an injected caBundle the chart does not state, is in sync",
      desired: "gitops-engine/mutatingwebhookconfig-config.json",
      live: "gitops-engine/mutatingwebhookconfig-live.json",
    },
    {
      name: "custom resource rendered with creationTimestamp: null is in sync (sealedsecret)",
      desired: "gitops-engine/sealedsecret-config.json",
      live: "gitops-engine/sealedsecret-live.json",
    },
    {
      name: "ServiceAccount with controller-added secrets is in sync (spinnaker)",
      desired: "gitops-engine/spinnaker-sa-config.json",
      live: "gitops-engine/spinnaker-sa-live.json",
    },
    {
      name: 'Secret data value "" matches live null (wordpress)',
      desired: "gitops-engine/wordpress-config.json",
      live: "gitops-engine/wordpress-live.json",
    },
    {
      name: "aggregated ClusterRole that renders no rules is in sync: controller-filled rules are live-only",
      desired: "gitops-engine/aggr-clusterrole-config.json",
      live: "gitops-engine/aggr-clusterrole-live.json",
    },
    {
      name: "Deployment with every server default and managedFields is in sync (smd-deploy)",
      desired: "gitops-engine/smd-deploy-config.yaml",
      live: "gitops-engine/smd-deploy-live.yaml",
    },
    {
      name: "ReplicationController applied by kubectl with managedFields and last-applied is in sync",
      desired: "kubectl-apply/rc.yaml",
      live: "kubectl-apply/rc-managedfields-lastapplied.yaml",
    },
    {
      name: "Service with allocated clusterIP, ipFamilies and defaulted targetPort/protocol is in sync (ssd-service live)",
      desired: "gitops-engine/ssd-service-config.yaml",
      live: "gitops-engine/ssd-service-live.yaml",
    },
    {
      name: "a label present only live is not drift (ssd-svc-label)",
      desired: "gitops-engine/ssd-svc-no-label-config.yaml",
      live: "gitops-engine/ssd-svc-label-live.yaml",
    },
    {
      name: "a ConfigMap key present only live is not drift (ssd-configmap)",
      desired: "argo-cd-gitops-engine/ssd-configmap-config.yaml",
      live: "argo-cd-gitops-engine/ssd-configmap-live.yaml",
    },
  ])("$name", ({ desired, live }) => {
    expect(findingsOf(desired, live)).toEqual([]);
  });

  test("guestbook Deployment: the env var VAR2 injected out-of-band is one extra keyed entry (upstream's three-way diff ignores it because last-applied never listed it; a subset diff reports live-only keyed entries)", () => {
    expect(findingsOf("gitops-engine/deployment-config.json", "gitops-engine/deployment-live.json")).toEqual([
      "entry-extra spec.template.spec.containers[name=guestbook-ui].env[name=VAR2]",
    ]);
  });

  test("external-secrets ValidatingWebhookConfiguration: the controller-injected caBundle differs from the rendered Cg== (upstream reports no diff only when ignoring fields of manager external-secrets)", () => {
    expect(
      findingsOf(
        "argo-cd-util-argo/desired_validating_webhook.yaml",
        "argo-cd-util-argo/live_validating_webhook.yaml",
      ),
    ).toEqual([
      "value-changed webhooks[name=validate.externalsecret.external-secrets.io].clientConfig.caBundle",
    ]);
  });

  test("argo-cd managed-replica Deployment: replicas and revisionHistoryLimit set by other managers differ (upstream ignores them only by managedFields manager rules)", () => {
    expect(
      findingsOf(
        "argo-cd-util-argo/desired_deployment.yaml",
        "argo-cd-util-argo/live_deployment_with_managed_replica.yaml",
      ),
    ).toEqual(["value-changed spec.replicas", "value-changed spec.revisionHistoryLimit"]);
  });
});

describe("corpus pairs with real differences", () => {
  test.each([
    {
      name: "Service port targetPort 1936 rendered vs 1935 live is a change at the port's key",
      desired: "gitops-engine/smd-service-config.yaml",
      live: "gitops-engine/smd-service-live.yaml",
      expected: ["value-changed spec.ports[port=1935,protocol=TCP].targetPort"],
    },
    {
      name: "Service type NodePort set live but absent from the chart is not reported; the targetPort change is",
      desired: "gitops-engine/smd-service-config.yaml",
      live: "gitops-engine/smd-service-live-with-type.yaml",
      expected: ["value-changed spec.ports[port=1935,protocol=TCP].targetPort"],
    },
    {
      name: "Service ports with the same number over TCP and UDP are different entries: the UDP ones are missing",
      desired: "gitops-engine/smd-service-config-ports.yaml",
      live: "gitops-engine/smd-service-live.yaml",
      expected: [
        "entry-missing spec.ports[port=1935,protocol=UDP]",
        "entry-missing spec.ports[port=443,protocol=UDP]",
      ],
    },
    {
      name: "a Service port the chart dropped is an extra entry",
      desired: "gitops-engine/smd-service-config-2-ports.yaml",
      live: "gitops-engine/smd-service-live.yaml",
      expected: ["entry-extra spec.ports[port=443,protocol=TCP]"],
    },
    {
      name: "a container port the chart does not list is extra; webhook-injected resources are live-only",
      desired: "gitops-engine/smd-deploy2-config.yaml",
      live: "gitops-engine/smd-deploy2-live.yaml",
      expected: [
        "entry-extra spec.template.spec.containers[name=nginx].ports[containerPort=8080,protocol=TCP]",
      ],
    },
    {
      name: "the server's dry-run result for smd-deploy2 is in sync with its config",
      desired: "gitops-engine/smd-deploy2-config.yaml",
      live: "gitops-engine/smd-deploy2-predicted-live.json",
      expected: [],
    },
    {
      name: "changed annotation and replicas are reported; a janitor-owned annotation value is still drift",
      desired: "argo-cd-controller/target-deployment.yaml",
      live: "argo-cd-controller/live-deployment.yaml",
      expected: ["value-changed metadata.annotations.iksm-version", "value-changed spec.replicas"],
    },
    {
      name: "new env var and new container are missing entries; a port entry without containerPort makes ports compare whole",
      desired: "argo-cd-controller/target-deployment-new-entries.yaml",
      live: "argo-cd-controller/live-deployment.yaml",
      expected: [
        "value-changed metadata.annotations.iksm-version",
        "value-changed spec.replicas",
        "entry-missing spec.template.spec.containers[name=guestbook-ui].env[name=NEW_ENV_VAR]",
        "value-changed spec.template.spec.containers[name=guestbook-ui].ports",
        "entry-missing spec.template.spec.containers[name=new-container]",
      ],
    },
    {
      name: "env vars are matched by name: two missing, one changed",
      desired: "argo-cd-controller/target-deployment-env-vars.yaml",
      live: "argo-cd-controller/live-deployment-env-vars.yaml",
      expected: [
        "value-changed metadata.annotations.iksm-version",
        "value-changed spec.replicas",
        "entry-missing spec.template.spec.containers[name=guestbook-ui].env[name=SOME_OTHER_ENV_VAR]",
        "entry-missing spec.template.spec.containers[name=guestbook-ui].env[name=YET_ANOTHER_ENV_VAR]",
        "value-changed spec.template.spec.containers[name=guestbook-ui].env[name=SOME_ENV_VAR].value",
      ],
    },
    {
      name: "strategy Recreate rendered vs RollingUpdate live is a change; rendered rollingUpdate: null states nothing",
      desired: "kubectl-apply/deploy-clientside.yaml",
      live: "kubectl-apply/deploy-serverside.yaml",
      expected: ["value-changed spec.strategy.type"],
    },
  ])("$name", ({ desired, live, expected }) => {
    expect(findingsOf(desired, live)).toEqual(expected);
  });
});

describe("server-side diff triples (config, live, server dry-run result)", () => {
  test.each([
    {
      name: "composite-key ports: applying the config adds port 8080/TCP, which live lacks",
      triple: "ssd-deploy-composite-key",
      predicted: [],
      live: [
        "entry-missing spec.template.spec.containers[name=nginx].ports[containerPort=8080,protocol=TCP]",
      ],
    },
    {
      name: "nested list-maps: applying adds port 443 and env ENV_VAR2, which live lacks",
      triple: "ssd-deploy-nested",
      predicted: [],
      live: [
        "entry-missing spec.template.spec.containers[name=main-container].ports[containerPort=443,protocol=TCP]",
        "entry-missing spec.template.spec.containers[name=main-container].env[name=ENV_VAR2]",
      ],
    },
    {
      name: "manual kubectl apply: SSA keeps the kubectl-owned container idle, so even the dry-run result has it as extra",
      triple: "ssd-deploy-with-manual-apply",
      predicted: ["entry-extra spec.template.spec.containers[name=idle]"],
      live: [
        "entry-missing spec.template.spec.containers[name=main-container].ports[containerPort=40,protocol=TCP]",
        "entry-extra spec.template.spec.containers[name=idle]",
      ],
    },
    {
      name: "httpbin Service: live is in sync; the dry-run result lost the instance label to a mutating webhook",
      triple: "ssd-service",
      predicted: ['field-missing metadata.labels["app.kubernetes.io/instance"]'],
      live: [],
    },
  ])("$name", ({ triple, predicted, live }) => {
    const config = `gitops-engine/${triple}-config.yaml`;
    expect(findingsOf(config, `gitops-engine/${triple}-predicted-live.json`)).toEqual(predicted);
    expect(findingsOf(config, `gitops-engine/${triple}-live.yaml`)).toEqual(live);
  });

  test("label removal: config without the label is in sync with both the labelled live and the dry-run result", () => {
    const config = "gitops-engine/ssd-svc-no-label-config.yaml";
    expect(findingsOf(config, "gitops-engine/ssd-svc-no-label-predicted-live.json")).toEqual([]);
    expect(findingsOf(config, "gitops-engine/ssd-svc-label-live.yaml")).toEqual([]);
  });

  test("ConfigMap key removal: config is in sync with both the dry-run result and live (key3 is live-only)", () => {
    const config = "argo-cd-gitops-engine/ssd-configmap-config.yaml";
    expect(findingsOf(config, "argo-cd-gitops-engine/ssd-configmap-predicted-live.json")).toEqual([]);
    expect(findingsOf(config, "argo-cd-gitops-engine/ssd-configmap-live.yaml")).toEqual([]);
  });
});

describe("live objects against their own last-applied-configuration (what kubectl apply sent)", () => {
  test.each([
    {
      name: "GKE Deployment is in sync with what was applied",
      file: "live-objects/k9s/dp.json",
      expected: [],
    },
    {
      name: "GKE DaemonSet with hostPath type and configMap defaultMode defaults is in sync",
      file: "live-objects/k9s/ds.json",
      expected: [],
    },
    {
      name: "Deployment mid-rollout is in sync",
      file: "live-objects/gitops-engine-health/deployment-progressing.yaml",
      expected: [],
    },
    {
      name: "2016 Deployment with old rollingUpdate defaults is in sync",
      file: "live-vs-desired/kubectl-apply/deploy-serverside.yaml",
      expected: [],
    },
    {
      name: "StatefulSet scaled from 2 to 4 out-of-band shows replicas changed",
      file: "live-objects/k9s/sts.json",
      expected: ["value-changed spec.replicas"],
    },
    {
      name: "Secret whose last-applied password differs from the stored one shows the data key changed",
      file: "live-vs-desired/gitops-engine/wordpress-live.json",
      expected: ["value-changed data.wordpress-password"],
    },
    {
      name: "aggregated ClusterRole: the controller replaced the applied rules, an atomic list change",
      file: "live-vs-desired/gitops-engine/aggr-clusterrole-live.json",
      expected: ["value-changed rules"],
    },
  ])("$name", ({ file, expected }) => {
    const live = loadCorpusObject(file);
    expect(diffObjects(lastAppliedOf(live), live, null).map(brief)).toEqual(expected);
  });
});
