import { compareObjects } from "../diff/diff-objects.js";
import { displayPair } from "../diff/display-pair.js";
import { unifiedDiff } from "../diff/unified-diff.js";
import { applyMethodOf } from "../explain/apply-method.js";
import { explainResource } from "../explain/explain-resource.js";
import type { GeneratedBy } from "../explain/generated-values.js";
import { healVerdict, KIND_NOT_SERVED_RULE, OBJECT_CREATED_RULE } from "../explain/upgrade-outcome.js";
import { maskFinding, maskObject } from "../mask/secret-values.js";
import type { Finding } from "../model/finding.js";
import type { IgnoredFinding } from "../model/ignore.js";
import { formatIdentity, type ObjectRef } from "../model/kube.js";
import { formatPath, toLivePointer, toPointer } from "../model/path.js";
import type { ResourceReason, ResourceReport } from "../model/report.js";
import type { FilterSubject, FindingFilter } from "../noise/finding-filter.js";
import { planRemediation } from "../plan/remediation.js";
import { repairOperations } from "../plan/repair-operations.js";
import { OBJECT_MISSING_RULE, objectMissingSeverity } from "../rules/severity.js";
import type { ReleaseContext, RenderedResource } from "./check-resource.js";
import { type ClassifiedFinding, classifyFindings } from "./classify-findings.js";
import { type FilteredFindings, filterFindings } from "./filter-findings.js";
import type { LocatedResource } from "./locate-resource.js";

type Base = ObjectRef & Pick<ResourceReport, "source" | "manifestLine">;

/**
 * The pure half of checking one object, after it was located: compare once → classify → filter → derive.
 * Everything the report says about a drifted object — findings, explanations, heal verdict, repair plan, diff,
 * and so the summary — is derived from the kept findings of the one comparison.
 */
export function reportLocatedResource(
  rendered: RenderedResource,
  located: LocatedResource,
  release: ReleaseContext,
  filter: FindingFilter | null,
  generated: GeneratedBy | null = null,
  /** The comparison of the rendered and the live object, when the caller already made it (a Secret's). */
  compared: ReturnType<typeof compareObjects> | null = null,
): ResourceReport {
  const base: Base = { ...located.ref, source: rendered.source, manifestLine: rendered.line };
  const subject: FilterSubject = {
    ref: located.ref,
    rendered: rendered.object,
    live: located.status === "found" ? located.live : null,
  };
  switch (located.status) {
    case "kind-not-served":
    case "not-found": {
      const report =
        located.status === "not-found"
          ? missingResource(base, located.ref, release)
          : kindNotServed(base, { code: "kind-not-served", detail: located.detail });
      // The object-missing finding goes through the same filter: a rule on "" or Flux's opt-out drops it.
      const verdict = filter?.forObject(subject)({
        code: "object-missing",
        pointer: "",
        livePointer: null,
        owner: null,
      });
      if (!verdict || !("ignoredBy" in verdict)) return report;
      return {
        ...inSync(base),
        ignoredFindings: report.findings.map((finding) => ({ finding, ignoredBy: verdict.ignoredBy })),
      };
    }
    case "forbidden":
      return {
        ...base,
        status: "Unreadable",
        reason: { code: "forbidden", detail: located.detail },
        findings: [],
        explanations: [],
        healsOnUpgrade: null,
        remediation: null,
      };
    case "found": {
      const comparison = compared ?? compareObjects(rendered.object, located.live, located.listTypes);
      const classified = classifyFindings(comparison.findings, base, located.live, {
        autoscaled: located.autoscaled,
        generated,
      });
      const filtered = filterFindings(classified, subject, filter);
      const ignoredFindings = ignoredOf(filtered, base);
      if (filtered.kept.length === 0) return { ...inSync(base), ...ignoredFindings };
      return {
        ...driftedResource(base, located, comparison, filtered, release, generated),
        ...ignoredFindings,
      };
    }
  }
}

/** The ignored findings as the report carries them (values masked), or nothing when there are none. */
function ignoredOf(filtered: FilteredFindings, base: Base): { ignoredFindings?: IgnoredFinding[] } {
  if (filtered.ignored.length === 0) return {};
  return {
    ignoredFindings: filtered.ignored.map(({ finding, ignoredBy }) => ({
      finding: reportedFinding(finding, base),
      ignoredBy,
    })),
  };
}

