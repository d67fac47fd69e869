// Runs one command as a user would, and measures it: wall time, CPU (user + system of the whole process tree:
// GNU time reports the rusage of its child, which includes every descendant the child waited for), the largest
// single process (GNU time's %M: ru_maxrss is per process, the biggest one in the tree) and the peak RSS of the
// whole tree, summed over every live descendant, sampled from /proc every SAMPLE_MS. A tool that runs many
// processes at once (kubectl per object, helm per release) is only seen whole by the tree sum.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const SAMPLE_MS = 100;
const PAGE = 4096;

/** pid → [ppid, rss bytes] for every process we may read. */
function processTable() {
  const table = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name (which may hold spaces and parentheses): state ppid … rss is field 24.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      table.set(Number(entry), [Number(fields[1]), Number(fields[21]) * PAGE]);
    } catch {
      // The process ended between readdir and read.
    }
  }
  return table;
}

function treeRss(root) {
  const table = processTable();
  const children = new Map();
  for (const [pid, [ppid]] of table) {
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(pid);
  }
  let sum = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop();
    sum += table.get(pid)?.[1] ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return sum;
}

/**
 * Runs argv[0] with argv[1…] under /usr/bin/time. Resolves to
 * {exitCode, stdout, stderr, wall, cpu, maxProcessRss, treeRss} (seconds, bytes).
 */
export function measure(argv, { env, cwd } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "fleet-time-"));
  const timeFile = path.join(dir, "time");
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn("/usr/bin/time", ["-f", "%e %U %S %M %x", "-o", timeFile, ...argv], {
      env,
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out = [];
    const err = [];
    child.stdout.on("data", (chunk) => out.push(chunk));
    child.stderr.on("data", (chunk) => err.push(chunk));
    let peak = 0;
    const sample = () => {
      peak = Math.max(peak, treeRss(child.pid));
    };
    const timer = setInterval(sample, SAMPLE_MS);
    sample();
    child.on("error", reject);
    child.on("close", () => {
      clearInterval(timer);
      const wallHr = Number(process.hrtime.bigint() - start) / 1e9;
      try {
        const line = readFileSync(timeFile, "utf8").trim().split("\n").at(-1);
        const [, user, sys, maxKb, exitCode] = line.split(" ").map(Number);
        resolve({
          exitCode,
          stdout: Buffer.concat(out).toString("utf8"),
          stderr: Buffer.concat(err).toString("utf8"),
          wall: wallHr,
          cpu: user + sys,
          maxProcessRss: maxKb * 1024,
          treeRss: Math.max(peak, maxKb * 1024),
        });
      } catch (error) {
        reject(new Error(`${argv.join(" ")}: no time output\n${Buffer.concat(err)}`, { cause: error }));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
