import { readFileSync } from "node:fs";
import jsonPatch, { type Operation } from "fast-json-patch";
import { describe, expect, it } from "vitest";
import type { ClusterReader } from "../../../src/cluster/cluster-reader.js";
import { ObjectsClusterReader } from "../../../src/cluster/objects-cluster-reader.js";
import { checkReleases } from "../../../src/core/check-releases.js";
import { exitCodeFor } from "../../../src/core/exit-code.js";
import { offlineRelease } from "../../../src/core/offline-release.js";
import { HelmDriftError } from "../../../src/errors.js";
import type { KubeObject } from "../../../src/model/kube.js";
import type { RemediationAction } from "../../../src/model/remediation.js";
import type { DriftReport, ResourceReport } from "../../../src/model/report.js";
import { compileIgnoreRule, compileSeverityOverride } from "../../../src/noise/compile-rules.js";
import type { NoiseRules } from "../../../src/noise/finding-filter.js";
import { parseLiveObjects } from "../../../src/sources/live-objects.js";
import { checkOne } from "../../helpers/check-one.js";
import { corpusPath } from "../../helpers/corpus.js";
import { repoPath } from "../../helpers/repo-path.js";

// The incident (fixtures/incident/): the AutoscalingRunnerSet lost serviceAccountName, initContainers and
// volumes, and its runner container mounts the missing volume (4 findings). Flux manages the release.
const MANIFEST = readFileSync(repoPath("fixtures/incident/manifest.yaml"), "utf8");
const LIVE = parseLiveObjects(
  readFileSync(repoPath("fixtures/incident/live.yaml"), "utf8"),
  "fixtures/incident/live.yaml",
);
const ORIGIN = { kind: "config", file: ".helm-drift.yaml" } as const;
const SA = "spec.template.spec.serviceAccountName";
const INIT = "spec.template.spec.initContainers";
const VOLUMES = "spec.template.spec.volumes";
const MOUNT = "spec.template.spec.containers[name=runner].volumeMounts[mountPath=/usr/local/kubectl-bin]";

function rules(partial: {
  ignore?: unknown[];
  ignoreManagers?: string[];
  severityOverrides?: Record<string, unknown>[];
}): NoiseRules {
  return {
    ignore: (partial.ignore ?? []).map((rule, index) => compileIgnoreRule(rule, ORIGIN, index)),
    ignoreManagers: (partial.ignoreManagers ?? []).map((manager) => ({ manager, origin: ORIGIN })),
    severityOverrides: (partial.severityOverrides ?? []).map((rule, index) =>
      compileSeverityOverride(rule, ORIGIN, index),
    ),
  };
}

async function checkIncident(
  noise: NoiseRules,
  options: { live?: KubeObject[]; reader?: ClusterReader; manifest?: string } = {},
): Promise<{ report: DriftReport; ars: ResourceReport }> {
  const live = options.live ?? LIVE;
  const release = offlineRelease({
    manifest: options.manifest ?? MANIFEST,
    origin: "manifest.yaml",
    live,
    release: null,
    namespace: null,
  });
  const report = await checkReleases(
    { kind: "given", releases: [release] },
    { reader: options.reader ?? new ObjectsClusterReader(live), noise, now: () => new Date(0) },
  );
  const ars = report.releases[0]?.resources.find((r) => r.kind === "AutoscalingRunnerSet");
  if (!ars) throw new Error("no AutoscalingRunnerSet in the report");
  return { report, ars };
}

const paths = (resource: ResourceReport) => resource.findings.map((finding) => finding.path);
const ignoredPaths = (resource: ResourceReport) =>
  (resource.ignoredFindings ?? []).map(({ finding }) => finding.path);

