/**
 * The upgrade that follows a repair, per drift scenario (test/e2e/upgrade-oracle.test.ts). After helm-drift's
 * plan has repaired the drift, the next `helm upgrade --reuse-values` changes the field the scenario drifted,
 * to a value that is neither the rendered nor the drifted one. A repair that leaves another field manager
 * co-owning that field of a Helm 4 (server-side) release makes this upgrade fail with a conflict; a repair
 * that leaves a hand-added entry behind makes the release drift again once the chart renders the same entry.
 *
 * The flags are `--set` values of test/e2e/charts/webapp/values.yaml; where the chart did not template the
 * field from values, the chart has a knob whose default renders nothing different (versionLabel,
 * extraContainers, extraTolerations, rbac.configVerbs, service.extraSelector, deploymentAnnotations,
 * nodeSelector, hostNetwork).
 */

export type FollowUp =
  /** helm upgrade flags that change the drifted field(s). */
  | { flags: string[] }
  /** No sensible upgrade changes the drifted field: a plain `helm upgrade --reuse-values`, and why. */
  | { plain: string };

/** Helm flags that set one value (`--set key=value`, `--set-string`, `--set-json`). */
const set = (assignment: string) => ["--set", assignment];
const setJson = (key: string, value: unknown) => ["--set-json", `${key}=${JSON.stringify(value)}`];

/** The image tag the follow-ups move to: neither the rendered 1.27.3-debian-12-r0 nor a drifted one. */
const NEXT_TAG = "1.27.5-debian-12-r0";

/** By drift scenario name (test/e2e/scenarios/drift-scenarios.ts); the oracle requires one for each. */
export const FOLLOW_UPS: Readonly<Record<string, FollowUp>> = {
  "kubectl set image changes the container image": { flags: set(`image.tag=${NEXT_TAG}`) },
  "kubectl edit adds a sidecar container and removes an env var": {
    // The chart now renders a sidecar of the same name (another image): kubectl-replace must not own it.
    flags: [
      ...set("env.LOG_LEVEL=warn"),
      ...setJson("extraContainers", [
        {
          name: "log-shipper",
          image: "docker.io/fluent/fluent-bit:3.2.5",
          args: ["-c", "/fluent-bit/etc/fluent-bit.conf"],
        },
      ]),
    ],
  },
  "kubectl patch --type json removes one env var and adds another": {
    // DEBUG, which the drift added, is now rendered with another value.
    flags: ["--set-string", "env.WORKERS=8", "--set-string", "env.DEBUG=0"],
  },
  "kubectl set env changes an env var's value": { flags: set("env.LOG_LEVEL=warn") },
  "kubectl set resources raises the CPU limit": { flags: set("resources.limits.cpu=1500m") },
  "kubectl patch --type json removes a volume and its mount": { flags: set("cache.sizeLimit=512Mi") },
  "kubectl patch --type json drops runAsNonRoot from the pod securityContext": {
    flags: set("podSecurityContext.runAsNonRoot=false"),
  },
  "kubectl patch replaces the tolerations (an atomic list)": {
    flags: setJson("extraTolerations", [
      { key: "dedicated", operator: "Equal", value: "batch", effect: "NoSchedule" },
    ]),
  },
  "kubectl rollout restart only adds a pod-template annotation: no drift": {
    plain: "no drift: the restart annotation is not rendered, so there is no drifted field to change",
  },
  "kubectl scale changes spec.replicas through the scale subresource": { flags: set("replicaCount=3") },
  "an HPA scales the Deployment (scale subresource, manager kube-controller-manager)": {
    plain:
      "the plan leaves spec.replicas to the autoscaler (repair: leave): an upgrade that changes it would take it from the autoscaler",
  },
  "kubectl patch changes two ConfigMap data keys": {
    flags: setJson("config", { APP_MODE: "staging", "nginx.conf": "server {\n  listen 8081;\n}\n" }),
  },
  "kubectl patch deletes a ConfigMap data key": { flags: ["--set-string", "config.CACHE_TTL=600"] },
  "kubectl patch rotates a Secret key from data and one from stringData": {
    // api-token is rendered in data, config.json (from auth.adminUser) in stringData.
    flags: [...set("auth.apiToken=tok-next-0a1b2c3d4e5f"), ...set("auth.adminUser=operator")],
  },
  "kubectl delete removes the PodDisruptionBudget": { flags: set("pdb.minAvailable=2") },
  "another tool applies server-side and takes over the memory limit": {
    flags: set("resources.limits.memory=1536Mi"),
  },
  "kubectl annotate overwrites an Ingress annotation": {
    flags: setJson("ingress.annotations", { "nginx.ingress.kubernetes.io/proxy-body-size": "16m" }),
  },
  "kubectl apply (client-side) of an edited copy of the rendered Deployment changes the image": {
    flags: set(`image.tag=${NEXT_TAG}`),
  },
  "kubectl patch --type json grants the Role one more verb (an atomic RBAC list)": {
    flags: setJson("rbac.configVerbs", ["get"]),
  },
  "kubectl set selector points the Service at other pods": { flags: set("service.extraSelector.tier=web") },
  "kubectl label removes a label of the Service": { flags: set("versionLabel=2.8.2") },
  "kubectl patch --type json renumbers the Service port, keeping its name": { flags: set("service.port=81") },
  // Fields added by hand: the chart now renders the same field with another value.
  "kubectl patch adds a nodeSelector the chart does not render": {
    flags: setJson("nodeSelector", { "node.example.com/pool": "cpu" }),
  },
  "kubectl patch sets hostNetwork: true": { flags: set("hostNetwork=false") },
  "kubectl patch --type json adds privileged: true to the rendered container securityContext": {
    flags: set("securityContext.privileged=false"),
  },
  "kubectl patch adds a cosmetic annotation to the Deployment": {
    flags: setJson("deploymentAnnotations", { "example.com/owner-team": "checkout" }),
  },
};
