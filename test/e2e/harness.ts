import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { inject } from "vitest";
import type { DriftReport } from "../../src/model/report.js";
import { assertValidReport } from "../helpers/report-schema.js";

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, "../..");

export const cluster = inject("cluster");
export const skipReason = cluster.available ? null : cluster.reason;

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command with the e2e kubeconfig and the cluster's helm/kubectl first on PATH; never throws on exit code. */
export async function sh(
  file: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<Result> {
  // Generous: sh runs installs of big charts and CRDs on a loaded 2-core machine; shTimed callers choose tighter limits.
  return shTimed(file, args, { timeoutMs: 300_000, ...options });
}

/** Like sh, but a non-zero exit is a test failure with the command's stderr. */
export async function ok(
  file: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<string> {
  const result = await sh(file, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${path.basename(file)} ${args.join(" ")} exited ${result.code}:\n${result.stderr}${result.stdout}`,
    );
  }
  return result.stdout;
}

export const kubectl = (...args: string[]) => ok(path.join(cluster.bin, "kubectl"), args);
export const helm3 = (...args: string[]) => ok(path.join(cluster.bin, "helm"), args);
export const helm4 = (...args: string[]) => ok(path.join(cluster.bin, "helm4"), args);

/** helm-drift as a user runs it: the built bin/helm-drift, a real process. */
export function helmDrift(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  return sh(process.execPath, [path.join(repo, "bin/helm-drift"), ...args], {
    env: { HELM_BIN: path.join(cluster.bin, "helm"), ...env },
  });
}

/** A namespace of its own per test: without a controller-manager, deleted namespaces never finish terminating. */
export async function freshNamespace(prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString("hex")}`;
  await kubectl("create", "namespace", name);
  return name;
}

export const repoPath = (...parts: string[]) => path.join(repo, ...parts);
/** test/fixtures/corpus (the ARC chart and CRDs, among others), resolved from the repository itself. */
export { corpusPath } from "../helpers/corpus.js";

// ---------------------------------------------------------------------------------------------------------
// Timeboxed commands, validated reports, release cleanup (incident, cluster-mode CLI and RBAC suites).

/** How long one command may run: everything here talks to a local API server and takes seconds. */
export const COMMAND_TIMEOUT_MS = 30_000;

export interface TimedOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Default COMMAND_TIMEOUT_MS. */
  timeoutMs?: number;
}

/** The environment sh gives commands: the e2e kubeconfig, the cluster's binaries first on PATH, helm homes. */
export function e2eEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    KUBECONFIG: cluster.kubeconfig,
    PATH: `${cluster.bin}:${process.env.PATH}`,
    HELM_CACHE_HOME: path.join(repo, "test/cluster/.state/helm/cache"),
    HELM_CONFIG_HOME: path.join(repo, "test/cluster/.state/helm/config"),
    HELM_DATA_HOME: path.join(repo, "test/cluster/.state/helm/data"),
    NO_COLOR: "1",
    ...extra,
  };
}

/**
 * Like sh, with a time limit: a command still running after `timeoutMs` is killed (SIGKILL) and the test fails
 * with an error naming it and what it printed so far. Never throws on a non-zero exit.
 */
export async function shTimed(file: string, args: string[], options: TimedOptions = {}): Promise<Result> {
  const timeoutMs = options.timeoutMs ?? COMMAND_TIMEOUT_MS;
  try {
    const child = run(file, args, {
      env: e2eEnv(options.env),
      maxBuffer: 64 * 1024 * 1024,
      timeout: timeoutMs,
      killSignal: "SIGKILL",
    });
    // A command that exits without reading its stdin (helm install, under load before we write) closes the
    // pipe: EPIPE then says nothing the exit status does not, and unhandled it fails the whole run.
    child.child.stdin?.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
    });
    child.child.stdin?.end(options.input ?? "");
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string | null; killed?: boolean; stdout?: string; stderr?: string };
    if (e.killed) {
      throw new Error(
        `${path.basename(file)} ${args.join(" ")} did not finish within ${timeoutMs} ms:\n${e.stderr ?? ""}${e.stdout ?? ""}`,
      );
    }
    if (typeof e.code !== "number") throw error;
    return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** Like shTimed, but a non-zero exit is a test failure with the command's output. */
export async function okTimed(file: string, args: string[], options: TimedOptions = {}): Promise<string> {
  const result = await shTimed(file, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${path.basename(file)} ${args.join(" ")} exited ${result.code}:\n${result.stderr}${result.stdout}`,
    );
  }
  return result.stdout;
}

/** A binary of the cluster's toolbox: kubectl, helm (v3), helm4. */
export const clusterBin = (name: "kubectl" | "helm" | "helm4") => path.join(cluster.bin, name);

/** kubectl, timeboxed; `input` is its stdin (`-f -`). */
export const kubectlTimed = (args: string[], options: TimedOptions = {}) =>
  okTimed(clusterBin("kubectl"), args, options);

/** The built helm-drift, timeboxed; HELM_BIN is the cluster's helm v3 unless `env` says otherwise. */
export function helmDriftTimed(args: string[], options: TimedOptions = {}): Promise<Result> {
  return shTimed(process.execPath, [path.join(repo, "bin/helm-drift"), ...args], {
    ...options,
    env: { HELM_BIN: clusterBin("helm"), ...options.env },
  });
}

/** A fresh namespace (see freshNamespace), timeboxed. */
export async function freshNamespaceTimed(prefix: string): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString("hex")}`;
  await kubectlTimed(["create", "namespace", name]);
  return name;
}

/** helm-drift's `-o json` output, parsed and validated against schema/drift-report.schema.json. */
export function parseReport(stdout: string): DriftReport {
  const report: unknown = JSON.parse(stdout);
  assertValidReport(report);
  return report as DriftReport;
}

/**
 * Uninstalls a suite's release when the suite is done, so `check --all-namespaces` on a long-lived shared
 * cluster does not slow down with every run. Best effort: failures are ignored (a release whose CRD was
 * deleted cannot be uninstalled; objects with finalizers nobody removes stay terminating, which is harmless).
 */
export async function uninstallRelease(helmBin: string, release: string, namespace: string): Promise<void> {
  await shTimed(helmBin, ["uninstall", release, "-n", namespace, "--timeout", "30s"]).catch(() => undefined);
}

/**
 * Waits until the API server serves a CRD's kind. Not `kubectl wait --for=condition=Established`: it errors
 * out at once while the CRD's .status.conditions is still null ("accessor error: <nil>"), right after an
 * apply, so this polls the condition instead.
 */
export async function crdEstablished(name: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await kubectlTimed([
      "get",
      "crd",
      name,
      "-o",
      'jsonpath={.status.conditions[?(@.type=="Established")].status}',
    ]);
    if (status.trim() === "True") return;
    if (Date.now() > deadline) throw new Error(`CRD ${name} not established after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