describe("ignore rules in Flux's driftDetection.ignore syntax", () => {
  const saRule = (target?: Record<string, string>) => ({
    paths: ["/spec/template/spec/serviceAccountName"],
    ...(target ? { target } : {}),
  });
  const cases: { name: string; rule: unknown; ignored: string[] }[] = [
    { name: "no target: every object", rule: saRule(), ignored: [SA] },
    { name: "kind regex", rule: saRule({ kind: "Autoscaling.*" }), ignored: [SA] },
    {
      name: "kind is anchored, as Flux anchors it",
      rule: saRule({ kind: "AutoscalingRunner" }),
      ignored: [],
    },
    { name: "kind with (?i)", rule: saRule({ kind: "(?i)autoscalingrunnerset" }), ignored: [SA] },
    { name: "name and namespace", rule: saRule({ name: "arc-.*", namespace: "arc-runners" }), ignored: [SA] },
    { name: "another namespace", rule: saRule({ namespace: "prod" }), ignored: [] },
    {
      name: "group and version",
      rule: saRule({ group: "actions\\.github\\.com", version: "v1.*" }),
      ignored: [SA],
    },
    { name: "another group", rule: saRule({ group: "apps" }), ignored: [] },
    {
      name: "label selector",
      rule: saRule({ labelSelector: "app.kubernetes.io/component=autoscaling-runner-set,helm.sh/chart" }),
      ignored: [SA],
    },
    {
      name: "label selector that does not hold",
      rule: saRule({ labelSelector: "tier in (web)" }),
      ignored: [],
    },
    {
      name: "annotation selector",
      rule: saRule({
        annotationSelector: "actions.github.com/cleanup-manager-role-name=arc-runners-gha-rs-manager",
      }),
      ignored: [SA],
    },
    {
      name: "a pointer covers what is below it",
      rule: { paths: ["/spec/template/spec"] },
      ignored: [MOUNT, SA, INIT, VOLUMES],
    },
    {
      name: "a pointer below a finding does not cover it (part of it is still drift)",
      rule: { paths: ["/spec/template/spec/volumes/0/name"] },
      ignored: [],
    },
    {
      name: "a sibling prefix is not a parent",
      rule: { paths: ["/spec/template/spec/volume"] },
      ignored: [],
    },
  ];
  it.each(cases)("$name", async ({ rule, ignored }) => {
    const { ars, report } = await checkIncident(rules({ ignore: [rule] }));
    expect(ignoredPaths(ars).sort()).toEqual([...ignored].sort());
    expect(paths(ars)).toHaveLength(4 - ignored.length);
    for (const path of ignored) expect(paths(ars)).not.toContain(path);
    expect(report.summary.ignored).toBe(ignored.length);
    expect(report.summary.findings).toBe(4 - ignored.length);
  });

  it('"" ignores the whole object: it is in sync, its four findings counted as ignored', async () => {
    const { ars, report } = await checkIncident(
      rules({ ignore: [{ paths: [""], target: { kind: "AutoscalingRunnerSet" } }] }),
    );
    expect(ars.status).toBe("InSync");
    expect(ars.remediation).toBeNull();
    expect(ars.diff).toBeNull();
    expect(ars.ignoredFindings?.map(({ ignoredBy }) => ignoredBy)).toEqual(
      Array(4).fill({ by: "path-rule", origin: ORIGIN, index: 0, path: "" }),
    );
    expect(report.releases[0]?.status).toBe("InSync");
    expect(exitCodeFor(report, "info")).toBe(0);
  });

  it('"" on an object that is missing live drops the missing object too', async () => {
    const live = LIVE.filter((object) => object.kind !== "AutoscalingRunnerSet");
    const without = await checkIncident(rules({}), { live });
    expect(without.ars.status).toBe("Missing");
    const { ars, report } = await checkIncident(
      rules({ ignore: [{ paths: [""], target: { kind: "Autoscaling.*" } }] }),
      {
        live,
      },
    );
    expect(ars.status).toBe("InSync");
    expect(ignoredPaths(ars)).toEqual([""]);
    expect(exitCodeFor(report, "info")).toBe(0);
  });

  it("the exit code and --fail-on look only at what is not ignored", async () => {
    // Left: the critical broken mount (a consequence of the missing volume, which is ignored).
    const onlyLow = await checkIncident(
      rules({
        ignore: [{ paths: ["/spec/template/spec/serviceAccountName", "/spec/template/spec/initContainers"] }],
        severityOverrides: [
          { code: "volume-mount-broken", severity: "low" },
          { code: "list-missing", severity: "low" },
        ],
      }),
    );
    expect(onlyLow.report.summary.bySeverity).toMatchObject({ critical: 0, high: 0, low: 2 });
    expect(exitCodeFor(onlyLow.report, "high")).toBe(0);
    expect(exitCodeFor(onlyLow.report, "low")).toBe(2);
  });
});

