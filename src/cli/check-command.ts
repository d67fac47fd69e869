import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ObjectsClusterReader } from "../cluster/objects-cluster-reader.js";
import { checkReleases } from "../core/check-releases.js";
import { exitCodeFor } from "../core/exit-code.js";
import { offlineRelease } from "../core/offline-release.js";
import { InputError } from "../errors.js";
import type { DriftReport } from "../model/report.js";
import { DEFAULT_CONFIG_FILE, loadConfig } from "../noise/config-file.js";
import { NO_RULES, type NoiseRules } from "../noise/finding-filter.js";
import { reporters } from "../report/reporters.js";
import { parseLiveObjects } from "../sources/live-objects.js";
import { requireRenderedObjects } from "../sources/manifest-documents.js";
import { readInput } from "../sources/read-input.js";
import type { CheckRequest } from "./check-options.js";
import type { CliIo } from "./io.js";
import { progressLine, showsProgress } from "./progress.js";
import { useColor } from "./use-color.js";
import { VERSION } from "./version.js";
import { writeOutputs } from "./write-outputs.js";

/**
 * Runs a check and returns the exit code. Every requested report is rendered before anything is written, then
 * all are written at once (files atomically, stdout last), or none. Colour applies only to text on stdout.
 * A check against a cluster shows its progress on stderr when that is a terminal (src/cli/progress.ts).
 */
export async function runCheck(
  request: CheckRequest,
  io: CliIo,
  color: boolean | undefined,
  verbose: boolean,
): Promise<number> {
  // The config file is read and checked before anything is read from the cluster.
  const noise = await noiseRules(request.config, io);
  const progress = showsProgress({
    stderrIsTty: io.stderrIsTty ?? false,
    progress: request.progress,
    outputs: request.outputs,
  })
    ? progressLine(io.stderr)
    : null;
  let report: DriftReport;
  try {
    report = await produceReport(request, io, noise, progress?.update);
  } finally {
    // Erased before anything else is written: the report, or the error line main writes.
    progress?.end();
  }
  const stdoutColor = useColor(color, io.env, io.stdoutIsTty);
  const outputs = request.outputs.map(({ format, file }) => ({
    file,
    text: reporters[format](report, {
      color: file === null && stdoutColor,
      verbose,
      showIgnored: request.showIgnored,
      version: VERSION,
    }),
  }));
  await writeOutputs(outputs, io);
  return exitCodeFor(report, request.failOn);
}

/** The rules of `--config FILE`, else of `.helm-drift.yaml` in the working directory when there is one. */
export async function noiseRules(config: string | null, io: CliIo): Promise<NoiseRules> {
  const file =
    config ?? (existsSync(path.join(io.cwd ?? ".", DEFAULT_CONFIG_FILE)) ? DEFAULT_CONFIG_FILE : null);
  if (file === null) return NO_RULES;
  return loadConfig(file, await readConfigFile(path.resolve(io.cwd ?? ".", file), file));
}

async function readConfigFile(absolute: string, shown: string): Promise<string> {
  try {
    return await readFile(absolute, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(shown, code === "ENOENT" ? "no such file" : `cannot be read (${code ?? "error"})`);
  }
}

async function produceReport(
  request: CheckRequest,
  io: CliIo,
  noise: NoiseRules,
  onProgress: ((done: number, total: number) => void) | undefined,
): Promise<DriftReport> {
  const { mode } = request;
  if (mode.kind === "offline") {
    const [manifest, liveText] = await Promise.all([
      readInput(mode.manifest, io.readStdin),
      readInput(mode.live, io.readStdin),
    ]);
    const origin = mode.manifest === "-" ? "<stdin>" : mode.manifest;
    const documents = requireRenderedObjects(manifest, origin);
    const live = parseLiveObjects(liveText, mode.live === "-" ? "<stdin>" : mode.live);
    const release = offlineRelease({
      manifest,
      origin,
      documents,
      live,
      release: mode.release,
      namespace: mode.namespace,
    });
    return checkReleases(
      { kind: "given", releases: [release] },
      { reader: new ObjectsClusterReader(live), concurrency: request.concurrency, noise },
    );
  }
  // Loaded only for a cluster: importing @kubernetes/client-node alone costs about 3× a whole offline check
  // (bench/cli-startup.mjs), which an offline check (a pipeline step, a support bundle) should not pay.
  const { clusterReport } = await import("./cluster-report.js");
  return clusterReport(request, mode, io, noise, onProgress);
}
