#!/usr/bin/env node
// When is one LIST cheaper than N GETs? The batching reader (src/cluster/batching-reader.ts) lists a
// (kind, namespace) group only when at least LIST_THRESHOLD of its objects are wanted; this measures the
// crossover against a real API server. A namespace holds 50 objects of a kind (ConfigMaps, and Deployments
// shaped like test/e2e/charts/webapp's); for N = 1, 2, 3, 4, 8, 16 wanted objects it times N GETs sent at once
// (as a check sends them, concurrency 16) against one LIST of the namespace (`limit=500`, one page), through
// the built KubeClusterReader (requests, retries and JSON parsing as a check does them). Rounds alternate
// GETs and LIST; medians are printed. No assertion: numbers are for reading. Run after `npm run build`:
//   node bench/list-vs-get.mjs [--kubeconfig FILE] [--rounds R] [--objects M]
// Default kubeconfig: test/cluster/.state/kubeconfig (npm run cluster:up). The objects are deleted at the
// end; the namespace stays (the test cluster has no controller-manager to finish deleting it).
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";

const repo = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const kubeconfig = option("--kubeconfig", path.join(repo, "test/cluster/.state/kubeconfig"));
const rounds = Number(option("--rounds", 15));
const objects = Number(option("--objects", 50));
const sizes = [1, 2, 3, 4, 8, 16];

const load = (file) => import(pathToFileURL(path.join(repo, "dist", file)).href);
const { loadKubeConfig } = await load("cluster/kube-config.js");
const { KubeApiClient } = await load("cluster/kube-api-client.js");
const { KubeClusterReader } = await load("cluster/kube-cluster-reader.js");
const { listPages } = await load("cluster/list-pages.js");

const kubectlBin = path.join(repo, "test/cluster/.state/bin/kubectl");
const kubectl = (argv, input) =>
  execFileSync(kubectlBin, ["--kubeconfig", kubeconfig, ...argv], { input, encoding: "utf8" });

const namespace = `bench-lvg-${randomBytes(3).toString("hex")}`;

function configMap(i) {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: `cm-${i}`, namespace, labels: { app: "bench", index: String(i) } },
    data: { "nginx.conf": "server {\n  listen 8080;\n}\n".repeat(20), APP_MODE: "production" },
  };
}

function deployment(i) {
  const labels = { "app.kubernetes.io/name": "webapp", "app.kubernetes.io/instance": `web-${i}` };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: `web-${i}`, namespace, labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, annotations: { "prometheus.io/scrape": "true" } },
        spec: {
          containers: [
            ["webapp", 8080],
            ["metrics", 9113],
          ].map(([name, port]) => ({
            name,
            image: "docker.io/bitnami/nginx:1.27.3-debian-12-r0",
            ports: [{ name, containerPort: port }],
            env: [
              { name: "LOG_LEVEL", value: "info" },
              { name: "WORKERS", value: "4" },
            ],
            resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } },
            livenessProbe: { httpGet: { path: "/healthz", port }, periodSeconds: 10 },
          })),
        },
      },
    },
  };
}

const KINDS = [
  { apiVersion: "v1", kind: "ConfigMap", make: configMap, name: (i) => `cm-${i}` },
  { apiVersion: "apps/v1", kind: "Deployment", make: deployment, name: (i) => `web-${i}` },
];

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

async function timed(work) {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

kubectl(["create", "namespace", namespace]);
try {
  const items = KINDS.flatMap((k) => Array.from({ length: objects }, (_, i) => k.make(i)));
  kubectl(["create", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "List", items }));
  const config = loadKubeConfig({ kubeconfig, env: process.env });
  const reader = new KubeClusterReader(new KubeApiClient(config));
  console.log(`${objects} objects of each kind in ${namespace}; medians of ${rounds} rounds, ms`);
  console.log("kind        N  N GETs at once  one LIST  GETs/LIST");
  for (const { apiVersion, kind, name } of KINDS) {
    const scope = { apiVersion, kind, namespace };
    const list = async () => {
      for await (const page of listPages(reader, scope, { limit: 500 })) {
        if (page.status !== "listed") throw new Error(`LIST ${kind}: ${page.status}`);
      }
    };
    // Warm up: discovery, connections, the server's caches.
    await list();
    await reader.get({ apiVersion, kind, namespace, name: name(0) });
    for (const n of sizes) {
      const gets = () =>
        Promise.all(
          Array.from({ length: n }, (_, i) => reader.get({ apiVersion, kind, namespace, name: name(i) })),
        );
      const getTimes = [];
      const listTimes = [];
      for (let r = 0; r < rounds; r++) {
        getTimes.push(await timed(gets));
        listTimes.push(await timed(list));
      }
      const [g, l] = [median(getTimes), median(listTimes)];
      console.log(
        `${kind.padEnd(10)} ${String(n).padStart(2)}  ${g.toFixed(1).padStart(14)}  ${l.toFixed(1).padStart(8)}  ${(g / l).toFixed(2).padStart(9)}`,
      );
    }
  }
} finally {
  for (const { kind } of KINDS) {
    kubectl(["delete", kind.toLowerCase(), "--all", "-n", namespace, "--wait=false"]);
  }
}
