import { KubeClusterReader } from "../cluster/kube-cluster-reader.js";
import { loadKubeConfig } from "../cluster/kube-config.js";
import { ObjectsClusterReader } from "../cluster/objects-cluster-reader.js";
import { checkReleases, type ReleaseSelection } from "../core/check-releases.js";
import { exitCodeFor } from "../core/exit-code.js";
import { offlineRelease } from "../core/offline-release.js";
import type { DriftReport } from "../model/report.js";
import { reporters } from "../report/reporters.js";
import { HelmCliReleaseSource } from "../sources/helm-cli.js";
import { parseLiveObjects } from "../sources/live-objects.js";
import { readInput } from "../sources/read-input.js";
import { releaseSecretsSource } from "../sources/release-secrets-client.js";
import type { CheckRequest } from "./check-options.js";
import type { CliIo } from "./io.js";
import { useColor } from "./use-color.js";

/** Runs a check and returns the exit code; writes the whole report at once, or nothing. */
export async function runCheck(
  request: CheckRequest,
  io: CliIo,
  color: boolean | undefined,
  verbose: boolean,
): Promise<number> {
  const report = await produceReport(request, io);
  const render = reporters[request.output];
  io.stdout(render(report, { color: useColor(color, io.env, io.stdoutIsTty), verbose }));
  return exitCodeFor(report, request.failOn);
}

async function produceReport(request: CheckRequest, io: CliIo): Promise<DriftReport> {
  const { mode } = request;
  if (mode.kind === "offline") {
    const [manifest, liveText] = await Promise.all([
      readInput(mode.manifest, io.readStdin),
      readInput(mode.live, io.readStdin),
    ]);
    const live = parseLiveObjects(liveText, mode.live === "-" ? "<stdin>" : mode.live);
    const release = offlineRelease({
      manifest,
      origin: mode.manifest === "-" ? "<stdin>" : mode.manifest,
      live,
      release: mode.release,
      namespace: mode.namespace,
    });
    return checkReleases(
      { kind: "given", releases: [release] },
      { reader: new ObjectsClusterReader(live), concurrency: request.concurrency },
    );
  }
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
          helmBin: request.cluster.helmBin ?? io.env.HELM_BIN ?? "helm",
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
