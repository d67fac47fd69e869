import { ExecaError, execa } from "execa";
import {
  HelmCommandError,
  HelmUnavailableError,
  NoDeployedRevisionError,
  ReleaseNotFoundError,
} from "../errors.js";
import { hideFieldErrorValues } from "../mask/field-error-values.js";
import { isPlainObject } from "../model/kube.js";
import {
  type ChartTemplate,
  chooseRevision,
  LISTED_RELEASE_STATUSES,
  type ReleaseData,
  type ReleaseListing,
  type ReleaseSource,
} from "../model/release.js";
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
  /** The run's deadline (`--timeout`): aborting it stops the helm process in flight. */
  signal?: AbortSignal;
}

interface HelmRun {
  ok: boolean;
  stdout: string;
  stderr: string;
  exitCode: number | undefined;
}

/**
 * Helm prints warnings before its error; the `Error:` line is the one that says what went wrong. Only that
 * line is passed on: helm's other stderr (warnings, --debug output, a plugin's or a post-renderer's output)
 * can quote rendered values, Secret data among them, so without an `Error:` line nothing is (the caller
 * falls back to the exit code). In that line, a value an API-server field error quotes (a refused Secret's
 * `Invalid value: "…"`) is masked (src/mask/field-error-values.ts).
 */
function errorLine(stderr: string): string {
  const lines = stderr.split("\n").map((line) => line.trim());
  return hideFieldErrorValues(lines.find((line) => line.startsWith("Error:")) ?? "");
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

interface HistoryEntry {
  revision: number;
  status: string;
  /** The CHART column, `name-version`. */
  chart: string;
  description: string;
}

/** The revisions `helm history -o json` prints (revision a number, unlike `helm list`'s string). */
function historyEntries(history: unknown): HistoryEntry[] {
  if (!Array.isArray(history)) throw new HelmCommandError("helm history printed JSON that is not a list");
  return history.filter(isPlainObject).flatMap((entry) => {
    const revision = revisionNumber(entry.revision);
    if (revision === null) return [];
    return [
      {
        revision,
        status: String(entry.status ?? ""),
        chart: typeof entry.chart === "string" ? entry.chart : "",
        // Helm's words on a failed revision can quote a value the API server refused (a Secret's, say).
        description: typeof entry.description === "string" ? hideFieldErrorValues(entry.description) : "",
      },
    ];
  });
}

/**
 * `helm list` flags keeping the statuses of LISTED_RELEASE_STATUSES. Both Helm 3.22 and 4.3 keep the newest
 * revision per release first and filter by state after, so `--deployed` alone drops a release whose newest
 * revision failed or is pending. `--all` is no answer: Helm 4 has no such flag (it lists every state by
 * default) and it would list uninstalled releases too.
 */
const LIST_STATES = ["--deployed", "--failed", "--pending", "--superseded"];

/**
 * Releases through the helm binary (Helm 3 or 4), so helm's own storage driver, kubeconfig handling and
 * credentials apply.
 *
 * `list` gives every release at its newest revision, whatever that revision's state, except those uninstalled
 * (or being uninstalled) with `helm uninstall --keep-history`: their objects are gone, nothing live is left to
 * compare. `get` reads `helm history` and returns the last deployed revision, with the newest one when that
 * is newer (an upgrade or rollback that failed or is pending); a release that never deployed is a
 * NoDeployedRevisionError, one uninstalled is not found.
 */
export class HelmCliReleaseSource implements ReleaseSource {
  readonly helmBin: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly globalArgs: string[];
  private readonly signal: AbortSignal | undefined;
  /** The helm commands running now (`helm history web`), for a deadline's message. */
  private readonly running = new Map<string, number>();

  constructor(options: HelmCliOptions) {
    this.env = options.env;
    this.signal = options.signal;
    this.helmBin = options.helmBin || this.env.HELM_BIN || "helm";
    this.globalArgs = [
      ...(options.kubeconfig ? ["--kubeconfig", options.kubeconfig] : []),
      ...(options.context ? ["--kube-context", options.context] : []),
    ];
  }

  /** The helm commands not finished yet, oldest first (`helm get manifest web`). */
  pending(): string[] {
    return [...this.running.keys()];
  }

  private async runRaw(args: string[]): Promise<HelmRun> {
    const words = `helm ${commandWords(args)}`;
    this.running.set(words, (this.running.get(words) ?? 0) + 1);
    try {
      return await this.execute(args);
    } finally {
      const left = (this.running.get(words) ?? 1) - 1;
      if (left === 0) this.running.delete(words);
      else this.running.set(words, left);
    }
  }

  private async execute(args: string[]): Promise<HelmRun> {
    try {
      const result = await execa(this.helmBin, [...args, ...this.globalArgs], {
        env: this.env,
        extendEnv: false,
        stdin: "ignore",
        stripFinalNewline: false,
        maxBuffer: 1024 * 1024 * 1024,
        ...(this.signal ? { cancelSignal: this.signal } : {}),
      });
      return { ok: true, stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode };
    } catch (error) {
      if (!(error instanceof ExecaError)) throw error;
      // Stopped at the run's deadline: the deadline's own error says what was still waiting.
      if (error.isCanceled && this.signal?.aborted) throw this.signal.reason;
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
    const stdout = await this.run(["list", "--output", "json", ...LIST_STATES, "--max", "0", ...scope]);
    const rows = parseJsonOutput(stdout, "list");
    if (!Array.isArray(rows)) throw new HelmCommandError("helm list printed JSON that is not a list");
    return rows
      .filter(isPlainObject)
      .map((row) => ({
        name: String(row.name ?? ""),
        namespace: String(row.namespace ?? namespace ?? ""),
        revision: revisionNumber(row.revision),
        ...chartFields(splitChartReference(typeof row.chart === "string" ? row.chart : "")),
        status: String(row.status ?? ""),
      }))
      .filter((listing) => LISTED_RELEASE_STATUSES.has(listing.status));
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
    const history = historyEntries(parseJsonOutput(await this.run(historyArgs, release), "history"));
    const choice = chooseRevision(history);
    if (choice.kind === "absent") throw new ReleaseNotFoundError(name, namespace);
    if (choice.kind === "undeployed") {
      const { revision, status } = choice.newest;
      throw new NoDeployedRevisionError(name, namespace, { revision, status });
    }
    const { deployed, newer } = choice;
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
      newerRevision:
        newer === null
          ? null
          : { revision: newer.revision, status: newer.status, description: newer.description },
      templates: () => this.templates(name, namespace, deployed.revision),
    };
  }

  /**
   * The chart templates the revision recorded. No helm command prints them, but `helm get all --template`
   * runs a Go template over the stored release (`.Release.Chart.Templates`, Helm 3 and 4); it prints each
   * template's name and bytes as hex, so no separator can collide with a template's text.
   */
  private async templates(name: string, namespace: string, revision: number): Promise<ChartTemplate[]> {
    const template = `{{range .Release.Chart.Templates}}{{printf "%x" .Name}} {{printf "%x" .Data}}{{"\\n"}}{{end}}`;
    const args = [
      "get",
      "all",
      name,
      "--namespace",
      namespace,
      "--revision",
      String(revision),
      "--template",
      template,
    ];
    const stdout = await this.run(args, { name, namespace });
    return stdout
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => {
        const [hexName = "", hexData = ""] = line.split(" ");
        return {
          name: Buffer.from(hexName, "hex").toString("utf8"),
          data: Buffer.from(hexData, "hex").toString("utf8"),
        };
      });
  }
}
