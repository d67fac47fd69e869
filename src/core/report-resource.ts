import { compareObjects } from "../diff/diff-objects.js";
import { displayPair } from "../diff/display-pair.js";
import { unifiedDiff } from "../diff/unified-diff.js";
import { applyMethodOf } from "../explain/apply-method.js";
import { explainResource } from "../explain/explain-resource.js";
import { selfHealsOnUpgrade } from "../explain/self-heal.js";
import { maskFinding, maskObject } from "../mask/secret-values.js";
import type { Finding } from "../model/finding.js";
import { formatIdentity, type ObjectRef } from "../model/kube.js";
import { formatPath, toLivePointer, toPointer } from "../model/path.js";
import type { ResourceReason, ResourceReport } from "../model/report.js";
import { planRemediation } from "../plan/remediation.js";
import { repairOperations } from "../plan/repair-operations.js";
import { OBJECT_MISSING_RULE, objectMissingSeverity } from "../rules/severity.js";
import type { ReleaseContext, RenderedResource } from "./check-resource.js";
import { type ClassifiedFinding, classifyFindings } from "./classify-findings.js";
import { type FindingFilter, filterFindings } from "./filter-findings.js";
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
): ResourceReport {
  const base: Base = { ...located.ref, source: rendered.source, manifestLine: rendered.line };
  switch (located.status) {
    case "kind-not-served":
      return kindNotServed(base, { code: "kind-not-served", detail: located.detail });
    case "not-found":
      return missingResource(base, located.ref, release);
    case "forbidden":
      return {
        ...base,
        status: "Unreadable",
        reason: { code: "forbidden", detail: located.detail },
        findings: [],
        explanations: [],
        selfHealsOnUpgrade: null,
        remediation: null,
      };
    case "found": {
      const comparison = compareObjects(rendered.object, located.live, located.listTypes);
      const classified = classifyFindings(comparison.findings, base.kind, located.live);
      const { kept } = filterFindings(classified, base, filter);
      if (kept.length === 0) return inSync(base);
      return driftedResource(base, located, comparison, kept, release);
    }
  }
}

function driftedResource(
  base: Base,
  located: Extract<LocatedResource, { status: "found" }>,
  comparison: ReturnType<typeof compareObjects>,
  kept: ClassifiedFinding[],
  release: ReleaseContext,
): ResourceReport {
  const { live } = located;
  const heals = selfHealsOnUpgrade(base.apiVersion, base.kind, applyMethodOf(live));
  const raws = kept.map((finding) => finding.raw);
  const findings = kept.map((finding) => reportedFinding(finding, base));
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
      selfHeals: heals,
    }),
    selfHealsOnUpgrade: heals,
    remediation: planRemediation({
      release,
      ref: located.ref,
      exists: true,
      operations: repairOperations(
        live,
        kept.filter((finding) => finding.repair === "revert").map((finding) => finding.raw),
      ),
      leavesAlone: findings
        .filter((finding) => finding.repair === "leave")
        .map((finding) => ({ path: finding.path, pointer: finding.pointer, rule: finding.severityRule })),
      flux: release.flux,
      selfHeals: heals,
    }),
    diff: unifiedDiff(
      `rendered ${formatIdentity(base)}`,
      `live ${formatIdentity(base)}`,
      maskObject(base, shown.desired),
      maskObject(base, shown.live),
    ),
  };
}

/** A classified finding as the report carries it: values masked, paths as strings and pointers, no words. */
function reportedFinding(finding: ClassifiedFinding, ref: ObjectRef): Finding {
  const masked = maskFinding(ref, finding.raw);
  return {
    code: masked.code,
    type: masked.type,
    path: formatPath(masked.path),
    pointer: masked.type === "extra" || masked.type === "broken-reference" ? null : toPointer(masked.path),
    livePointer: masked.type === "missing" ? null : toLivePointer(masked.path),
    severity: finding.severity,
    severityRule: finding.severityRule,
    desired: masked.desired ?? null,
    live: masked.live ?? null,
    ...(masked.type === "broken-reference" ? { container: masked.container } : {}),
    owner: finding.owner,
    repair: finding.repair,
  };
}

function inSync(base: Base): ResourceReport {
  return {
    ...base,
    status: "InSync",
    findings: [],
    explanations: [],
    selfHealsOnUpgrade: null,
    remediation: null,
    diff: null,
  };
}

function objectMissingFinding(kind: string): Finding {
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
  };
}

/** Rendered but not found live: `helm upgrade` creates manifest objects that are not found, so it heals this. */
function missingResource(base: Base, ref: ObjectRef, release: ReleaseContext): ResourceReport {
  return {
    ...base,
    status: "Missing",
    reason: { code: "not-found" },
    findings: [objectMissingFinding(base.kind)],
    explanations: explainResource({ ref: base, live: null, findings: [], owners: [], selfHeals: true }),
    selfHealsOnUpgrade: true,
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
    findings: [objectMissingFinding(base.kind)],
    explanations: [{ code: "kind-not-served" }],
    selfHealsOnUpgrade: false,
    remediation: null,
  };
}
