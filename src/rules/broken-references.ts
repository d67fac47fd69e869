import type { RawFinding } from "../model/finding.js";
import { isPlainObject, type KubeObject } from "../model/kube.js";
import type { Path, PathSegment } from "../model/path.js";
import { CONTAINER_LISTS } from "../model/pod-spec.js";

/** Top-level fields that never hold a pod template worth checking (bookkeeping and observed state). */
const SKIPPED_TOP_LEVEL = new Set(["apiVersion", "kind", "metadata", "status"]);

/**
 * Every volumeMount / volumeDevice in the live object that names a volume its pod spec does not have.
 * Pods created from such a template are rejected (`volumeMounts[0].name: Not found: "kubectl-bin"`).
 *
 * A pod spec is recognised structurally — an object with a `containers` array — wherever it sits:
 * `spec` (Pod), `spec.template.spec` (Deployment, …), `spec.jobTemplate.spec.template.spec` (CronJob), or
 * anywhere inside a custom resource (ARC's AutoscalingRunnerSet keeps one at `spec.template.spec`).
 */
export function findBrokenReferences(live: KubeObject): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const [field, value] of Object.entries(live)) {
    if (SKIPPED_TOP_LEVEL.has(field)) continue;
    visit(value, [{ kind: "field", name: field }], [], findings);
  }
  return findings;
}

/** `claims`: volume names that `volumeClaimTemplates` of the object owning this pod template add. */
function visit(value: unknown, path: Path, claims: string[], out: RawFinding[]): void {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) visit(item, [...path, { kind: "index", index }], [], out);
    return;
  }
  if (!isPlainObject(value)) return;
  if (Array.isArray(value.containers)) {
    out.push(...brokenMounts(value, path, claims));
    return;
  }
  for (const [field, child] of Object.entries(value)) {
    // X.template.spec is the pod spec of X: carry X's claim templates down exactly that chain.
    const childClaims = field === "template" ? claimTemplateNames(value) : field === "spec" ? claims : [];
    visit(child, [...path, { kind: "field", name: field }], childClaims, out);
  }
}

/**
 * A StatefulSet's pods also get one volume per `volumeClaimTemplates[].metadata.name`
 * (https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#volume-claim-templates), so a mount
 * naming one is not broken although `template.spec.volumes` lacks it.
 */
function claimTemplateNames(owner: Record<string, unknown>): string[] {
  if (!Array.isArray(owner.volumeClaimTemplates)) return [];
  return owner.volumeClaimTemplates.flatMap((template) =>
    isPlainObject(template) && isPlainObject(template.metadata) && typeof template.metadata.name === "string"
      ? [template.metadata.name]
      : [],
  );
}

function brokenMounts(podSpec: Record<string, unknown>, podPath: Path, extraVolumes: string[]): RawFinding[] {
  const volumes = new Set(extraVolumes);
  if (Array.isArray(podSpec.volumes)) {
    for (const volume of podSpec.volumes) {
      if (isPlainObject(volume) && typeof volume.name === "string") volumes.add(volume.name);
    }
  }
  const findings: RawFinding[] = [];
  for (const list of CONTAINER_LISTS) {
    const containers = podSpec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((container, containerIndex) => {
      if (!isPlainObject(container) || typeof container.name !== "string") return;
      const containerPath: Path = [
        ...podPath,
        { kind: "field", name: list },
        entrySegment({ name: container.name }, containerIndex),
      ];
      findings.push(
        ...unresolved(container, "volumeMounts", "mountPath", volumes, containerPath),
        ...unresolved(container, "volumeDevices", "devicePath", volumes, containerPath),
      );
    });
  }
  return findings;
}

/** Entries of `container[list]` (merge key `keyField`) whose `name` is not a volume of the pod. */
function unresolved(
  container: Record<string, unknown>,
  list: "volumeMounts" | "volumeDevices",
  keyField: "mountPath" | "devicePath",
  volumes: ReadonlySet<string>,
  containerPath: Path,
): RawFinding[] {
  const entries = container[list];
  if (!Array.isArray(entries)) return [];
  const findings: RawFinding[] = [];
  entries.forEach((entry, liveIndex) => {
    if (!isPlainObject(entry) || typeof entry.name !== "string" || volumes.has(entry.name)) return;
    const key = entry[keyField];
    findings.push({
      type: "broken-reference",
      code: "volume-mount-broken",
      path: [
        ...containerPath,
        { kind: "field", name: list },
        typeof key === "string"
          ? entrySegment({ [keyField]: key }, liveIndex)
          : { kind: "index", index: liveIndex },
      ],
      desired: entry.name,
      live: entry,
      container: String(container.name),
    });
  });
  return findings;
}

/** A keyed-list entry seen only live: it has no position in the rendered object. */
function entrySegment(key: Record<string, string>, liveIndex: number): PathSegment {
  return { kind: "key", key, index: -1, liveIndex };
}
