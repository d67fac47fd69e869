import { ExecaError, execa } from "execa";
import { HelmCommandError, HelmUnavailableError, ReleaseNotFoundError } from "../errors.js";
import { isPlainObject } from "../model/kube.js";
import type { ReleaseData, ReleaseListing, ReleaseSource } from "../model/release.js";
import { splitChartReference } from "./chart-reference.js";

export interface HelmCliOptions {
  /** `--helm-bin`; else env `HELM_BIN` (Helm sets it for plugins); else `helm` on PATH. */
  helmBin?: string;
  kubeconfig?: string;
  context?: string;
  /**
   * The environment helm runs with (exactly this one: nothing of the process's own is added) and HELM_BIN is
   * read from. Required: only the CLI reads the process environment, and passes it here.
   */
  env: NodeJS.ProcessEnv;
}

interface HelmRun {
  ok: boolean;
  stdout: string;
  stderr: string;
  exitCode: number | undefined;
}

/** Helm prints warnings before its error; the `Error:` line is the one that says what went wrong. */
function errorLine(stderr: string): string {
  const lines = stderr.split("\n").map((line) => line.trim());
  return lines.find((line) => line.startsWith("Error:")) ?? lines.find((line) => line !== "") ?? "";
}

function chartFields(chart: { name: string | null; version: string | null }) {
  return { chartName: chart.name, chartVersion: chart.version };
}

function parseJsonOutput(stdout: string, command: string): unknown {
  try {
    return JSON.parse(stdout);
  } catch {
    throw new HelmCommandError(`helm ${command} printed output that is not JSON`);
  }
}

function revisionNumber(value: unknown): number | null {
  const revision = typeof value === "string" ? Number(value) : value;
  return typeof revision === "number" && Number.isInteger(revision) ? revision : null;
}

/** `list`, `history NAME`, `get manifest`: the words before the first flag, at most two (not `list --output`). */
function commandWords(args: string[]): string {
  const firstFlag = args.findIndex((arg) => arg.startsWith("-"));
  return args.slice(0, Math.min(2, firstFlag === -1 ? args.length : firstFlag)).join(" ");
}

function failureOf(args: string[], run: HelmRun, release?: { name: string; namespace: string }): Error {
  if (release && /release: not found/.test(run.stderr))
    return new ReleaseNotFoundError(release.name, release.namespace);
  const line = errorLine(run.stderr) || `exit code ${run.exitCode}`;
  return new HelmCommandError(`helm ${commandWords(args)} failed: ${line}`);
}

/** The highest revision `helm history -o json` reports as deployed, with its CHART column. */
function deployedRevision(history: unknown): { revision: number; chart: string } | null {
  if (!Array.isArray(history)) return null;
  let best: { revision: number; chart: string } | null = null;
  for (const entry of history) {
    if (!isPlainObject(entry) || entry.status !== "deployed") continue;
    const revision = revisionNumber(entry.revision);
    if (revision !== null && (best === null || revision > best.revision)) {
      best = { revision, chart: typeof entry.chart === "string" ? entry.chart : "" };
    }
  }
  return best;
}

/**
 * Releases through the helm binary (Helm 3 or 4), so helm's own storage driver, kubeconfig handling and
 * credentials apply.
 *
 * `list` passes `--deployed`: helm applies the state filter before keeping the newest revision per release, so
 * every listed release is one whose deployed revision exists, listed at that revision. A release whose newest
 * revision failed or is pending is listed at its deployed one; one that never deployed is not listed (it has
 * no manifest to compare with). `get` returns the same deployed revision.
 */
export class HelmCliReleaseSource implements ReleaseSource {
  readonly helmBin: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly globalArgs: string[];

  constructor(options: HelmCliOptions) {
    this.env = options.env;
    this.helmBin = options.helmBin || this.env.HELM_BIN || "helm";
    this.globalArgs = [
      ...(options.kubeconfig ? ["--kubeconfig", options.kubeconfig] : []),
      ...(options.context ? ["--kube-context", options.context] : []),
    ];
  }

