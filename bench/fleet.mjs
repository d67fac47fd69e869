#!/usr/bin/env node
// Fleet benchmark: helm-drift against its two peers and the floor, on fleets of 10, 200 and 1 000 releases of
// bench/fleet/chart (Deployment, Service, ConfigMap, ServiceAccount and one WorkerPool custom resource each;
// 10 releases per namespace), 10 % of them drifted three ways (bench/fleet/inject-drift.mjs). Each fleet size
// gets its own fresh test control plane (test/cluster/up.sh with its own state dir, stopped at the end), so
// the API server's request count (`apiserver_request_total`, before and after) is each command's alone.
//
// Measured, in interleaved rounds (median, and min–max over the rounds): wall time, CPU (user + system of
// the process tree), peak RSS of the process tree (summed, sampled every 100 ms) and of its largest process,
// API requests; and which injected drifts each tool reported:
//   floor        one `kubectl get` of the 5 rendered types + Secrets, all namespaces
//   helm-drift   `check -A -o json` (auto: Helm's release Secrets read directly), and `--desired-from helm`
//   peers        nikhilsbhat/helm-drift `helm drift all -o json --limit-threads T` (its default runs every
//                release and every object's `kubectl diff` at once: thousands of processes at 200 releases);
//                databus23/helm-diff `helm diff upgrade REL CHART --reuse-values --three-way-merge`, once per
//                release, T at a time (xargs -P). T = --peer-threads, default 4.
// Peers are built from source snapshots (bench/fleet/build-peers.sh) and run as Helm plugins; without them
// the benchmark says so and measures the rest. Prints one Markdown table. No assertion: numbers are for reading.
//
//   npm run bench:fleet -- [--fleets 10,200,1000] [--rounds 3] [--peers DIR] [--state DIR] [--keep]
//                          [--peer-threads 4] [--peer-rounds N] [--only floor,helm-drift,nikhilsbhat,helm-diff]
//                          [--objects-per-release 5]
// --peers (or HELM_DRIFT_PEERS; default ../shared/peers): the peers' source tarballs. --state: prefix of
// the clusters' state dirs (default: $TMPDIR/helm-drift-fleet; size N uses PREFIX-N). --keep: leave the
// clusters up (a kept, already installed fleet is reused). --peer-rounds: fewer rounds for the peers (default
// --rounds), which take minutes each at 1 000 releases. --objects-per-release (at least the chart's 5): wider
// releases, the rest alternately ConfigMaps and Deployments (2 000 × 20 is the issue's 40 000 objects); the
// state dirs then end in -N-wide-M, so a kept fleet of another width is not reused. Needs /usr/bin/time (Debian package `time`).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { injectDrift } from "./fleet/inject-drift.mjs";
import { CHART, installFleet } from "./fleet/install-fleet.mjs";
import { measure } from "./fleet/measure.mjs";
import { requestCounter } from "./fleet/request-count.mjs";
import { objectKey, tools } from "./fleet/tools.mjs";

const repo = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const fleets = option("--fleets", "10,200,1000").split(",").map(Number);
const rounds = Number(option("--rounds", 3));
const peersDir = path.resolve(
  option("--peers", process.env.HELM_DRIFT_PEERS ?? path.join(repo, "../shared/peers")),
);
const statePrefix = path.resolve(option("--state", path.join(os.tmpdir(), "helm-drift-fleet")));
const keep = args.includes("--keep");
const peerThreads = Number(option("--peer-threads", 4));
const peerRounds = Number(option("--peer-rounds", rounds));
const only = option("--only", null)?.split(",");
const BASE_OBJECTS = 5;
const objectsPerRelease = Number(option("--objects-per-release", BASE_OBJECTS));
if (!Number.isInteger(objectsPerRelease) || objectsPerRelease < BASE_OBJECTS) {
  console.error(`--objects-per-release: an integer of at least ${BASE_OBJECTS}`);
  process.exit(1);
}

const seconds = (start) => (Number(process.hrtime.bigint() - start) / 1e9).toFixed(1);
const log = (line) => process.stderr.write(`[fleet] ${line}\n`);

if (!existsSync("/usr/bin/time")) {
  console.error("bench:fleet needs GNU time at /usr/bin/time (Debian/Ubuntu: apt-get install time)");
  process.exit(1);
}

