// Installs a fleet of N releases of bench/fleet/chart: RELEASES_PER_NAMESPACE releases per namespace
// (`fleet-000`, `fleet-001`, …; releases `app-0000`, `app-0001`, …), INSTALL_PARALLELISM `helm install`s at
// once, never `--wait` (the test control plane has no kubelet). The chart's CRD is applied once first, so
// parallel installs do not race to create it. Skips the installs when the cluster already holds exactly the
// fleet (a kept cluster, `--keep`).
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const RELEASES_PER_NAMESPACE = 10;
const INSTALL_PARALLELISM = 8;
export const CHART = path.join(import.meta.dirname, "chart");

export const releaseName = (i) => `app-${String(i).padStart(4, "0")}`;
export const namespaceOf = (i) => `fleet-${String(Math.floor(i / RELEASES_PER_NAMESPACE)).padStart(3, "0")}`;

/** Runs work(item) for every item, at most `limit` at once. */
export async function inParallel(items, limit, work) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}

/** @param {{kubectl: string, helm: string, env: NodeJS.ProcessEnv}} tools */
export async function installFleet(size, { kubectl, helm, env }, extraObjects = 0) {
  const options = { env, maxBuffer: 256 * 1024 * 1024 };
  const { stdout } = await run(helm, ["list", "-A", "--max", "0", "-q"], options);
  const present = stdout.split("\n").filter(Boolean).length;
  if (present === size) return { installed: 0 };
  if (present !== 0)
    throw new Error(`the cluster holds ${present} releases, not 0 or ${size}: use a fresh one`);

  await run(kubectl, ["apply", "-f", path.join(CHART, "crds")], options);
  await run(
    kubectl,
    ["wait", "--for=condition=Established", "crd/workerpools.fleet.helm-drift.dev"],
    options,
  );
  const namespaces = [...new Set(Array.from({ length: size }, (_, i) => namespaceOf(i)))].map((name) => ({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name },
  }));
  const list = JSON.stringify({ apiVersion: "v1", kind: "List", items: namespaces });
  await new Promise((resolve, reject) => {
    const child = execFile(kubectl, ["apply", "-f", "-"], options, (error) =>
      error ? reject(error) : resolve(),
    );
    child.stdin.end(list);
  });
  const indexes = Array.from({ length: size }, (_, i) => i);
  await inParallel(indexes, INSTALL_PARALLELISM, (i) =>
    run(
      helm,
      ["install", releaseName(i), CHART, "-n", namespaceOf(i), "--set", `extraObjects=${extraObjects}`],
      options,
    ),
  );
  return { installed: size };
}
