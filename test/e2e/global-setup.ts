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

declare module "vitest" {
  export interface ProvidedContext {
    cluster: E2eCluster;
    yamlconv: YamlConv;
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
