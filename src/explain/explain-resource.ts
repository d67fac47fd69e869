import type { FieldOwner, RawFinding } from "../model/finding.js";
import { isPlainObject, type KubeObject, type ObjectRef } from "../model/kube.js";
import { formatPath } from "../model/path.js";
import type { Explanation } from "./explanation.js";
import { coverageOf, readLastApplied, trackedNear } from "./last-applied.js";
import { managersOf } from "./managed-fields.js";
import { type UpgradePatchMechanism, upgradePatchMechanism } from "./self-heal.js";

export interface ExplainInput {
  ref: ObjectRef;
  /** null when the object does not exist live. */
  live: KubeObject | null;
  findings: RawFinding[];
  /** `owners[i]` is `ownerOf(live managedFields, findings[i].path)`. */
  owners: (FieldOwner | null)[];
  /** Whether the next `helm upgrade` re-sends missing or changed fields (`selfHealsOnUpgrade`). */
  selfHeals: boolean;
}

/** Evidence about why the drift exists and whether `helm upgrade` repairs it, most urgent first. */
export function explainResource(input: ExplainInput): Explanation[] {
  const { live, findings } = input;
  if (live === null) return [{ code: "object-missing" }];
  if (findings.length === 0) return [];
  return [
    ...brokenReferences(findings),
    ...ownership(live, findings, input.owners),
    ...lastAppliedEvidence(live, findings),
    ...upgradeOutcome(input),
  ];
}

function brokenReferences(findings: RawFinding[]): Explanation[] {
  return findings.flatMap((finding): Explanation[] => {
    if (finding.type !== "broken-reference") return [];
    const mount = isPlainObject(finding.live) ? finding.live : {};
    const mountPath = mount.mountPath ?? mount.devicePath;
    return [
      {
        code: "volume-not-found",
        container: finding.container,
        volume: finding.desired,
        mountPath: typeof mountPath === "string" ? mountPath : "",
      },
    ];
  });
}

function ownership(live: KubeObject, findings: RawFinding[], owners: (FieldOwner | null)[]): Explanation[] {
  const managedFields = live.metadata.managedFields;
  if (!managedFields || managedFields.length === 0) return [{ code: "managed-fields-absent" }];
  const byOwner = new Map<string, { owner: FieldOwner; paths: string[] }>();
  const unowned: string[] = [];
  findings.forEach((finding, i) => {
    const owner = owners[i] ?? null;
    const path = formatPath(finding.path);
    if (owner === null) {
      if (finding.type === "missing") unowned.push(path);
      return;
    }
    const key = JSON.stringify([owner.manager, owner.operation, owner.subresource ?? "", owner.time]);
    const group = byOwner.get(key) ?? { owner, paths: [] };
    group.paths.push(path);
    byOwner.set(key, group);
  });
  const explanations: Explanation[] = [...byOwner.values()].map(({ owner, paths }) => ({
    code: "written-by",
    owner,
    paths,
  }));
  if (unowned.length > 0) {
    explanations.push({ code: "missing-unowned", paths: unowned, managers: managersOf(managedFields) });
  }
  return explanations;
}

function lastAppliedEvidence(live: KubeObject, findings: RawFinding[]): Explanation[] {
  const lastApplied = readLastApplied(live);
  if (lastApplied.status === "absent") return [{ code: "last-applied-absent" }];
  if (lastApplied.status === "unreadable") {
    return [{ code: "last-applied-unreadable", reason: lastApplied.reason }];
  }
  const { config } = lastApplied;
  const lacking: string[] = [];
  const tracked = new Map<string, Set<string>>();
  const matchesLive: string[] = [];
  const differsFromLive: string[] = [];
  for (const finding of findings) {
    if (finding.type === "broken-reference") continue;
    const path = formatPath(finding.path);
    const coverage = coverageOf(config, live, finding.path);
    if (coverage === "lacks" && finding.type === "missing") {
      lacking.push(path);
      const near = trackedNear(config, finding.path);
      if (near) {
        const fields = tracked.get(formatPath(near.at)) ?? new Set<string>();
        for (const field of near.fields) fields.add(field);
        tracked.set(formatPath(near.at), fields);
      }
    } else if (coverage === "matches-live" && finding.type !== "missing") {
      matchesLive.push(path);
    } else if (coverage === "differs-from-live" && finding.type !== "extra") {
      differsFromLive.push(path);
    }
  }
  const explanations: Explanation[] = [];
  if (lacking.length > 0) {
    explanations.push({
      code: "last-applied-lacks",
      lacking,
      tracked: [...tracked].map(([at, fields]) => ({ at, fields: [...fields].sort() })),
    });
  }
  if (matchesLive.length > 0) explanations.push({ code: "last-applied-matches-live", paths: matchesLive });
  if (differsFromLive.length > 0) {
    explanations.push({ code: "last-applied-differs-from-live", paths: differsFromLive });
  }
  return explanations;
}

function upgradeOutcome({ ref, findings, selfHeals }: ExplainInput): Explanation[] {
  const mechanism = mechanismFor(ref, selfHeals);
  const restorable = findings
    .filter((finding) => finding.type === "missing" || finding.type === "changed")
    .map((finding) => formatPath(finding.path));
  const extra = findings
    .filter((finding) => finding.type === "extra")
    .map((finding) => formatPath(finding.path));
  const explanations: Explanation[] = [];
  if (restorable.length > 0) {
    explanations.push({
      code: selfHeals ? "upgrade-restores" : "upgrade-does-not-restore",
      mechanism,
      paths: restorable,
    });
  }
  if (extra.length > 0) explanations.push({ code: "upgrade-keeps-extra", paths: extra });
  return explanations;
}

/**
 * The patch mechanism that matches the caller's verdict. The caller may know more than the kind (a Helm 4
 * release applied server-side heals custom resources too); then the kind's client-side mechanism is wrong.
 */
function mechanismFor(ref: ObjectRef, selfHeals: boolean): UpgradePatchMechanism {
  const clientSide = upgradePatchMechanism(ref.apiVersion, ref.kind);
  const clientSideHeals = clientSide === "three-way-strategic-merge";
  if (selfHeals === clientSideHeals) return clientSide;
  return selfHeals ? "server-side-apply" : "two-way-merge-patch";
}
