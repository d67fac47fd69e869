import { readFileSync } from "node:fs";
import { ObjectsClusterReader } from "../../../src/cluster/objects-cluster-reader.js";
import { checkReleases } from "../../../src/core/check-releases.js";
import { offlineRelease } from "../../../src/core/offline-release.js";
import { cloneJson } from "../../../src/model/clone-json.js";
import type { Finding } from "../../../src/model/finding.js";
import type { KubeObject } from "../../../src/model/kube.js";
import type { DriftReport, ResourceReport } from "../../../src/model/report.js";
import { parseLiveObjects } from "../../../src/sources/live-objects.js";
import { repoPath } from "../../helpers/repo-path.js";

/*
 * Reports the real core produces from the incident fixture (fixtures/incident/): release arc-runners/arc-runners,
 * whose AutoscalingRunnerSet lost serviceAccountName, initContainers and volumes and whose runner container
 * mounts the missing volume (4 findings). Variants edit the live side or a copy of the report.
 */
export const MANIFEST = readFileSync(repoPath("fixtures/incident/manifest.yaml"), "utf8");
export const LIVE = parseLiveObjects(
  readFileSync(repoPath("fixtures/incident/live.yaml"), "utf8"),
  "fixtures/incident/live.yaml",
);
export const RELEASE = { namespace: "arc-runners", name: "arc-runners" };
export const ARS_KEY = "actions.github.com/v1alpha1/AutoscalingRunnerSet/arc-runners/arc-runners";
export const SA = "spec.template.spec.serviceAccountName";
export const INIT = "spec.template.spec.initContainers";
export const VOLUMES = "spec.template.spec.volumes";
export const MOUNT =
  "spec.template.spec.containers[name=runner].volumeMounts[mountPath=/usr/local/kubectl-bin]";

/** The Secret's github_token as the release rendered it, and the one a variant puts live instead. */
export const RENDERED_TOKEN = "ZmFrZS1naC10b2tlbi1oZWxtLWRyaWZ0LWluY2lkZW50LTAwMDA=";
export const LIVE_TOKEN = Buffer.from("ghp_rotated-by-hand-0123456789abcdef").toString("base64");

/** The incident checked offline by the real core (release name and namespace from Helm's stamps). */
export async function incidentReport(
  options: { live?: KubeObject[]; manifest?: string } = {},
): Promise<DriftReport> {
  const live = options.live ?? LIVE;
  const release = offlineRelease({
    manifest: options.manifest ?? MANIFEST,
    origin: "fixtures/incident/manifest.yaml",
    live,
    release: null,
    namespace: null,
  });
  return checkReleases(
    { kind: "given", releases: [release] },
    { reader: new ObjectsClusterReader(live), now: () => new Date(0) },
  );
}

/** The incident, plus the Secret's token changed live to `token` (a value-changed finding, values masked). */
export function secretDriftReport(token = LIVE_TOKEN): Promise<DriftReport> {
  const live = LIVE.map((object) =>
    object.kind === "Secret" ? { ...cloneJson(object), data: { github_token: token } } : object,
  );
  return incidentReport({ live });
}

/** A ClusterRole `name` that grants `verbs` on pods. */
function clusterRole(name: string, verbs: string[]): KubeObject {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: {
      name,
      labels: { "app.kubernetes.io/managed-by": "Helm" },
      annotations: {
        "meta.helm.sh/release-name": "arc-runners",
        "meta.helm.sh/release-namespace": "arc-runners",
      },
    },
    rules: [{ apiGroups: [""], resources: ["pods"], verbs }],
  };
}

/**
 * The incident, plus a cluster-scoped ClusterRole `name` the release renders with verbs get and list on pods; live
 * it has the verbs `liveVerbs`, or does not exist (null).
 */
export function clusterScopedReport(name: string, liveVerbs: string[] | null): Promise<DriftReport> {
  const rendered = clusterRole(name, ["get", "list"]);
  const manifest = `${MANIFEST}---\n# Source: gha-runner-scale-set/templates/reader.yaml\n${JSON.stringify(rendered)}\n`;
  const live = liveVerbs === null ? LIVE : [...LIVE, clusterRole(name, liveVerbs)];
  return incidentReport({ live, manifest });
}

/** A copy of `report`, changed by `edit`. */
export function edited(report: DriftReport, edit: (copy: DriftReport) => void): DriftReport {
  const copy = cloneJson(report);
  edit(copy);
  return copy;
}

/** The resource of kind `kind` in the first release. */
export function resourceOf(report: DriftReport, kind: string): ResourceReport {
  const resource = report.releases[0]?.resources.find((candidate) => candidate.kind === kind);
  if (!resource) throw new Error(`no ${kind} in the report`);
  return resource;
}

/** The finding at `path` of the resource of kind `kind`. */
export function findingAt(report: DriftReport, kind: string, path: string): Finding {
  const finding = resourceOf(report, kind).findings.find((candidate) => candidate.path === path);
  if (!finding) throw new Error(`no finding at ${path} on ${kind}`);
  return finding;
}

/** The AutoscalingRunnerSet repaired at `path` (the finding dropped from a copy of the report). */
export function repairedAt(report: DriftReport, path: string): DriftReport {
  return edited(report, (copy) => {
    const ars = resourceOf(copy, "AutoscalingRunnerSet");
    ars.findings = ars.findings.filter((finding) => finding.path !== path);
    if (ars.findings.length === 0) ars.status = "InSync";
  });
}

/** The AutoscalingRunnerSet fully repaired: InSync with no findings. */
export function arsInSync(report: DriftReport): DriftReport {
  return edited(report, (copy) => {
    const ars = resourceOf(copy, "AutoscalingRunnerSet");
    ars.findings = [];
    ars.status = "InSync";
  });
}

/** The release could not be read this run: Error, no resources (as src/core/check-release.ts reports it). */
export function releaseFailed(report: DriftReport): DriftReport {
  return edited(report, (copy) => {
    const release = copy.releases[0];
    if (!release) throw new Error("no release");
    release.status = "Error";
    release.error = "release arc-runners: the API server answered 503";
    release.resources = [];
  });
}

/** The AutoscalingRunnerSet could not be read this run (forbidden): Unreadable, its release Incomplete. */
export function arsUnreadable(report: DriftReport): DriftReport {
  return edited(report, (copy) => {
    const release = copy.releases[0];
    if (release) release.status = "Incomplete";
    const ars = resourceOf(copy, "AutoscalingRunnerSet");
    ars.status = "Unreadable";
    ars.reason = { code: "forbidden", detail: "forbidden" };
    ars.findings = [];
  });
}
