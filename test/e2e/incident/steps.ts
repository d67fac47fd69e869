import { readFileSync } from "node:fs";
import { parse, parseAllDocuments } from "yaml";
import { groupOf, type ObjectRef } from "../../../src/model/kube.js";
import type { RemediationAction } from "../../../src/model/remediation.js";
import type { ReleaseReport, ResourceReport } from "../../../src/model/report.js";
import {
  clusterBin,
  corpusPath,
  helmDriftTimed,
  kubectlTimed,
  okTimed,
  type Result,
  repoPath,
  shTimed,
} from "../harness.js";

/** The release and the Flux HelmRelease of the incident are both called this (ars-*.yaml name its objects). */
export const RELEASE = "arc-runners";
export const CHART_PATH = corpusPath("arc/gha-runner-scale-set");
export const POST_RENDERER = repoPath("test/e2e/incident/flux-labels.mjs");

const values = parse(readFileSync(repoPath("test/e2e/incident/values.yaml"), "utf8")) as {
  githubConfigSecret: { github_token: string };
};
/** The fake GitHub token of values.yaml, and its base64 form as it sits in the Secret's data. */
export const TOKEN = values.githubConfigSecret.github_token;
export const TOKEN_BASE64 = Buffer.from(TOKEN).toString("base64");

/** Runs one step of test/e2e/incident/incident.sh (see its header), with helm v3 unless `helm` says otherwise. */
export function runIncidentStep(step: string, args: string[], helm = clusterBin("helm")): Promise<Result> {
  return shTimed("bash", [repoPath("test/e2e/incident/incident.sh"), step, ...args], {
    env: { HELM: helm },
    timeoutMs: 60_000,
  });
}

/** Like runIncidentStep; a step that fails fails the test with its output. Returns its stdout. */
export async function incidentStep(step: string, args: string[], helm = clusterBin("helm")): Promise<string> {
  const result = await runIncidentStep(step, args, helm);
  if (result.code !== 0) {
    throw new Error(
      `incident.sh ${step} ${args.join(" ")} exited ${result.code}:\n${result.stderr}${result.stdout}`,
    );
  }
  return result.stdout;
}

/** Helm flags that post-render Flux's labels naming HelmRelease `fluxNamespace`/arc-runners. */
export function postRendererFlags(fluxNamespace: string): string[] {
  return [
    "--post-renderer",
    POST_RENDERER,
    "--post-renderer-args",
    RELEASE,
    "--post-renderer-args",
    fluxNamespace,
  ];
}

/**
 * The whole incident in `namespace`: CRDs, the HelmRelease in `fluxNamespace`, helm install (revision 1),
 * the stale kubectl applies, and a helm upgrade that changes maxRunners (revision 2) and restores nothing.
 */
export async function stageIncident(namespace: string, fluxNamespace: string): Promise<void> {
  await incidentStep("crds", []);
  await incidentStep("helmrelease", [fluxNamespace, namespace]);
  await incidentStep("install", [namespace, fluxNamespace]);
  await incidentStep("stale-apply", [namespace]);
  await incidentStep("upgrade", [namespace, fluxNamespace, "--set-json", "maxRunners=6"]);
}

/** The resource of `release` with this kind (there is one of each in the incident chart). */
export function resourceOf(release: ReleaseReport | undefined, kind: string): ResourceReport {
  const resource = release?.resources.find((r) => r.kind === kind);
  if (!resource) throw new Error(`no ${kind} in the report of release ${release?.name ?? "(none)"}`);
  return resource;
}

/** How the test carries out a plan's steps where the real tool is not here or needs the test's context. */
export interface ActionContext {
  /** The chart to upgrade from when the step names only the chart's name (as its description says). */
  chart: string;
  /** Extra flags for helm upgrade (the post-renderer Flux would apply). */
  upgradeFlags: string[];
  /** The helm that manages the release: it reads release manifests and runs upgrades. Default helm v3. */
  helm?: "helm" | "helm4";
}

/**
 * Carries out one remediation step from its action data — no shell parsing — as a `helm-drift fix` would:
 * with kubectl, helm and helm-drift against the test cluster. There is no flux CLI here, so suspend and resume
 * are the kubectl patches the steps' descriptions name. Returns the helm-drift result for a `verify` step.
 * A command that fails fails the step, with the command's output.
 */
