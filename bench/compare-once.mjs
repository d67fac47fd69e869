#!/usr/bin/env node
// What one object costs to check, in sync and drifted, through the library entry point (checkReleases) with an
// in-memory reader, so only the per-object pipeline is measured (no I/O, no lookup cost). An in-sync object
// costs one comparison; the ratio drifted/in-sync says how many comparisons-worth a drifted object costs.
//
//   npm run build && node bench/compare-once.mjs [--objects N] [--rounds R] [--baseline GIT-REF]
//
// --baseline builds GIT-REF in a temporary worktree (sharing node_modules) and measures it side by side with
// this checkout, alternating rounds, so both see the same machine state. Prints medians and ratios; no assertion.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "yaml";

const repo = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const objects = Number(option("--objects", 2000));
const rounds = Number(option("--rounds", 7));
const baseline = option("--baseline", null);

// A real Deployment pair recorded by argoproj/gitops-engine (in sync after server defaults), see its SOURCES.md.
const corpus = path.join(repo, "test/fixtures/corpus/live-vs-desired/gitops-engine");
const rendered = parse(readFileSync(path.join(corpus, "smd-deploy-config.yaml"), "utf8"));
const live = parse(readFileSync(path.join(corpus, "smd-deploy-live.yaml"), "utf8"));

/** Drift as people make it: a new image, a hand-added env var, a removed pod label, a hand scale. */
function drift(object) {
  const copy = structuredClone(object);
  const container = copy.spec.template.spec.containers[0];
  container.image = "nginx:1.25.0";
  container.env = [{ name: "DEBUG", value: "1" }];
  delete copy.spec.template.metadata.labels["applications.argoproj.io/app-name"];
  copy.spec.replicas = 5;
  return copy;
}

function named(object, name) {
  const copy = structuredClone(object);
  copy.metadata.name = name;
  return copy;
}

function fleet(drifted) {
  const desired = [];
  const byName = new Map();
  for (let i = 0; i < objects; i++) {
    const name = `web-${i}`;
    desired.push(named(rendered, name));
    byName.set(name, drifted ? drift(named(live, name)) : named(live, name));
  }
  const manifest = desired.map((d) => `---\n${JSON.stringify(d)}\n`).join("");
  /** ClusterReader over a Map: lookups cost nothing, so the per-object pipeline is what is measured. */
  const reader = {
    resolve: async () => ({ group: "apps", version: "v1", resource: "deployments", namespaced: true }),
    get: async (ref) => {
      const object = byName.get(ref.name);
      return object ? { status: "found", object } : { status: "not-found" };
    },
    listTypes: async () => null,
    list: async () => ({ status: "listed", items: [...byName.values()], continue: null }),
  };
  const release = {
    name: "web",
    namespace: "default",
    revision: 1,
    chartName: "web",
    chartVersion: "1.0.0",
    manifest,
    origin: "bench",
  };
  return { release, reader };
}

async function loadBuild(dir) {
  return import(pathToFileURL(path.join(dir, "dist/index.js")).href);
}

function buildBaseline(ref) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "helm-drift-baseline-"));
  execFileSync("git", ["-C", repo, "worktree", "add", "--detach", dir, ref], { stdio: "ignore" });
  symlinkSync(path.join(repo, "node_modules"), path.join(dir, "node_modules"));
  execFileSync(path.join(repo, "node_modules/.bin/tsc"), ["-p", "tsconfig.build.json"], { cwd: dir });
  return dir;
}

async function timeCheck(library, { release, reader }) {
  const start = process.hrtime.bigint();
  const report = await library.checkReleases(
    { kind: "given", releases: [release] },
    { reader, concurrency: 16 },
  );
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, findings: report.summary.findings };
}

/**
 * Where a drifted object's time goes in this checkout, stage by stage over one drifted Deployment: the one
 * comparison, classification, and what is derived from the kept findings. Shows that the comparison runs once
 * and what the rest costs.
 */
