import { severityRank } from "../model/finding.js";
import type { IgnoreReason } from "../model/ignore.js";
import { toLivePointer, toPointer } from "../model/path.js";
import type { FilterSubject, FindingFilter } from "../noise/finding-filter.js";
import type { ClassifiedFinding } from "./classify-findings.js";

export interface FilteredFindings {
  /** Most severe first (after any severity override). */
  kept: ClassifiedFinding[];
  ignored: { finding: ClassifiedFinding; ignoredBy: IgnoreReason }[];
}

/**
 * The one point noise control plugs in (ignore rules, ignored managers, Flux's opt-out, severity overrides): it
 * sits between classification and everything derived from the findings — the explanations, the heal verdict,
 * the repair plan, the displayed diff, the summary and the exit code — so a finding it drops is neither
 * reported as drift nor repaired nor shown; it is only counted, and listed with `--show-ignored`.
 */
export function filterFindings(
  findings: readonly ClassifiedFinding[],
  subject: FilterSubject,
  filter: FindingFilter | null,
): FilteredFindings {
  if (filter === null) return { kept: [...findings], ignored: [] };
  const kept: ClassifiedFinding[] = [];
  const ignored: FilteredFindings["ignored"] = [];
  let regraded = false;
  const judge = filter.forObject(subject);
  for (const finding of findings) {
    const verdict = judge(factsOf(finding));
    if (verdict === null) kept.push(finding);
    else if ("ignoredBy" in verdict) ignored.push({ finding, ignoredBy: verdict.ignoredBy });
    else {
      regraded = true;
      kept.push({
        ...finding,
        severity: verdict.severity,
        severityRule: SEVERITY_OVERRIDE_RULE,
        severityOverride: verdict.override,
      });
    }
  }
  // A stable sort keeps the classification's order among equals.
  if (regraded) kept.sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  return { kept, ignored };
}

/** The `severityRule` of a finding whose severity a config file's override set. */
export const SEVERITY_OVERRIDE_RULE = "severity-override";

function factsOf(finding: ClassifiedFinding) {
  const { raw } = finding;
  return {
    code: raw.code,
    pointer: raw.type === "missing" || raw.type === "changed" ? toPointer(raw.path) : null,
    livePointer: raw.type === "missing" ? null : toLivePointer(raw.path),
    owner: finding.owner,
  };
}