export async function executeAction(
  action: RemediationAction,
  context: ActionContext,
): Promise<Result | null> {
  switch (action.action) {
    case "flux-suspend":
    case "flux-resume": {
      const suspend = action.action === "flux-suspend";
      const { name, namespace } = action.helmRelease;
      const patch = JSON.stringify({ spec: { suspend } });
      await kubectlTimed(["patch", "helmrelease", name, "-n", namespace, "--type", "merge", "-p", patch]);
      return null;
    }
    case "delete":
      await kubectlTimed([
        "delete",
        resourceArg(action.target),
        action.target.name,
        ...namespaceArgs(action.target),
        ...(action.wait ? [] : ["--wait=false"]),
      ]);
      return null;
    case "json-patch": {
      const target = [resourceArg(action.target), action.target.name, ...namespaceArgs(action.target)];
      await kubectlTimed(["patch", ...target, "--type", "json", "-p", JSON.stringify(action.operations)]);
      return null;
    }
    case "helm-upgrade": {
      const chart = action.chartRefKnown ? action.chart : context.chart;
      const version = action.version ? ["--version", action.version] : [];
      const flags = [
        ...(action.reuseValues ? ["--reuse-values"] : []),
        ...(action.forceConflicts ? ["--force-conflicts"] : []),
        ...version,
        "-n",
        action.namespace,
      ];
      await okTimed(helmOf(context), ["upgrade", action.release, chart, ...flags, ...context.upgradeFlags], {
        timeoutMs: 60_000,
      });
      return null;
    }
    case "verify":
      return helmDriftTimed(["check", action.release, "-n", action.namespace, "--helm-bin", helmOf(context)]);
    case "server-side-apply": {
      const object = await applySource(action, context);
      for (const pointer of action.omit) removePointer(object, pointer);
      await kubectlTimed(
        [
          "apply",
          "--server-side",
          `--field-manager=${action.fieldManager}`,
          ...(action.forceConflicts ? ["--force-conflicts"] : []),
          ...namespaceArgs(action.target),
          "-f",
          "-",
        ],
        { input: JSON.stringify(object) },
      );
      return null;
    }
  }
}

function helmOf(context: ActionContext): string {
  return clusterBin(context.helm ?? "helm");
}

type ServerSideApply = Extract<RemediationAction, { action: "server-side-apply" }>;

/**
 * The object a server-side-apply step applies: the target's document of the stored release manifest, read with
 * `helm get manifest` and parsed as YAML 1.1, as Helm reads it (`defaultMode: 0400` is octal).
 */
async function applySource(
  action: ServerSideApply,
  context: ActionContext,
): Promise<Record<string, unknown>> {
  const { source, target } = action;
  if (source.from !== "release-manifest") {
    throw new Error(`the e2e executor has no rendered manifest to apply ${target.kind}/${target.name} from`);
  }
  const revision = source.revision === null ? [] : ["--revision", String(source.revision)];
  const manifest = await okTimed(helmOf(context), [
    "get",
    "manifest",
    source.release,
    "-n",
    source.namespace,
    ...revision,
  ]);
  const matches = parseAllDocuments(manifest, { version: "1.1" })
    .map((document) => document.toJS() as unknown)
    .filter(
      (object): object is Record<string, unknown> & { metadata?: { name?: string; namespace?: string } } => {
        if (typeof object !== "object" || object === null) return false;
        const candidate = object as {
          apiVersion?: string;
          kind?: string;
          metadata?: Record<string, unknown>;
        };
        const namespace = candidate.metadata?.namespace;
        return (
          candidate.apiVersion === target.apiVersion &&
          candidate.kind === target.kind &&
          candidate.metadata?.name === target.name &&
          (namespace === undefined || namespace === target.namespace)
        );
      },
    );
  if (matches.length !== 1) {
    throw new Error(
      `release ${source.release} (revision ${source.revision ?? "latest"}) has ${matches.length} documents for ${target.kind}/${target.name}, expected 1`,
    );
  }
  return matches[0] as Record<string, unknown>;
}

/** Deletes the field or list entry an RFC 6901 pointer names; a pointer to nothing is an error (a wrong plan). */
function removePointer(object: Record<string, unknown>, pointer: string): void {
  const tokens = pointer
    .split("/")
    .slice(1)
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"));
  const last = tokens.pop();
  let parent: unknown = object;
  for (const token of tokens) {
    parent = Array.isArray(parent)
      ? parent[Number(token)]
      : typeof parent === "object" && parent !== null
        ? (parent as Record<string, unknown>)[token]
        : undefined;
  }
  if (last === undefined || typeof parent !== "object" || parent === null || !(last in parent)) {
    throw new Error(`omit pointer ${pointer} names nothing in the rendered object`);
  }
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete (parent as Record<string, unknown>)[last];
}

/** kubectl's unambiguous type argument: `kind.group`, or the bare kind for the core group. */
function resourceArg(ref: ObjectRef): string {
  const group = groupOf(ref.apiVersion);
  return group === "" ? ref.kind.toLowerCase() : `${ref.kind.toLowerCase()}.${group}`;
}

function namespaceArgs(ref: ObjectRef): string[] {
  return ref.namespace ? ["-n", ref.namespace] : [];
}