async function stages() {
  const module = (name) => import(pathToFileURL(path.join(repo, "dist", name)).href);
  const { compareObjects } = await module("diff/diff-objects.js");
  const { classifyFindings } = await module("core/classify-findings.js");
  const { displayPair } = await module("diff/display-pair.js");
  const { unifiedDiff } = await module("diff/unified-diff.js");
  const { explainResource } = await module("explain/explain-resource.js");
  const { repairOperations } = await module("plan/repair-operations.js");
  const drifted = drift(live);
  const ref = { apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "nginx-deployment" };
  const comparison = compareObjects(rendered, drifted, null);
  const classified = classifyFindings(comparison.findings, ref, drifted);
  const shown = displayPair(comparison, comparison.findings);
  const steps = {
    "compare (in sync)": () => compareObjects(rendered, live, null),
    "compare (drifted)": () => compareObjects(rendered, drifted, null),
    classify: () => classifyFindings(comparison.findings, ref, drifted),
    explain: () =>
      explainResource({
        ref,
        live: drifted,
        findings: comparison.findings,
        owners: classified.map((f) => f.owner),
        upgrades: classified.map((f) => f.upgradeBy),
      }),
    "repair patch": () => repairOperations(drifted, comparison.findings),
    "display pair": () => displayPair(comparison, comparison.findings),
    "unified diff text": () => unifiedDiff("rendered", "live", shown.desired, shown.live),
  };
  console.log("\nStages of one drifted Deployment in this checkout (µs, median of rounds of 500 calls):");
  for (const [name, run] of Object.entries(steps)) {
    const times = [];
    for (let round = 0; round < rounds; round++) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < 500; i++) run();
      times.push(Number(process.hrtime.bigint() - start) / 1e3 / 500);
    }
    console.log(`  ${name.padEnd(20)} ${median(times).toFixed(1).padStart(7)}`);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const builds = [{ label: "this checkout", dir: repo }];
let worktree = null;
if (baseline) {
  worktree = buildBaseline(baseline);
  builds.unshift({ label: `baseline ${baseline}`, dir: worktree });
}
try {
  const loaded = await Promise.all(builds.map(async (b) => ({ ...b, library: await loadBuild(b.dir) })));
  const cases = { "in sync": fleet(false), drifted: fleet(true) };
  const samples = new Map();
  for (let round = 0; round <= rounds; round++) {
    for (const build of loaded) {
      for (const [name, input] of Object.entries(cases)) {
        const { ms, findings } = await timeCheck(build.library, input);
        if (round === 0) {
          console.log(`${build.label}, ${name}: ${findings} findings for ${objects} Deployments (warm-up)`);
          continue;
        }
        const key = `${build.label}|${name}`;
        samples.set(key, [...(samples.get(key) ?? []), ms]);
      }
    }
  }
  console.log(`\n${objects} Deployments per run, median of ${rounds} rounds (µs per object):`);
  const perObject = (label, name) => (median(samples.get(`${label}|${name}`)) * 1000) / objects;
  for (const { label } of loaded) {
    const inSync = perObject(label, "in sync");
    const drifted = perObject(label, "drifted");
    console.log(
      `  ${label.padEnd(28)} in sync ${inSync.toFixed(1).padStart(7)}  drifted ${drifted.toFixed(1).padStart(7)}` +
        `  drifted/in-sync ×${(drifted / inSync).toFixed(2)}`,
    );
  }
  if (loaded.length === 2) {
    const [before, after] = loaded;
    const ratio = (name) => perObject(after.label, name) / perObject(before.label, name);
    console.log(
      `  this checkout / baseline: in sync ×${ratio("in sync").toFixed(2)}, drifted ×${ratio("drifted").toFixed(2)}`,
    );
  }
  await stages();
} finally {
  if (worktree) {
    execFileSync("git", ["-C", repo, "worktree", "remove", "--force", worktree], { stdio: "ignore" });
    rmSync(worktree, { recursive: true, force: true });
  }
}