  private async runRaw(args: string[]): Promise<HelmRun> {
    try {
      const result = await execa(this.helmBin, [...args, ...this.globalArgs], {
        env: this.env,
        extendEnv: false,
        stdin: "ignore",
        stripFinalNewline: false,
        maxBuffer: 1024 * 1024 * 1024,
      });
      return { ok: true, stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode };
    } catch (error) {
      if (!(error instanceof ExecaError)) throw error;
      if (error.code === "ENOENT" || error.code === "EACCES") {
        throw new HelmUnavailableError(
          `cannot run helm binary "${this.helmBin}" (${error.code}): install helm, or set --helm-bin or HELM_BIN to its path`,
          { cause: error },
        );
      }
      if (error.exitCode === undefined) throw error;
      return {
        ok: false,
        stdout: String(error.stdout ?? ""),
        stderr: String(error.stderr ?? ""),
        exitCode: error.exitCode,
      };
    }
  }

  /** Runs helm; a failure becomes ReleaseNotFoundError (for `release`) or HelmCommandError with helm's error line. */
  private async run(args: string[], release?: { name: string; namespace: string }): Promise<string> {
    const run = await this.runRaw(args);
    if (run.ok) return run.stdout;
    throw failureOf(args, run, release);
  }

  async list(namespace: string | null): Promise<ReleaseListing[]> {
    const scope = namespace === null ? ["--all-namespaces"] : ["--namespace", namespace];
    const stdout = await this.run(["list", "--output", "json", "--deployed", "--max", "0", ...scope]);
    const rows = parseJsonOutput(stdout, "list");
    if (!Array.isArray(rows)) throw new HelmCommandError("helm list printed JSON that is not a list");
    return rows.filter(isPlainObject).map((row) => ({
      name: String(row.name ?? ""),
      namespace: String(row.namespace ?? namespace ?? ""),
      revision: revisionNumber(row.revision),
      ...chartFields(splitChartReference(typeof row.chart === "string" ? row.chart : "")),
      status: String(row.status ?? ""),
    }));
  }

  /**
   * Chart name and version exactly as stored, from `helm get metadata` (Helm ≥ 3.13); null on older helm,
   * which does not know the command.
   */
  private async chartFromMetadata(
    name: string,
    namespace: string,
    revision: number,
  ): Promise<{ chartName: string | null; chartVersion: string | null } | null> {
    const args = [
      "get",
      "metadata",
      name,
      "--namespace",
      namespace,
      "--revision",
      String(revision),
      "--output",
      "json",
    ];
    const run = await this.runRaw(args);
    if (!run.ok && /unknown command "metadata"/.test(run.stderr)) return null;
    if (!run.ok) throw failureOf(args, run, { name, namespace });
    const metadata = parseJsonOutput(run.stdout, "get metadata");
    if (!isPlainObject(metadata)) return null;
    return {
      chartName: typeof metadata.chart === "string" ? metadata.chart : null,
      chartVersion: typeof metadata.version === "string" ? metadata.version : null,
    };
  }

  async get(name: string, namespace: string): Promise<ReleaseData> {
    const release = { name, namespace };
    const historyArgs = ["history", name, "--namespace", namespace, "--output", "json"];
    const deployed = deployedRevision(parseJsonOutput(await this.run(historyArgs, release), "history"));
    if (deployed === null) throw new ReleaseNotFoundError(name, namespace);
    const revision = String(deployed.revision);
    const [manifest, chart] = await Promise.all([
      this.run(["get", "manifest", name, "--namespace", namespace, "--revision", revision], release),
      this.chartFromMetadata(name, namespace, deployed.revision),
    ]);
    return {
      name,
      namespace,
      revision: deployed.revision,
      ...(chart ?? chartFields(splitChartReference(deployed.chart))),
      manifest,
      origin: `release ${namespace}/${name}`,
    };
  }
}
