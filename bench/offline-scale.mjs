#!/usr/bin/env node
// Offline scale: one check of N rendered objects against N live ones, for N = 1 000, 10 000 and 20 000
// (half one-line ConfigMaps, half one-line Deployments), each run as the built CLI in its own process.
// One ConfigMap's 1 MB value differs live, so the text output shows a finding and a diff whose long line must
// be cut, not printed. Prints wall time, objects/s, peak RSS and the text output's size per N, and objects/s
// at each N ÷ at the smallest: near 1 means matching and comparing grow linearly. No assertion: numbers
// are for reading, and a shared machine makes them noisy. Run after `npm run build`:
//   node bench/offline-scale.mjs [N …]
// The manifest is block YAML by default, as `helm get manifest` prints it; MANIFEST=json writes one line of
// flow YAML (JSON) per document instead.
// MIX=deployments makes every object but the first (the 1 MB ConfigMap) a Deployment: the target is
// counted in Deployment pairs (rendered and live) per second.
// CPU time (user + system) is printed too: on a loaded machine it varies less than the wall time.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { stringify } from "yaml";

const repo = path.resolve(import.meta.dirname, "..");
const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1_000, 10_000, 20_000];
const LONG = Number(process.env.LONG ?? 1024 * 1024);
const BLOCK_YAML = process.env.MANIFEST !== "json";
const ALL_DEPLOYMENTS = process.env.MIX === "deployments";

function objects(n) {
  const rendered = [];
  const live = [];
  for (let i = 0; i < n; i++) {
    const name = `obj-${i}`;
    const metadata = { name, namespace: "bench", labels: { app: name } };
    if (ALL_DEPLOYMENTS ? i === 0 : i % 2 === 0) {
      const value = i === 0 ? "a".repeat(LONG) : `value-${i}`;
      rendered.push({ apiVersion: "v1", kind: "ConfigMap", metadata, data: { key: value } });
      live.push({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { ...metadata, uid: `uid-${i}`, resourceVersion: "1" },
        data: { key: i === 0 ? "b".repeat(LONG) : value },
      });
    } else {
      const spec = {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name: "app", image: `nginx:1.${i % 30}`, ports: [{ containerPort: 80 }] }] },
        },
      };
      rendered.push({ apiVersion: "apps/v1", kind: "Deployment", metadata, spec });
      live.push({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { ...metadata, uid: `uid-${i}` },
        spec,
      });
    }
  }
  return { rendered, live };
}

function run(n, dir) {
  const { rendered, live } = objects(n);
  const manifest = path.join(dir, `manifest-${n}.yaml`);
  const liveFile = path.join(dir, `live-${n}.json`);
  // One line per object (flow YAML: JSON is YAML) or block YAML in the manifest; one JSON document per line live.
  const document = (o) =>
    BLOCK_YAML ? stringify(o, { lineWidth: 0, aliasDuplicateObjects: false }) : `${JSON.stringify(o)}\n`;
  writeFileSync(
    manifest,
    rendered
      .map((o) => `---\n# Source: bench/templates/${o.kind.toLowerCase()}.yaml\n${document(o)}`)
      .join(""),
  );
  writeFileSync(liveFile, `${live.map((o) => JSON.stringify(o)).join("\n")}\n`);
  const args = ["bin/helm-drift", "check", "--manifest", manifest, "--live", liveFile, "-o", "text"];
  const result = spawnSync("/usr/bin/time", ["-f", "%e %M %U %S", process.execPath, ...args], {
    cwd: repo,
    encoding: "utf8",
    maxBuffer: 1024 * 1024 * 1024,
  });
  const [seconds, kb, user, system] = result.stderr.trim().split("\n").at(-1).split(" ").map(Number);
  if (result.status !== 2)
    throw new Error(`N=${n}: exit ${result.status}, expected 2 (drift)\n${result.stderr}`);
  return { n, seconds, cpu: user + system, mb: kb / 1024, outputBytes: Buffer.byteLength(result.stdout) };
}

const dir = mkdtempSync(path.join(os.tmpdir(), "helm-drift-scale-"));
try {
  console.log(
    `node ${process.version}; manifest in ${BLOCK_YAML ? "block YAML" : "one-line JSON"}; ` +
      `${ALL_DEPLOYMENTS ? "Deployments only" : "half ConfigMaps, half Deployments"}; ` +
      `1 ConfigMap value of ${LONG / 1024 / 1024} MB differs live`,
  );
  const rows = sizes.map((n) => run(n, dir));
  const base = rows[0];
  for (const r of rows) {
    const rate = r.n / r.seconds;
    console.log(
      `${String(r.n).padStart(6)} objects  ${r.seconds.toFixed(2).padStart(6)} s  ${rate.toFixed(0).padStart(6)} objects/s  ` +
        `CPU ${r.cpu.toFixed(2).padStart(6)} s  ` +
        `${r.mb.toFixed(0).padStart(5)} MB peak RSS  text output ${(r.outputBytes / 1024).toFixed(1)} KB  ` +
        `objects/s ÷ at ${base.n}: ${(rate / (base.n / base.seconds)).toFixed(2)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
