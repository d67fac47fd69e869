import type { ObjectRef } from "../model/kube.js";
import type { ClassifiedFinding } from "./classify-findings.js";

/**
 * Decides whether a classified finding is kept. The one place noise control plugs in (ignore rules, ignored
 * managers, opt-out annotations): it sits between classification and everything derived from the findings — the
 * explanations, the heal verdict, the repair plan, the displayed diff and the summary — so a finding it drops is
 * neither reported nor repaired nor shown.
 */
export interface FindingFilter {
  /** null keeps the finding; otherwise why it is dropped (the rule that matched, for `--show-ignored`). */
  ignores(finding: ClassifiedFinding, object: ObjectRef): { rule: string } | null;
}

export interface FilteredFindings {
  kept: ClassifiedFinding[];
  ignored: { finding: ClassifiedFinding; rule: string }[];
}

/** Splits findings into kept and ignored; without a filter every finding is kept. */
export function filterFindings(
  findings: readonly ClassifiedFinding[],
  object: ObjectRef,
  filter: FindingFilter | null,
): FilteredFindings {
  const kept: ClassifiedFinding[] = [];
  const ignored: FilteredFindings["ignored"] = [];
  for (const finding of findings) {
    const match = filter?.ignores(finding, object) ?? null;
    if (match === null) kept.push(finding);
    else ignored.push({ finding, rule: match.rule });
  }
  return { kept, ignored };
}
