import { ObjectsClusterReader } from "../cluster/objects-cluster-reader.js";
import { checkReleases } from "../core/check-releases.js";
import { exitCodeFor } from "../core/exit-code.js";
import { offlineRelease } from "../core/offline-release.js";
import type { DriftReport } from "../model/report.js";
import { reporters } from "../report/reporters.js";
import { parseLiveObjects } from "../sources/live-objects.js";
import { requireRenderedObjects } from "../sources/manifest-documents.js";
import { readInput } from "../sources/read-input.js";
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
    const origin = mode.manifest === "-" ? "<stdin>" : mode.manifest;
    requireRenderedObjects(manifest, origin);
    const live = parseLiveObjects(liveText, mode.live === "-" ? "<stdin>" : mode.live);
    const release = offlineRelease({
      manifest,
      origin,
      live,
      release: mode.release,
      namespace: mode.namespace,
    });
    return checkReleases(
      { kind: "given", releases: [release] },
      { reader: new ObjectsClusterReader(live), concurrency: request.concurrency },
    );
  }
  // Loaded only for a cluster: importing @kubernetes/client-node alone costs about 3× a whole offline check
  // (bench/cli-startup.mjs), which an offline check (a pipeline step, a support bundle) should not pay.
  const { clusterReport } = await import("./cluster-report.js");
  return clusterReport(request, mode, io);
}