/** Builds the peers (cached) and returns {drift, diff}: their HELM_PLUGINS directories, when present. */
function buildPeers() {
  if (!existsSync(peersDir)) {
    log(`peers: ${peersDir} not found (set --peers DIR or HELM_DRIFT_PEERS): measuring without them`);
    return {};
  }
  const start = process.hrtime.bigint();
  const result = spawnSync("bash", [path.join(repo, "bench/fleet/build-peers.sh"), peersDir], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (result.status !== 0) {
    log(`peers: build failed (exit ${result.status}): measuring without them`);
    return {};
  }
  const peers = {};
  for (const line of result.stdout.trim().split("\n").filter(Boolean)) {
    const [plugin, dir, built] = line.split(" ");
    peers[plugin] = dir;
    log(`peer ${plugin}: ${dir} (${built === "0" ? "cached" : `built in ${built} s`})`);
  }
  log(`peers ready in ${seconds(start)} s`);
  return peers;
}

function clusterUp(state) {
  execFileSync("bash", [path.join(repo, "test/cluster/up.sh")], {
    env: { ...process.env, HELM_DRIFT_E2E_STATE: state },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return JSON.parse(readFileSync(path.join(state, "cluster.json"), "utf8"));
}

function clusterDown(state) {
  execFileSync("bash", [path.join(repo, "test/cluster/down.sh")], {
    env: { ...process.env, HELM_DRIFT_E2E_STATE: state },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });

/** Which injected drifts the tool's output names: the object, and for helm-drift also the path. */
function score(drifts, reported) {
  if (reported === null) return null;
  const injected = new Set(drifts.map((d) => objectKey(d.namespace, d.kind, d.name)));
  const byKind = {};
  let found = 0;
  for (const d of drifts) {
    const paths = reported.get(objectKey(d.namespace, d.kind, d.name));
    const hit =
      paths !== undefined &&
      (paths.length === 0 ||
        paths.some((p) => p === d.path || p.startsWith(`${d.path}.`) || p.startsWith(`${d.path}[`)));
    byKind[d.kind] ??= { found: 0, injected: 0 };
    byKind[d.kind].injected++;
    if (hit) {
      byKind[d.kind].found++;
      found++;
    }
  }
  const other = [...reported.keys()].filter((k) => !injected.has(k));
  return { found, injected: drifts.length, byKind, other };
}

async function benchFleet(size, peers) {
  const wide = objectsPerRelease === BASE_OBJECTS ? "" : `-wide-${objectsPerRelease}`;
  const state = `${statePrefix}-${size}${wide}`;
  const phases = {};
  let start = process.hrtime.bigint();
  const cluster = clusterUp(state);
  phases.clusterUp = seconds(start);
  const workDir = path.join(state, "bench");
  mkdirSync(workDir, { recursive: true });
  const env = {
    ...process.env,
    ...cluster.helmEnv,
    KUBECONFIG: cluster.kubeconfig,
    PATH: `${cluster.binDir}:${process.env.PATH}`,
    NO_COLOR: "1",
  };
  const context = { repo, kubectl: cluster.kubectl, helm: cluster.helm, chart: CHART, workDir };
  try {
    start = process.hrtime.bigint();
    const { installed } = await installFleet(size, { ...context, env }, objectsPerRelease - BASE_OBJECTS);
    phases.install = seconds(start);
    log(`${size} releases: ${installed ? `installed in ${phases.install} s` : "already installed"}`);
    start = process.hrtime.bigint();
    const drifts = await injectDrift(size, { ...context, env });
    phases.inject = seconds(start);
    log(`${size} releases: ${drifts.length} drifts injected in ${phases.inject} s`);

    const count = requestCounter(cluster);
    const idle0 = await count();
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const background = (await count()) - idle0;
    log(`${size} releases: background ${background} requests in 5 s idle`);

    const selected = tools(context, { peers, peerThreads }).filter(
      (t) => !only || only.some((o) => t.name.startsWith(o)),
    );
    const samples = new Map(selected.map((t) => [t.name, []]));
    const detected = new Map();
    const load = [];
    start = process.hrtime.bigint();
    for (let round = 0; round < rounds; round++) {
      for (const tool of selected) {
        if (tool.helmPlugins && round >= peerRounds) continue;
        const toolEnv = tool.helmPlugins ? { ...env, HELM_PLUGINS: tool.helmPlugins } : env;
        load.push(os.loadavg()[0]);
        const before = await count();
        const result = await measure(tool.argv, { env: toolEnv, cwd: repo });
        const requests = (await count()) - before;
        samples.get(tool.name).push({ ...result, requests, stdout: undefined, stderr: undefined });
        log(
          `${size} releases, round ${round + 1}/${tool.helmPlugins ? Math.min(rounds, peerRounds) : rounds}: ${tool.name}: exit ${result.exitCode}, ` +
            `${result.wall.toFixed(2)} s, ${requests} requests`,
        );
        if (round === 0) {
          let reported = null;
          try {
            reported = tool.reported(result.stdout);
          } catch (error) {
            log(
              `${tool.name}: output not understood (${error.message}); stderr: ${result.stderr.slice(-2000)}`,
            );
          }
          detected.set(tool.name, score(drifts, reported));
        }
      }
    }
    phases.measure = seconds(start);
    phases.load = `${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)}`;
    return { size, phases, background, drifts: drifts.length, samples, detected };
  } finally {
    if (!keep) clusterDown(state);
  }
}

const fmt = (s, digits = 2) => s.median.toFixed(digits);
const spread = (s, digits = 2) => `${s.min.toFixed(digits)}–${s.max.toFixed(digits)}`;
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(0);
const ratio = (a, b) => (b > 0 ? `×${(a / b).toFixed(a / b >= 10 ? 0 : 1)}` : "–");

function summarize(samples) {
  return {
    exitCodes: [...new Set(samples.map((s) => s.exitCode))].join("/"),
    wall: stats(samples.map((s) => s.wall)),
    cpu: stats(samples.map((s) => s.cpu)),
    treeRss: stats(samples.map((s) => s.treeRss)),
    maxProcessRss: stats(samples.map((s) => s.maxProcessRss)),
    requests: stats(samples.map((s) => s.requests)),
  };
}

function table(results) {
  const lines = [
    "| releases | tool | exit | wall s, median (min–max) | CPU s (min–max) | peak RSS MB, tree (largest process) | API requests | drifts found / injected (Deployment, ConfigMap, WorkerPool) | other objects reported | ratio (wall, CPU, RSS, requests) |",
    "|---:|---|---|---|---|---|---:|---|---:|---|",
  ];
  for (const result of results) {
    const rows = [...result.samples].map(([name, samples]) => ({ name, ...summarize(samples) }));
    const floor = rows.find((r) => r.name.startsWith("floor"));
    const helmDrift = rows.find((r) => r.name.startsWith("helm-drift check -A (auto"));
    for (const row of rows) {
      const base = row.name.startsWith("helm-drift")
        ? floor
        : row.name.startsWith("floor")
          ? null
          : helmDrift;
      const baseName = base === floor ? "floor" : "helm-drift";
      const ratios = base
        ? `${[
            ratio(row.wall.median, base.wall.median),
            ratio(row.cpu.median, base.cpu.median),
            ratio(row.treeRss.median, base.treeRss.median),
            ratio(row.requests.median, base.requests.median),
          ].join(", ")} of ${baseName}`
        : "";
      const found = result.detected.get(row.name);
      const drifts = found
        ? `${found.found}/${found.injected} (${Object.values(found.byKind)
            .map((k) => k.found)
            .join(", ")})`
        : "–";
      lines.push(
        `| ${result.size} | ${row.name} | ${row.exitCodes} | ${fmt(row.wall)} (${spread(row.wall)}) | ` +
          `${fmt(row.cpu)} (${spread(row.cpu)}) | ${mb(row.treeRss.median)} (${mb(row.maxProcessRss.median)}) | ` +
          `${row.requests.median} | ${drifts} | ${found ? found.other.length : "–"} | ${ratios} |`,
      );
    }
  }
  return lines.join("\n");
}

const began = process.hrtime.bigint();
const peers = buildPeers();
const results = [];
for (const size of fleets) {
  results.push(await benchFleet(size, peers));
  const last = results.at(-1);
  log(
    `${size} releases: cluster up ${last.phases.clusterUp} s, install ${last.phases.install} s, ` +
      `drift ${last.phases.inject} s, measured rounds ${last.phases.measure} s ` +
      `(1-minute load average ${last.phases.load} before each command)`,
  );
  for (const [name, found] of last.detected) {
    if (found?.other.length) log(`${name}: also reported ${found.other.slice(0, 5).join(", ")}…`);
  }
}
console.log(
  `helm-drift fleet benchmark, ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores ` +
    `(${os.cpus()[0]?.model ?? "?"}), node ${process.version}, ${objectsPerRelease} objects per release, ` +
    `${rounds} rounds` +
    `${peerRounds < rounds ? ` (peers ${peerRounds})` : ""}; load average ${os.loadavg()[0].toFixed(1)}; ` +
    `${Object.keys(peers).length ? "peers built from source snapshots" : "PEERS ABSENT"}; ` +
    `total ${seconds(began)} s`,
);
console.log(table(results));
