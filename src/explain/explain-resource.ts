import { isAutoscalerManager } from "../model/autoscaler.js";
import type { FieldOwner, RawFinding } from "../model/finding.js";
import { isPlainObject, type KubeObject, type ObjectRef } from "../model/kube.js";
import { formatPath } from "../model/path.js";
import type { Explanation } from "./explanation.js";
import { coverageOf, readLastApplied, trackedNear } from "./last-applied.js";
import { managersOf } from "./managed-fields.js";
import { UPGRADE_RULES, type UpgradeRule } from "./upgrade-outcome.js";

export interface ExplainInput {
  ref: ObjectRef;
  /** null when the object does not exist live. */
  live: KubeObject | null;
  findings: RawFinding[];
  /** `owners[i]` is `ownerOf(live managedFields, findings[i].path)`. */
  owners: (FieldOwner | null)[];
  /** `upgrades[i]`: the upgrade rule that decided what `helm upgrade` does to findings[i]; null for a consequence. */
  upgrades: (UpgradeRule | null)[];
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

/**
 * What the next `helm upgrade` does, grouped by the rule that decided it (src/explain/upgrade-outcome.ts), in
 * the order of UPGRADE_RULES: failures first, then what it keeps, then what it restores.
 */
function upgradeOutcome({ findings, owners, upgrades }: ExplainInput): Explanation[] {
  const groups = new Map<UpgradeRule, { path: string; manager: string | null }[]>();
  findings.forEach((finding, i) => {
    const rule = upgrades[i];
    if (!rule) return;
    const group = groups.get(rule) ?? [];
    group.push({ path: formatPath(finding.path), manager: owners[i]?.manager ?? null });
    groups.set(rule, group);
  });
  return UPGRADE_RULES.flatMap((rule): Explanation[] => {
    const group = groups.get(rule);
    if (!group) return [];
    const paths = group.map((entry) => entry.path);
    switch (rule.id) {
      case "service-port-name-taken":
        return [{ code: "upgrade-duplicate-port", paths }];
      case "server-side-apply-conflict":
        return conflicts(group);
      case "added-live-kept":
        return [{ code: "upgrade-keeps-extra", paths }];
      case "generated-value-adopted":
        return [{ code: "upgrade-rerenders", paths, by: "lookup" }];
      case "generated-value-replaced":
        return [{ code: "upgrade-rerenders", paths, by: "random" }];
      default:
        return [
          {
            code: rule.outcome === "restores" ? "upgrade-restores" : "upgrade-does-not-restore",
            mechanism: rule.mechanism ?? "three-way-strategic-merge",
            paths,
          },
        ];
    }
  });
}

/**
 * Conflicts with people's tools, which a repair as Helm resolves, apart from conflicts with an autoscaler, which
 * every upgrade meets again while the chart renders what the autoscaler owns.
 */
function conflicts(group: readonly { path: string; manager: string | null }[]): Explanation[] {
  const split = (autoscaler: boolean) => {
    const entries = group.filter((entry) => isAutoscalerManager(entry.manager ?? "") === autoscaler);
    const managers = [
      ...new Set(entries.flatMap((entry) => (entry.manager === null ? [] : [entry.manager]))),
    ];
    return { paths: entries.map((entry) => entry.path), managers };
  };
  const people = split(false);
  const autoscalers = split(true);
  return [
    ...(people.paths.length > 0 ? [{ code: "upgrade-conflict" as const, ...people }] : []),
    ...(autoscalers.paths.length > 0
      ? [{ code: "upgrade-conflict-autoscaler" as const, ...autoscalers }]
      : []),
  ];
}
