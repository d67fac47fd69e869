import { setMaxListeners } from "node:events";
import {
  helmListedNothingText,
  type NamespaceCheck,
  nothingCheckedText,
  timeoutText,
} from "../catalogue/messages.js";
import { ForbiddenError } from "../cluster/api-server-error.js";
import { BatchingReader } from "../cluster/batching-reader.js";
import type { ClusterReader } from "../cluster/cluster-reader.js";
import { KubeApiClient } from "../cluster/kube-api-client.js";
import { KubeClusterReader } from "../cluster/kube-cluster-reader.js";
import { loadKubeConfig } from "../cluster/kube-config.js";
import { DeadlineExceededError } from "../cluster/retry.js";
import { checkReleases, type ReleaseSelection } from "../core/check-releases.js";
import { HelmCommandError, HelmDriftError } from "../errors.js";
import type { DriftReport } from "../model/report.js";
import type { NoiseRules } from "../noise/finding-filter.js";
import { HelmCliReleaseSource } from "../sources/helm-cli.js";
import { releaseStorageSource } from "../sources/release-secrets-client.js";
import type { ReleaseStorage } from "../sources/release-secrets-source.js";
import type { CheckMode, CheckRequest } from "./check-options.js";
import { desiredSource, withDesiredFrom } from "./desired-source.js";
import { directStorage } from "./helm-driver.js";
import type { CliIo } from "./io.js";

/** A check that selected no release at all (`-n prodd`): not a success, unless --allow-empty. */
export class NothingCheckedError extends HelmDriftError {
  constructor(
    readonly namespace: string | null,
    readonly check: NamespaceCheck | null,
  ) {
    super(nothingCheckedText(namespace, check));
  }
}

/**
 * A check against a cluster: releases from Helm's release storage read directly or from helm (`--desired-from`),
 * live objects from the API server; the report says where the releases came from. The whole check ends at `--timeout` with one line naming what it was still reading; requests in flight are
 * abandoned then.
 */
export async function clusterReport(
  request: CheckRequest,
  mode: Exclude<CheckMode, { kind: "offline" }>,
  io: CliIo,
  noise: NoiseRules,
  onProgress?: (done: number, total: number) => void,
): Promise<DriftReport> {
  // Before anything is read: --desired-from secrets under a storage driver it cannot read is a usage error.
  const storage = directStorage(request.desiredFrom, io.env);
  const kubeConfig = loadKubeConfig({
    kubeconfig: request.cluster.kubeconfig,
    context: request.cluster.context,
    env: io.env,
  });
  const deadline = new AbortController();
  // Every helm process and request in flight listens on the deadline (up to --concurrency of each at once):
  // without this Node warns on stderr past 10 listeners, e.g. for `check -A --desired-from helm`.
  setMaxListeners(0, deadline.signal);
  const api = new KubeApiClient(kubeConfig, { signal: deadline.signal });
  // HELM_DRIFT_NO_BATCH (a diagnostic): one GET per object, as before batched reads (README).
  const reader = io.env.HELM_DRIFT_NO_BATCH
    ? new KubeClusterReader(api)
    : new BatchingReader(new KubeClusterReader(api));
  const desired = desiredSource(
    request.desiredFrom,
    storage,
    api,
    () =>
      new HelmCliReleaseSource({
        helmBin: request.cluster.helmBin,
        kubeconfig: request.cluster.kubeconfig,
        context: request.cluster.context,
        env: io.env,
        signal: deadline.signal,
      }),
  );
  const { source, helm } = desired;
  const currentNamespace = () =>
    kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace ?? "default";
  const selection: ReleaseSelection =
    mode.kind === "release"
      ? {
          kind: "named",
          source,
          releases: [{ name: mode.release, namespace: mode.namespace ?? currentNamespace() }],
        }
      : mode.kind === "namespaces"
        ? { kind: "listed-in", source, namespaces: mode.namespaces }
        : {
            kind: "listed",
            source,
            namespace: mode.kind === "all-namespaces" ? null : (mode.namespace ?? currentNamespace()),
          };
  const expired = () =>
    new DeadlineExceededError(
      timeoutText(request.timeout.text, api.server, api.pending(), helm?.pending() ?? []),
    );
  const report = await withinDeadline(request.timeout.ms, deadline, expired, async () => {
    const report = await checkReleases(selection, {
      reader,
      concurrency: request.concurrency,
      noise,
      onProgress,
    });
    if (report.releases.length > 0 || selection.kind !== "listed") return report;
    if (desired.used() === "helm" && storage !== null)
      await crossCheckEmptyHelmList(api, storage, selection.namespace);
    if (request.allowEmpty) return report;
    const namespace = selection.namespace;
    throw new NothingCheckedError(
      namespace,
      namespace === null ? null : await namespaceCheck(reader, namespace),
    );
  });
  return withDesiredFrom(report, desired.used());
}

/**
 * `helm list` found no release: read Helm's release storage (the Secrets or ConfigMaps HELM_DRIVER names)
 * directly before believing it. helm reads a malformed list (a proxy's 200 that is no list) as an empty one,
 * and an empty selection must not pass because of it. A storage helm-drift may not read (forbidden) cannot
 * contradict helm; any other failure to read it is reported as what it is.
 */
async function crossCheckEmptyHelmList(
  api: KubeApiClient,
  storage: ReleaseStorage,
  namespace: string | null,
): Promise<void> {
  let listed: number;
  try {
    listed = (await releaseStorageSource(api, storage).list(namespace)).length;
  } catch (error) {
    if (error instanceof ForbiddenError) return;
    throw error;
  }
  if (listed > 0) throw new HelmCommandError(helmListedNothingText(namespace, listed));
}

/** Whether `namespace` exists, by a GET of it; what stopped the GET when it cannot tell. */
async function namespaceCheck(reader: ClusterReader, namespace: string): Promise<NamespaceCheck> {
  try {
    const got = await reader.get({ apiVersion: "v1", kind: "Namespace", namespace: null, name: namespace });
    switch (got.status) {
      case "found":
        return { status: "exists" };
      case "not-found":
        return { status: "not-found" };
      case "forbidden":
      case "kind-not-served":
        return { status: "unknown", reason: got.reason };
    }
  } catch (error) {
    if (error instanceof DeadlineExceededError || !(error instanceof HelmDriftError)) throw error;
    return { status: "unknown", reason: error.message };
  }
}

/**
 * Runs `work`, or rejects with `expired()` after `ms`: the error is made when the time is up (so it names what
 * was still pending), then `deadline` is aborted with it, ending the requests and retry waits in flight.
 */
async function withinDeadline<T>(
  ms: number,
  deadline: AbortController,
  expired: () => Error,
  work: () => Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = expired();
      reject(error);
      deadline.abort(error);
    }, ms);
  });
  try {
    return await Promise.race([work(), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