describe("Flux's opt-out: helm.toolkit.fluxcd.io/driftDetection: disabled", () => {
  const KEY = "helm.toolkit.fluxcd.io/driftDetection";
  const withMetadata = (objects: KubeObject[], map: "annotations" | "labels", value: string) =>
    objects.map((object) =>
      object.kind === "AutoscalingRunnerSet"
        ? { ...object, metadata: { ...object.metadata, [map]: { ...object.metadata[map], [KEY]: value } } }
        : object,
    );
  const cases = [
    {
      name: "annotation on the live object",
      map: "annotations",
      value: "disabled",
      ignored: true,
      on: "live",
    },
    { name: "label on the live object", map: "labels", value: "disabled", ignored: true, on: "live" },
    {
      name: "another value is not the opt-out",
      map: "annotations",
      value: "enabled",
      ignored: false,
      on: "live",
    },
  ] as const;
  it.each(cases)("$name", async ({ map, value, ignored, on }) => {
    const { ars } = await checkIncident(rules({}), { live: withMetadata(LIVE, map, value) });
    expect(ars.status).toBe(ignored ? "InSync" : "Drifted");
    if (ignored) {
      expect(ars.ignoredFindings?.[0]?.ignoredBy).toEqual({ by: "opt-out", on, metadata: map });
    }
  });

  it("an annotation the chart renders opts the object out too, with no config file", async () => {
    const manifest = MANIFEST.replace(
      "  annotations:\n    actions.github.com/values-hash",
      `  annotations:\n    ${KEY}: disabled\n    actions.github.com/values-hash`,
    );
    expect(manifest).not.toBe(MANIFEST);
    const { ars } = await checkIncident(rules({}), { manifest });
    // Five: the four of the incident, and the opt-out annotation itself, which is not live either.
    expect(ars.ignoredFindings?.map(({ ignoredBy }) => ignoredBy)).toEqual(
      Array(5).fill({ by: "opt-out", on: "rendered", metadata: "annotations" }),
    );
    expect(ars.status).toBe("InSync");
  });
});

