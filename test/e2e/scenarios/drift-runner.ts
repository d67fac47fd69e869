import { parseAllDocuments } from "yaml";
import { clusterBin, kubectlTimed, okTimed, repoPath, shTimed } from "../harness.js";
import { DRIFT_RELEASE, type DriftScenario, type PodTemplateOwner } from "./drift-scenarios.js";

/** A release to install: its name, the chart (a path in the repository) and a values file, if any. */
export interface ReleaseSpec {
  name: string;
  chart: string;
  values: string | null;
}

/**
 * Installs `release` in `namespace` with Helm 3 (client-side apply: three-way merges on upgrade) or Helm 4
 * (server-side apply, its default for new installs). Never waits for readiness: nothing runs pods here.
 */
export async function installRelease(
  release: ReleaseSpec,
  namespace: string,
  helm: "helm" | "helm4" = "helm",
): Promise<void> {
  const values = release.values ? ["-f", repoPath(release.values)] : [];
  await okTimed(
    clusterBin(helm),
    ["install", release.name, repoPath(release.chart), "-n", namespace, ...values],
    {
      timeoutMs: 60_000,
    },
  );
}

/**
 * Installs DRIFT_RELEASE in a fresh namespace, with Helm 3 unless `helm` says helm4 (no-false-positives.test.ts
 * shows both are in sync).
 */
export async function installDriftRelease(namespace: string, helm: "helm" | "helm4" = "helm"): Promise<void> {
  await installRelease(DRIFT_RELEASE, namespace, helm);
}

/**
 * Makes the scenario's drift in `namespace`, step by step, as a person would with kubectl. `release` names the
 * release whose manifest an `applyRendered` step reads (default DRIFT_RELEASE), with `helm` (default v3).
 */
export async function makeDrift(
  scenario: Pick<DriftScenario, "drift">,
  namespace: string,
  { release = DRIFT_RELEASE.name, helm = "helm" }: { release?: string; helm?: "helm" | "helm4" } = {},
): Promise<void> {
  for (const step of scenario.drift) {
    if ("applyRendered" in step) {
      const manifest = await okTimed(clusterBin(helm), ["get", "manifest", release, "-n", namespace]);
      const { kind, name } = step.applyRendered;
      // YAML 1.1, as Helm reads it: `defaultMode: 0400` is octal.
      const object = parseAllDocuments(manifest, { version: "1.1" })
        .map(
          (document) => document.toJS() as PodTemplateOwner & { kind?: string; metadata?: { name?: string } },
        )
        .find((candidate) => candidate?.kind === kind && candidate.metadata?.name === name);
      if (!object) throw new Error(`the release manifest has no ${kind}/${name}`);
      step.change(object);
      await kubectlTimed(["apply", "-n", namespace, "-f", "-"], { input: JSON.stringify(object) });
    } else if ("edit" in step) {
      const object = JSON.parse(await kubectlTimed(["get", step.edit, "-n", namespace, "-o", "json"]));
      step.change(object);
      await kubectlTimed(["replace", "-n", namespace, "-f", "-"], { input: JSON.stringify(object) });
    } else {
      await kubectlTimed([...step.kubectl, "-n", namespace], { input: step.stdin });
    }
  }
}

/**
 * Uninstalls a release once its test is done, pass or fail (register it before installing). The namespace
 * stays (it could never finish terminating), but its Services give their cluster IPs back — the shared test
 * cluster's service range is a /24 — and its cluster-scoped objects go. A release never installed is fine.
 */
export async function uninstallRelease(
  helmBin: "helm" | "helm4",
  release: string,
  namespace: string,
): Promise<void> {
  const result = await shTimed(clusterBin(helmBin), ["uninstall", release, "-n", namespace]);
  if (result.code !== 0 && !/not found/.test(result.stderr)) {
    throw new Error(
      `${helmBin} uninstall ${release} -n ${namespace} exited ${result.code}:\n${result.stderr}`,
    );
  }
}
