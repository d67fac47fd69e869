#!/usr/bin/env node
// Side-by-side, in one run: what an offline check costs, and what importing @kubernetes/client-node (which
// only cluster mode loads) would add to it. Run after `npm run build`: node bench/cli-startup.mjs [runs]
// Prints medians of wall time and peak RSS, and their ratios. No assertion: numbers are for reading.
import { spawnSync } from "node:child_process";
import path from "node:path";

const repo = path.resolve(import.meta.dirname, "..");
const runs = Number(process.argv[2] ?? 7);
const offline = [
  "bin/helm-drift",
  "check",
  "--manifest",
  "fixtures/incident/manifest.yaml",
  "--live",
  "fixtures/incident/live.yaml",
  "-o",
  "json",
];
const cases = {
  "node (empty script)": ["-e", ""],
  "offline check (incident example)": offline,
  "import @kubernetes/client-node alone": [
    "-e",
    "await import('@kubernetes/client-node')",
    "--input-type=module",
  ],
  // What a cluster check used of it (src/cluster/kube-api-client.ts, kube-config.ts), loaded module by module
  // as before the CLI was bundled (build/bundle-cli.mjs): its kubeconfig module imports the generated API index.
  "import client-node's config and HTTP modules only": [
    "-e",
    "await Promise.all(['config.js', 'gen/configuration.js', 'gen/http/http.js'].map((m) => import('@kubernetes/client-node/dist/' + m)))",
    "--input-type=module",
  ],
  // The bundled CLI, which holds the parts of client-node a cluster check uses, started and stopped.
  "the bundled CLI: helm-drift --version": ["bin/helm-drift", "--version"],
};

function measure(args) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const result = spawnSync("/usr/bin/time", ["-f", "%e %M", process.execPath, ...args], {
      cwd: repo,
      encoding: "utf8",
    });
    const [seconds, kb] = result.stderr.trim().split("\n").at(-1).split(" ").map(Number);
    samples.push({ seconds, kb });
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { seconds: median(samples.map((s) => s.seconds)), mb: median(samples.map((s) => s.kb)) / 1024 };
}

const results = Object.fromEntries(Object.entries(cases).map(([name, args]) => [name, measure(args)]));
const base = results["offline check (incident example)"];
console.log(`runs per case: ${runs}, node ${process.version}`);
for (const [name, r] of Object.entries(results)) {
  console.log(
    `${name.padEnd(40)} ${r.seconds.toFixed(2)} s  ${r.mb.toFixed(0)} MB   ×${(r.seconds / base.seconds).toFixed(2)} time, ×${(r.mb / base.mb).toFixed(2)} memory of the offline check`,
  );
}