function driftedResource(
  base: Base,
  located: Extract<LocatedResource, { status: "found" }>,
  comparison: ReturnType<typeof compareObjects>,
  { kept, ignored }: FilteredFindings,
  release: ReleaseContext,
  generated: GeneratedBy | null,
): ResourceReport {
  const { live } = located;
  const applyMethod = applyMethodOf(live);
  const raws = kept.map((finding) => finding.raw);
  const findings = kept.map((finding) => reportedFinding(finding, base));
  const reverted = kept.filter((finding) => finding.repair === "revert");
  const addedLive = reverted.filter(({ raw }) => raw.type === "extra" || raw.type === "added");
  const shown = displayPair(comparison, raws);
  return {
    ...base,
    status: "Drifted",
    findings,
    explanations: explainResource({
      ref: base,
      live,
      findings: raws,
      owners: kept.map((finding) => finding.owner),
      upgrades: kept.map((finding) => finding.upgradeBy),
    }),
    healsOnUpgrade: healVerdict(kept.map((finding) => finding.upgrade)),
    remediation: planRemediation({
      release,
      ref: located.ref,
      exists: true,
      operations: repairOperations(
        live,
        reverted.map((finding) => finding.raw),
      ),
      removals: repairOperations(
        live,
        addedLive.map((finding) => finding.raw),
      ),
      restores: reverted.length > addedLive.length,
      leavesAlone: findings
        .filter((finding) => finding.repair === "leave")
        .map((finding) => ({ path: finding.path, pointer: finding.pointer, rule: finding.severityRule })),
      ignored: ignored.map(({ finding }) => ({
        pointer:
          finding.raw.type === "missing" || finding.raw.type === "changed"
            ? toPointer(finding.raw.path)
            : null,
      })),
      flux: release.flux,
      applyMethod,
      conflictingManagers: conflictingManagers(kept),
      generated,
    }),
    diff: unifiedDiff(
      `rendered ${formatIdentity(base)}`,
      `live ${formatIdentity(base)}`,
      maskObject(base, shown.desired),
      maskObject(base, shown.live),
    ),
  };
}

/** The managers Helm's server-side apply conflicts with, in the order their findings are reported. */
function conflictingManagers(kept: readonly ClassifiedFinding[]): string[] {
  const managers = kept.flatMap((finding) =>
    finding.upgrade === "fails" &&
    finding.owner !== null &&
    finding.upgradeRule === "server-side-apply-conflict"
      ? [finding.owner.manager]
      : [],
  );
  return [...new Set(managers)];
}

/** A classified finding as the report carries it: values masked, paths as strings and pointers, no words. */
function reportedFinding(finding: ClassifiedFinding, ref: ObjectRef): Finding {
  const masked = maskFinding(ref, finding.raw);
  return {
    code: masked.code,
    type: masked.type,
    path: formatPath(masked.path),
    pointer: masked.type === "missing" || masked.type === "changed" ? toPointer(masked.path) : null,
    livePointer: masked.type === "missing" ? null : toLivePointer(masked.path),
    severity: finding.severity,
    severityRule: finding.severityRule,
    ...(finding.severityOverride ? { severityOverride: finding.severityOverride } : {}),
    desired: masked.desired ?? null,
    live: masked.live ?? null,
    ...(masked.type === "broken-reference" ? { container: masked.container } : {}),
    owner: finding.owner,
    repair: finding.repair,
    upgrade: finding.upgrade,
    upgradeRule: finding.upgradeRule,
  };
}

function inSync(base: Base): ResourceReport {
  return {
    ...base,
    status: "InSync",
    findings: [],
    explanations: [],
    healsOnUpgrade: null,
    remediation: null,
    diff: null,
  };
}

function objectMissingFinding(kind: string, upgrade: Pick<Finding, "upgrade" | "upgradeRule">): Finding {
  return {
    code: "object-missing",
    type: "missing",
    path: "",
    pointer: "",
    livePointer: null,
    severity: objectMissingSeverity(kind),
    severityRule: OBJECT_MISSING_RULE,
    desired: null,
    live: null,
    owner: null,
    repair: "revert",
    ...upgrade,
  };
}

/** Rendered but not found live: `helm upgrade` creates manifest objects that are not found, so it heals this. */
function missingResource(base: Base, ref: ObjectRef, release: ReleaseContext): ResourceReport {
  return {
    ...base,
    status: "Missing",
    reason: { code: "not-found" },
    findings: [objectMissingFinding(base.kind, { upgrade: "restores", upgradeRule: OBJECT_CREATED_RULE })],
    explanations: explainResource({ ref: base, live: null, findings: [], owners: [], upgrades: [] }),
    healsOnUpgrade: "yes",
    remediation: planRemediation({ release, ref, exists: false, operations: [], flux: release.flux }),
  };
}

/**
 * The cluster does not serve the kind (its CRD is not installed): the object cannot exist, and
 * `helm upgrade` fails on it until the CRD is installed, so no upgrade-based plan is offered.
 */
function kindNotServed(base: Base, reason: ResourceReason): ResourceReport {
  return {
    ...base,
    status: "Missing",
    reason,
    findings: [objectMissingFinding(base.kind, { upgrade: "fails", upgradeRule: KIND_NOT_SERVED_RULE })],
    explanations: [{ code: "kind-not-served" }],
    healsOnUpgrade: "no",
    remediation: null,
  };
}
