// Drifts 10 % of the fleet, the first release of each namespace, three ways each, as people drift clusters:
// - the Deployment: `kubectl scale` (even namespaces) or `kubectl set image` (odd ones);
// - the ConfigMap: `kubectl patch` of one data value;
// - the WorkerPool custom resource: the incident shape, a field of spec the chart renders removed live
//   (`spec.template.spec.volumes`, leaving the container's volumeMounts pointing at nothing). Helm sends a
//   custom resource a two-way merge patch of old and new manifest, so `helm upgrade` never re-sends it.
// Every change is idempotent (a kept cluster can be drifted again). Returns the injected drifts, each
// {namespace, release, kind, name, path} with path in helm-drift's notation.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { inParallel, namespaceOf, RELEASES_PER_NAMESPACE, releaseName } from "./install-fleet.mjs";

const run = promisify(execFile);

/** The drifts of release i, and the kubectl commands that make them. */
function driftsOf(i) {
  const namespace = namespaceOf(i);
  const release = releaseName(i);
  const scale = Math.floor(i / RELEASES_PER_NAMESPACE) % 2 === 0;
  const deployment = scale
    ? {
        path: "spec.replicas",
        argv: ["scale", `deployment/${release}`, "--replicas=5"],
      }
    : {
        path: "spec.template.spec.containers[name=app].image",
        argv: ["set", "image", `deployment/${release}`, "app=docker.io/library/nginx:1.27.4"],
      };
  return [
    { kind: "Deployment", name: release, ...deployment },
    {
      kind: "ConfigMap",
      name: `${release}-config`,
      path: "data.LOG_LEVEL",
      argv: [
        "patch",
        "configmap",
        `${release}-config`,
        "--type=merge",
        "-p",
        '{"data":{"LOG_LEVEL":"debug"}}',
      ],
    },
    {
      kind: "WorkerPool",
      name: `${release}-workers`,
      path: "spec.template.spec.volumes",
      argv: [
        "patch",
        "workerpools.fleet.helm-drift.dev",
        `${release}-workers`,
        "--type=merge",
        "-p",
        '{"spec":{"template":{"spec":{"volumes":null}}}}',
      ],
    },
  ].map((d) => ({ namespace, release, ...d }));
}

/** @param {{kubectl: string, env: NodeJS.ProcessEnv}} tools */
export async function injectDrift(size, { kubectl, env }) {
  const drifted = Array.from({ length: size }, (_, i) => i).filter((i) => i % RELEASES_PER_NAMESPACE === 0);
  const drifts = drifted.flatMap(driftsOf);
  await inParallel(drifts, 8, (d) => run(kubectl, ["-n", d.namespace, ...d.argv], { env }));
  return drifts.map(({ argv, ...drift }) => drift);
}