describe("the Flux HelmRelease's own ignore rules", () => {
  const helmRelease = (ignore: unknown): KubeObject => ({
    apiVersion: "helm.toolkit.fluxcd.io/v2",
    kind: "HelmRelease",
    metadata: { name: "arc-runners", namespace: "flux-system" },
    spec: { chart: { spec: { chart: "gha-runner-scale-set" } }, driftDetection: { mode: "enabled", ignore } },
  });

  it("are read through the reader and applied after the config's", async () => {
    const live = [
      ...LIVE,
      helmRelease([{ paths: ["/spec/template/spec/volumes"], target: { kind: "AutoscalingRunnerSet" } }]),
    ];
    const { ars, report } = await checkIncident(rules({}), { live });
    expect(report.releases[0]?.fluxIgnore).toEqual({ status: "applied", rules: 1 });
    expect(ars.ignoredFindings?.map(({ ignoredBy }) => ignoredBy)).toEqual([
      {
        by: "path-rule",
        origin: { kind: "helm-release", name: "arc-runners", namespace: "flux-system" },
        index: 0,
        path: "/spec/template/spec/volumes",
      },
    ]);
  });

  it("a HelmRelease that is not there is noted, and nothing is ignored", async () => {
    const { ars, report } = await checkIncident(rules({}));
    expect(report.releases[0]?.fluxIgnore).toEqual({ status: "not-found", detail: null });
    expect(paths(ars)).toHaveLength(4);
  });

  it("a reader that may not get HelmReleases notes it, and the findings stay reported", async () => {
    const reader = forbiddingHelmReleases(
      new ObjectsClusterReader([...LIVE, helmRelease([{ paths: [""] }])]),
    );
    const { ars, report } = await checkIncident(rules({}), { reader });
    expect(report.releases[0]?.fluxIgnore).toEqual({
      status: "forbidden",
      detail: "helmreleases is forbidden",
    });
    expect(paths(ars)).toHaveLength(4);
  });

  it("a HelmRelease read that fails is an error for the release, never a report that ignores nothing", async () => {
    const inner = new ObjectsClusterReader(LIVE);
    const reader: ClusterReader = Object.assign(Object.create(inner) as ClusterReader, {
      get: async (ref: Parameters<ClusterReader["get"]>[0]) => {
        if (ref.kind === "HelmRelease")
          throw new HelmDriftError("reading HelmRelease flux-system/arc-runners: 503");
        return inner.get(ref);
      },
    });
    const { report } = await checkReleases(
      {
        kind: "given",
        releases: [
          offlineRelease({ manifest: MANIFEST, origin: "m", live: LIVE, release: null, namespace: null }),
        ],
      },
      { reader },
    ).then((r) => ({ report: r }));
    expect(report.releases[0]).toMatchObject({ status: "Error", error: expect.stringContaining("503") });
    expect(exitCodeFor(report, "critical")).toBe(1);
  });

  it("a rule Flux would refuse makes the release an Error naming the HelmRelease and the rule", async () => {
    const live = [...LIVE, helmRelease([{ paths: ["/spec"], target: { name: "(?=x)" } }])];
    const { report } = await checkIncident(rules({})).then(() =>
      checkReleases(
        {
          kind: "given",
          releases: [
            offlineRelease({ manifest: MANIFEST, origin: "m", live, release: null, namespace: null }),
          ],
        },
        { reader: new ObjectsClusterReader(live) },
      ).then((r) => ({ report: r })),
    );
    expect(report.releases[0]?.error).toBe(
      "HelmRelease flux-system/arc-runners: spec.driftDetection.ignore[0] target.name: is not a regular expression Flux accepts: lookaround (?= (?! (?<= (?<! is not RE2 syntax",
    );
  });
});

function forbiddingHelmReleases(inner: ClusterReader): ClusterReader {
  return Object.assign(Object.create(inner) as ClusterReader, {
    get: async (ref: Parameters<ClusterReader["get"]>[0]) =>
      ref.kind === "HelmRelease"
        ? { status: "forbidden", reason: "helmreleases is forbidden" }
        : inner.get(ref),
  });
}

describe("ignoreManagers and severity overrides", () => {
  const load = (relative: string): KubeObject => {
    const file = corpusPath(relative);
    const [object] = parseLiveObjects(readFileSync(file, "utf8"), file);
    if (!object) throw new Error(`no object in ${relative}`);
    return object;
  };
  // argoproj/argo-cd util/argo testdata: replicas last written by kube-controller-manager.
  const desired = () => load("live-vs-desired/argo-cd-util-argo/desired_deployment.yaml");
  const live = () => load("live-vs-desired/argo-cd-util-argo/live_deployment_with_managed_replica.yaml");

  it("a field whose live owner is an ignored manager is not drift", async () => {
    const before = await checkOne(desired(), live());
    expect(paths(before.resource)).toContain("spec.replicas");
    const { resource } = await checkOne(desired(), live(), {
      noise: rules({ ignoreManagers: ["kube-controller-manager"] }),
    });
    expect(paths(resource)).not.toContain("spec.replicas");
    expect(resource.ignoredFindings?.map(({ ignoredBy }) => ignoredBy)).toContainEqual({
      by: "manager",
      origin: ORIGIN,
      manager: "kube-controller-manager",
    });
  });

  const overrides: { name: string; rule: Record<string, unknown>; severity: string | null }[] = [
    { name: "by code", rule: { code: "value-changed", severity: "critical" }, severity: "critical" },
    { name: "by path", rule: { path: "/spec/replicas", severity: "info" }, severity: "info" },
    {
      name: "by code and path, both hold",
      rule: { code: "value-changed", path: "/spec", severity: "low" },
      severity: "low",
    },
    {
      name: "by code and path, one fails",
      rule: { code: "entry-extra", path: "/spec/replicas", severity: "low" },
      severity: null,
    },
    {
      name: "with a target that holds",
      rule: { path: "/spec/replicas", target: { kind: "Deployment" }, severity: "high" },
      severity: "high",
    },
    {
      name: "with a target that does not",
      rule: { path: "/spec/replicas", target: { kind: "StatefulSet" }, severity: "high" },
      severity: null,
    },
  ];
  it.each(overrides)("severity override $name", async ({ rule, severity }) => {
    const before = (await checkOne(desired(), live())).resource.findings.find(
      (f) => f.path === "spec.replicas",
    );
    const { resource } = await checkOne(desired(), live(), { noise: rules({ severityOverrides: [rule] }) });
    const replicas = resource.findings.find((f) => f.path === "spec.replicas");
    if (severity === null) {
      expect(replicas?.severity).toBe(before?.severity);
      expect(replicas?.severityRule).toBe(before?.severityRule);
    } else {
      expect(replicas).toMatchObject({
        severity,
        severityRule: "severity-override",
        severityOverride: { origin: ORIGIN, index: 0 },
      });
    }
  });
});

