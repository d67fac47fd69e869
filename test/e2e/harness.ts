import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { inject } from "vitest";

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
  const env = {
    ...process.env,
    KUBECONFIG: cluster.kubeconfig,
    PATH: `${cluster.bin}:${process.env.PATH}`,
    HELM_CACHE_HOME: path.join(repo, "test/cluster/.state/helm/cache"),
    HELM_CONFIG_HOME: path.join(repo, "test/cluster/.state/helm/config"),
    HELM_DATA_HOME: path.join(repo, "test/cluster/.state/helm/data"),
    NO_COLOR: "1",
    ...options.env,
  };
  try {
    const child = run(file, args, { env, maxBuffer: 64 * 1024 * 1024 });
    if (options.input !== undefined) {
      child.child.stdin?.end(options.input);
    }
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof e.code !== "number") throw error;
    return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
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
export const corpusPath = (...parts: string[]) => path.resolve(repo, "../shared/corpus", ...parts);
