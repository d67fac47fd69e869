import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";

const repo = path.resolve(import.meta.dirname, "../..");
const state = path.join(repo, "test/cluster/.state");

export interface E2eCluster {
  available: boolean;
  /** Why it is not available (local runs without Go skip with this message). */
  reason: string;
  kubeconfig: string;
  bin: string;
}

/** yamlconv (test/yaml-differential): sigs.k8s.io/yaml's YAMLToJSON as a program; `bin` empty when skipped. */
export interface YamlConv {
  bin: string;
  reason: string;
}

/**
 * Prometheus' pushgateway and promtool from Debian's packages (test/cluster/prometheus-tools.sh, cached next to
 * the cluster binaries); paths empty when they could not be had, and `reason` says why.
 */
export interface PrometheusTools {
  pushgateway: string;
  promtool: string;
  reason: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    cluster: E2eCluster;
    yamlconv: YamlConv;
    prometheusTools: PrometheusTools;
  }
}

/**
 * Starts the real control plane (test/cluster/up.sh: etcd + kube-apiserver built from Go modules) unless
 * one is already up, and stops it afterwards only if it started it. In CI a cluster that cannot start
 * fails the run; locally, without Go, the suite is skipped with a clear message.
 */
export default function setup(project: TestProject) {
  const cluster: E2eCluster = {
    available: false,
    reason: "",
    kubeconfig: path.join(state, "kubeconfig"),
    bin: path.join(state, "bin"),
  };
  // No Go needed: Debian's binaries, fetched with apt-get download (seconds; a cached run takes milliseconds).
  project.provide("prometheusTools", prometheusTools());
  const hasGo = spawnSync("go", ["version"], { stdio: "ignore" }).status === 0;
  if (!hasGo && process.env.CI !== "true") {
    cluster.reason =
      "Go is not installed: the e2e suite needs it to build kube-apiserver, etcd and helm (see test/cluster/README.md)";
    process.stderr.write(`\n[e2e] SKIPPED: ${cluster.reason}\n\n`);
    project.provide("cluster", cluster);
    project.provide("yamlconv", { bin: "", reason: cluster.reason });
    return;
  }
  // One small module, cached by its go.sum like the cluster binaries: seconds when Go's build cache is warm.
  const yamlconv = execFileSync("bash", [path.join(repo, "test/yaml-differential/build.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
  project.provide("yamlconv", { bin: yamlconv, reason: "" });
  const alreadyUp = existsSync(path.join(state, "cluster.env")) && isHealthy();
  if (!alreadyUp) {
    process.stderr.write("[e2e] starting the control plane (npm run cluster:up)…\n");
    execFileSync("bash", [path.join(repo, "test/cluster/up.sh")], { stdio: "inherit" });
  }
  cluster.available = true;
  project.provide("cluster", cluster);
  return () => {
    if (!alreadyUp) execFileSync("bash", [path.join(repo, "test/cluster/down.sh")], { stdio: "inherit" });
  };
}

/** Runs prometheus-tools.sh; in CI a failure fails the run, locally the tests that need the tools skip. */
function prometheusTools(): PrometheusTools {
  const script = path.join(repo, "test/cluster/prometheus-tools.sh");
  const run = spawnSync("bash", [script], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const paths = Object.fromEntries(
    (run.stdout ?? "")
      .split("\n")
      .filter((line) => line.includes("="))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
  if (run.status === 0 && paths.pushgateway && paths.promtool) {
    return { pushgateway: paths.pushgateway, promtool: paths.promtool, reason: "" };
  }
  const lastLine = (run.stderr ?? "").trim().split("\n").at(-1) ?? "";
  const reason = `test/cluster/prometheus-tools.sh failed (exit ${run.status}): ${lastLine}`;
  if (process.env.CI === "true") throw new Error(`${reason}\n${run.stderr ?? ""}`);
  process.stderr.write(`\n[e2e] SKIPPED (promtool, pushgateway): ${reason}\n\n`);
  return { pushgateway: "", promtool: "", reason };
}

/** A cluster someone else started (npm run cluster:up) answers /readyz: use it and leave it running. */
function isHealthy(): boolean {
  const kubectl = path.join(state, "bin/kubectl");
  const kubeconfig = path.join(state, "kubeconfig");
  if (!existsSync(kubectl) || !existsSync(kubeconfig)) return false;
  return (
    spawnSync(kubectl, ["--kubeconfig", kubeconfig, "get", "--raw", "/readyz", "--request-timeout=5s"], {
      stdio: "ignore",
    }).status === 0
  );
}