describe("a repair plan never touches an ignored field", () => {
  const stepsOf = (resource: ResourceReport): RemediationAction[] => [
    ...(resource.remediation?.steps ?? []),
    ...(resource.remediation?.alternatives.flatMap((alternative) => alternative.steps) ?? []),
  ];

  it("a custom resource is patched, not re-created, and the patch leaves the ignored field as it is live", async () => {
    const { ars } = await checkIncident(
      rules({ ignore: [{ paths: ["/spec/template/spec/serviceAccountName"] }] }),
    );
    expect(ars.remediation).toMatchObject({ strategy: "patch", reason: { code: "patch-keeps-ignored" } });
    const steps = stepsOf(ars);
    expect(steps.map((step) => step.action)).not.toContain("delete");
    expect(steps.map((step) => step.action)).not.toContain("helm-upgrade");
    const patch = steps.find((step) => step.action === "json-patch");
    if (patch?.action !== "json-patch") throw new Error("no json-patch step");
    const liveArs = LIVE.find((object) => object.kind === "AutoscalingRunnerSet");
    const repaired = jsonPatch.applyPatch(structuredClone(liveArs), patch.operations as Operation[])
      .newDocument as KubeObject;
    const pod = (repaired.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    expect(pod.serviceAccountName).toBeUndefined();
    expect(pod.volumes).toBeDefined();
    expect(pod.initContainers).toBeDefined();
  });

  it("a Secret is re-applied without the ignored key, and never deleted", async () => {
    const secretManifest = [
      "# Source: demo/templates/secret.yaml",
      "apiVersion: v1",
      "kind: Secret",
      "metadata: {name: creds, namespace: shop}",
      "stringData: {user: admin, password: from-chart}",
    ].join("\n");
    const liveSecret: KubeObject = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: "creds",
        namespace: "shop",
        annotations: { "meta.helm.sh/release-name": "demo", "meta.helm.sh/release-namespace": "shop" },
      },
      data: {
        user: Buffer.from("root").toString("base64"),
        password: Buffer.from("rotated").toString("base64"),
      },
    };
    const release = offlineRelease({
      manifest: secretManifest,
      origin: "m",
      live: [liveSecret],
      release: "demo",
      namespace: "shop",
    });
    const report = await checkReleases(
      { kind: "given", releases: [{ ...release, chartName: "demo", chartVersion: "1.0.0", revision: 2 }] },
      {
        reader: new ObjectsClusterReader([liveSecret]),
        noise: rules({ ignore: [{ paths: ["/data/password"], target: { kind: "Secret" } }] }),
      },
    );
    const secret = report.releases[0]?.resources[0];
    if (!secret) throw new Error("no Secret reported");
    expect(paths(secret)).toEqual(["data.user"]);
    expect(ignoredPaths(secret)).toEqual(["data.password"]);
    const steps = stepsOf(secret);
    expect(steps.map((step) => step.action)).not.toContain("delete");
    const apply = steps.find((step) => step.action === "server-side-apply");
    expect(apply).toMatchObject({ omit: ["/data/password"] });
    expect(JSON.stringify(report)).not.toContain("rotated");
    expect(JSON.stringify(report)).not.toContain(Buffer.from("rotated").toString("base64"));
  });
});
