import { ownerOf } from "../explain/managed-fields.js";
import type { FieldOwner, RawFinding, RepairDecision, Severity } from "../model/finding.js";
import { severityRank } from "../model/finding.js";
import type { KubeObject } from "../model/kube.js";
import { severityRuleOf } from "../rules/severity.js";

/** A raw finding graded once: who owns the field live, how severe it is and by which rule, what a repair does. */
export interface ClassifiedFinding {
  readonly raw: RawFinding;
  readonly owner: FieldOwner | null;
  readonly severity: Severity;
  /** The id of the severity rule that decided (src/rules/severity.ts). */
  readonly severityRule: string;
  readonly repair: RepairDecision;
}

/**
 * The one classification step: owner from the live managedFields, severity from the first rule that applies,
 * and the repair decision from the same rule (a field someone else legitimately owns is left alone). Most
 * severe first, so a reader meets the finding that breaks pods before the ones that explain it; ties keep the
 * comparison's order.
 */
export function classifyFindings(
  findings: readonly RawFinding[],
  kind: string,
  live: KubeObject,
): ClassifiedFinding[] {
  return findings
    .map((raw, order) => {
      const owner = ownerOf(live.metadata.managedFields, raw.path);
      const rule = severityRuleOf(raw, kind, owner);
      const repair: RepairDecision =
        raw.type === "broken-reference" ? "consequence" : rule.repair === "leave" ? "leave" : "revert";
      return { finding: { raw, owner, severity: rule.severity, severityRule: rule.id, repair }, order };
    })
    .sort((a, b) => severityRank(b.finding.severity) - severityRank(a.finding.severity) || a.order - b.order)
    .map(({ finding }) => finding);
}
