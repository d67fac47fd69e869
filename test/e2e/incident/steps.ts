import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { ReleaseReport, ResourceReport } from "../../../src/model/report.js";
import { clusterBin, corpusPath, type Result, repoPath, shTimed } from "../harness.js";

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

/**
 * The words of a remediation command as a POSIX shell would split them. helm-drift quotes with single quotes
 * and backslash (src/plan/shell.ts writes `'` as `'\''`), so that is all this needs to handle.
 */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  let quoted = false;
  for (let i = 0; i < command.length; i++) {
    const char = command[i] as string;
    if (quoted) {
      if (char === "'") quoted = false;
      else word += char;
    } else if (char === "'") {
      quoted = true;
      word ??= "";
    } else if (char === "\\") {
      // `'\''` is how shellWord writes a single quote: backslash escapes the next character.
      i++;
      word = (word ?? "") + (command[i] ?? "");
    } else if (char === " ") {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? "") + char;
    }
  }
  if (quoted) throw new Error(`shellWords: unterminated quote in ${command}`);
  if (word !== null) words.push(word);
  return words;
}
