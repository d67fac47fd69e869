// The commands the fleet benchmark measures, each as a user would run it over the whole fleet, and how to read
// from its output which objects it reported as drifted. `reported(stdout)` returns a Map from objectKey to the
// drifted paths it names (an empty list when the tool names the object but no path, as the peers do).
import path from "node:path";

export const objectKey = (namespace, kind, name) => `${namespace}/${kind}/${name}`;

const FLOOR_TYPES = [
  "deployments.apps",
  "services",
  "configmaps",
  "serviceaccounts",
  "workerpools.fleet.helm-drift.dev",
  "secrets",
];

/** The floor: one kubectl get of every resource type the fleet renders, plus Helm's release Secrets. */
function floor({ kubectl }) {
  return {
    name: "floor: kubectl get (5 types + Secrets) -A",
    argv: [kubectl, "get", FLOOR_TYPES.join(","), "-A", "-o", "json"],
    reported: () => null,
  };
}

/** helm-drift's JSON report: every resource not InSync, with the paths of its findings. */
function readHelmDriftReport(stdout) {
  const report = JSON.parse(stdout);
  const found = new Map();
  for (const release of report.releases ?? []) {
    for (const resource of release.resources ?? []) {
      if (resource.status === "InSync") continue;
      found.set(
        objectKey(resource.namespace ?? release.namespace, resource.kind, resource.name),
        (resource.findings ?? []).map((f) => f.path),
      );
    }
  }
  return found;
}

function helmDrift({ repo }, desiredFrom) {
  const argv = [
    process.execPath,
    path.join(repo, "bin/helm-drift"),
    "check",
    "-A",
    "-o",
    "json",
    "--no-progress",
  ];
  return {
    name: desiredFrom
      ? `helm-drift check -A --desired-from ${desiredFrom}`
      : "helm-drift check -A (auto: Secrets)",
    argv: desiredFrom ? [...argv, "--desired-from", desiredFrom] : argv,
    reported: readHelmDriftReport,
  };
}

/**
 * nikhilsbhat/helm-drift `all -o json`: its log lines (JSON objects, `{"level":…}`) and then the report,
 * [{namespace, release, deviations: [{kind, resource, has_drift}]}], on stdout.
 */
function readNikhilsbhat(stdout) {
  const report = stdout
    .split("\n")
    .filter((line) => !line.startsWith('{"level":'))
    .join("\n")
    .trim();
  const found = new Map();
  for (const release of JSON.parse(report || "null") ?? []) {
    for (const d of release.deviations ?? []) {
      if (d?.has_drift) found.set(objectKey(d.namespace || release.namespace, d.kind, d.resource), []);
    }
  }
  return found;
}

function nikhilsbhat({ helm, workDir }, threads) {
  return {
    name: `nikhilsbhat/helm-drift all (--limit-threads ${threads})`,
    plugin: "drift",
    argv: [
      helm,
      "drift",
      "all",
      "-o",
      "json",
      "--no-color",
      "--limit-threads",
      String(threads),
      "--temp-path",
      path.join(workDir, "nikhilsbhat-templates"),
    ],
    reported: readNikhilsbhat,
  };
}

/** helm-diff's default output: a `namespace, name, Kind (group) has changed:` line per changed object. */
function readHelmDiff(stdout) {
  const found = new Map();
  for (const match of stdout.matchAll(/^(\S+), (\S+), (\S+) \([^)]*\) has changed:/gm)) {
    found.set(objectKey(match[1], match[3], match[2]), []);
  }
  return found;
}

/**
 * helm-diff, once per release, as a user detects drift with it: list the releases, then for each
 * `helm diff upgrade REL CHART --reuse-values --three-way-merge` (without --three-way-merge helm-diff compares
 * the old manifest with the new one and never looks at live objects), `threads` at a time (xargs -P): one
 * after the other takes 2-3 s per release on the loaded 2-core machine, mostly waiting.
 */
function helmDiff({ helm, chart }, threads) {
  const loop = [
    'export helm="$1" chart="$2"',
    "\"$helm\" list -A --max 0 | awk 'NR>1{print $2, $1}' |",
    `  xargs -P "$3" -L 1 bash -c '"$helm" diff upgrade "$2" "$chart" -n "$1" --reuse-values --three-way-merge --no-color' diff-one`,
  ].join("\n");
  return {
    name: `helm-diff upgrade --reuse-values --three-way-merge (per release, ${threads} at a time)`,
    plugin: "diff",
    argv: ["bash", "-c", loop, "helm-diff-loop", helm, chart, String(threads)],
    reported: readHelmDiff,
  };
}

/** The measured tools; peers only when their plugin directory is known. */
export function tools(context, { peers, peerThreads }) {
  const list = [floor(context), helmDrift(context, null), helmDrift(context, "helm")];
  if (peers.drift) list.push({ ...nikhilsbhat(context, peerThreads), helmPlugins: peers.drift });
  if (peers.diff) list.push({ ...helmDiff(context, peerThreads), helmPlugins: peers.diff });
  return list;
}
