import type { ClusterReader } from "../cluster/cluster-reader.js";
import { HelmDriftError } from "../errors.js";
import { HELM_RELEASE_API_VERSIONS, HELM_RELEASE_KIND } from "../model/flux-drift-detection.js";
import type { FluxIgnoreStatus, RuleOrigin } from "../model/ignore.js";
import { isPlainObject, type KubeObject } from "../model/kube.js";
import type { FluxOwner } from "../model/remediation.js";
import { compileIgnoreRule } from "./compile-rules.js";
import type { IgnoreRule } from "./ignore-rules.js";

/**
 * The `spec.driftDetection.ignore` rules of the Flux HelmRelease that manages a release, read through the
 * cluster reader (offline: from the live file, when it holds the HelmRelease). Forbidden or absent is a note
 * in the report, not an error: the findings those rules would ignore are then reported. A read that fails
 * (after the reader's retries) throws, so the release is an Error rather than a report that silently ignores
 * nothing.
 */
export async function helmReleaseRules(
  reader: ClusterReader,
  owner: FluxOwner,
): Promise<{ rules: IgnoreRule[]; status: FluxIgnoreStatus }> {
  let notServed: string | null = null;
  for (const apiVersion of HELM_RELEASE_API_VERSIONS) {
    const result = await reader.get({ apiVersion, kind: HELM_RELEASE_KIND, ...owner });
    switch (result.status) {
      case "found": {
        const rules = rulesOf(result.object, owner);
        return { rules, status: { status: "applied", rules: rules.length } };
      }
      case "not-found":
        return { rules: [], status: { status: "not-found", detail: null } };
      case "forbidden":
        return { rules: [], status: { status: "forbidden", detail: result.reason } };
      case "kind-not-served":
        notServed ??= result.reason;
    }
  }
  return { rules: [], status: { status: "not-found", detail: notServed } };
}

function rulesOf(helmRelease: KubeObject, owner: FluxOwner): IgnoreRule[] {
  const origin: RuleOrigin = { kind: "helm-release", ...owner };
  const spec = helmRelease.spec;
  const detection = isPlainObject(spec) ? spec.driftDetection : undefined;
  const ignore = isPlainObject(detection) ? detection.ignore : undefined;
  if (ignore === undefined || ignore === null) return [];
  if (!Array.isArray(ignore)) throw badRule(owner, "spec.driftDetection.ignore", "is not a list");
  return ignore.map((rule, index) => {
    try {
      return compileIgnoreRule(rule, origin, index);
    } catch (error) {
      throw badRule(owner, `spec.driftDetection.ignore[${index}]`, (error as Error).message);
    }
  });
}

function badRule(owner: FluxOwner, field: string, problem: string): HelmDriftError {
  return new HelmDriftError(`HelmRelease ${owner.namespace}/${owner.name}: ${field} ${problem}`);
}
