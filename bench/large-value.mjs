#!/usr/bin/env node
// Large values: one ConfigMap whose value of S MB differs live, for S = 5 and 40, checked offline by the
// built CLI in its own process (text output, then JSON). Prints wall time, peak RSS and output size per S,
// and RSS and output as multiples of the input (manifest + live file): a value should cost memory a small
// multiple of its size, and the text output should stay a few KB whatever S is (values, diff lines and the
// repair command are cut or replaced; -o json keeps them whole). No assertion: numbers are for reading, and
// a shared machine makes them noisy. Run after `npm run build`:
//   node bench/large-value.mjs [S …]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const repo = path.resolve(import.meta.dirname, "..");
const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [5, 40];
const MB = 1024 * 1024;

function write(mb, dir) {
  const metadata = { name: "big", namespace: "bench", labels: { app: "big" } };
  const manifest = path.join(dir, `manifest-${mb}.yaml`);
  const live = path.join(dir, `live-${mb}.json`);
  const rendered = { apiVersion: "v1", kind: "ConfigMap", metadata, data: { key: "a".repeat(mb * MB) } };
  const liveObject = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { ...metadata, uid: "uid-big", resourceVersion: "1" },
    data: { key: "b".repeat(mb * MB) },
  };
  writeFileSync(manifest, `---\n# Source: bench/templates/big.yaml\n${JSON.stringify(rendered)}\n`);
  writeFileSync(live, `${JSON.stringify(liveObject)}\n`);
  return { manifest, live, inputBytes: statSync(manifest).size + statSync(live).size };
}

function run(files, format) {
  const args = ["bin/helm-drift", "check", "--manifest", files.manifest, "--live", files.live, "-o", format];
  const result = spawnSync("/usr/bin/time", ["-f", "%e %M", process.execPath, ...args], {
    cwd: repo,
    encoding: "utf8",
    maxBuffer: 2 * 1024 * 1024 * 1024,
  });
  if (result.status !== 2)
    throw new Error(`-o ${format}: exit ${result.status}, expected 2\n${result.stderr}`);
  const [seconds, kb] = result.stderr.trim().split("\n").at(-1).split(" ").map(Number);
  return { seconds, rssBytes: kb * 1024, outputBytes: Buffer.byteLength(result.stdout) };
}

const size = (bytes) => (bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`);

const dir = mkdtempSync(path.join(os.tmpdir(), "helm-drift-large-"));
try {
  console.log(`node ${process.version}; one ConfigMap value differs live; input = manifest + live file`);
  for (const mb of sizes) {
    const files = write(mb, dir);
    for (const format of ["text", "json"]) {
      const r = run(files, format);
      console.log(
        `${String(mb).padStart(3)} MB value  input ${size(files.inputBytes).padStart(8)}  -o ${format.padEnd(4)}  ` +
          `${r.seconds.toFixed(2).padStart(6)} s  peak RSS ${size(r.rssBytes).padStart(9)} ` +
          `(${(r.rssBytes / files.inputBytes).toFixed(1)}× input)  output ${size(r.outputBytes).padStart(9)} ` +
          `(${(r.outputBytes / files.inputBytes).toFixed(4)}× input)`,
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
