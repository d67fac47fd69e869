import { KubeClusterReader } from "../cluster/kube-cluster-reader.js";
import { loadKubeConfig } from "../cluster/kube-config.js";
import { checkReleases, type ReleaseSelection } from "../core/check-releases.js";
import type { DriftReport } from "../model/report.js";
import { HelmCliReleaseSource } from "../sources/helm-cli.js";
import { releaseSecretsSource } from "../sources/release-secrets-client.js";
import type { CheckMode, CheckRequest } from "./check-options.js";
import type { CliIo } from "./io.js";

/** A check against a cluster: releases from helm (or Helm's release Secrets), live objects from the API server. */
export async function clusterReport(
  request: CheckRequest,
  mode: Exclude<CheckMode, { kind: "offline" }>,
  io: CliIo,
): Promise<DriftReport> {
  const kubeConfig = loadKubeConfig({
    kubeconfig: request.cluster.kubeconfig,
    context: request.cluster.context,
    env: io.env,
  });
  const reader = new KubeClusterReader(kubeConfig);
  const source =
    request.desiredFrom === "secrets"
      ? releaseSecretsSource(kubeConfig)
      : new HelmCliReleaseSource({
          helmBin: request.cluster.helmBin,
          kubeconfig: request.cluster.kubeconfig,
          context: request.cluster.context,
          env: io.env,
        });
  const currentNamespace = () =>
    kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace ?? "default";
  const selection: ReleaseSelection =
    mode.kind === "release"
      ? {
          kind: "named",
          source,
          releases: [{ name: mode.release, namespace: mode.namespace ?? currentNamespace() }],
        }
      : {
          kind: "listed",
          source,
          namespace: mode.kind === "all-namespaces" ? null : (mode.namespace ?? currentNamespace()),
        };
  return checkReleases(selection, { reader, concurrency: request.concurrency });
}
