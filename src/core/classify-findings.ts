import { applyMethodOf } from "../explain/apply-method.js";
import type { GeneratedBy } from "../explain/generated-values.js";
import { ownerOf } from "../explain/managed-fields.js";
import { type UpgradeRule, upgradeRuleOf } from "../explain/upgrade-outcome.js";
import type { FieldOwner, RawFinding, RepairDecision, Severity, UpgradeOutcome } from "../model/finding.js";
import { severityRank } from "../model/finding.js";
import type { RuleOrigin } from "../model/ignore.js";
import type { KubeObject, ObjectRef } from "../model/kube.js";
import { fieldNames } from "../model/path.js";
import { severityRuleOf } from "../rules/severity.js";

/**
 * A raw finding graded once: who owns the field live, how severe it is and by which rule, what a repair does,
 * and what the next `helm upgrade` does to it.
 */
export interface ClassifiedFinding {
  readonly raw: RawFinding;
  readonly owner: FieldOwner | null;
  readonly severity: Severity;
  /** The id of the severity rule that decided (src/rules/severity.ts), or `severity-override`. */
  readonly severityRule: string;
  /** The config file's override that set the severity (src/core/filter-findings.ts), when one did. */
  readonly severityOverride?: { origin: RuleOrigin; index: number };
  readonly repair: RepairDecision;
  readonly upgrade: UpgradeOutcome;
  /** The id of the upgrade rule that decided (src/explain/upgrade-outcome.ts). */
  readonly upgradeRule: string;
  /** The upgrade rule itself; null for a broken reference, which follows the volume it names. */
  readonly upgradeBy: UpgradeRule | null;
}

/** What the cluster says about the object beyond the object itself. */
export interface ObjectFacts {
  /** An autoscaler (HPA, KEDA ScaledObject) targets the object, in the release or in the cluster. */
  autoscaled: boolean;
  /** How the chart's template generates the object's values (lookup, random); null: it does not, or unknown. */
  generated?: GeneratedBy | null;
}

/**
 * The one classification step: owner from the live managedFields, severity from the first rule that applies,
 * the repair decision from the same rule (a field someone else legitimately owns is left alone), and the
 * upgrade outcome from the first upgrade rule that applies. Most severe first, so a reader meets the finding
 * that breaks pods before the ones that explain it; ties keep the comparison's order.
 */
export function classifyFindings(
  findings: readonly RawFinding[],
  ref: Pick<ObjectRef, "apiVersion" | "kind">,
  live: KubeObject,
  facts: ObjectFacts = { autoscaled: false },
): ClassifiedFinding[] {
  const applyMethod = applyMethodOf(live);
  const graded = findings.map((raw, order) => {
    const owner = ownerOf(live.metadata.managedFields, raw.path);
    const rule = severityRuleOf(raw, ref.kind, owner, facts);
    const repair: RepairDecision =
      raw.type === "broken-reference" ? "consequence" : rule.repair === "leave" ? "leave" : "revert";
    const upgradeBy =
      raw.type === "broken-reference"
        ? null
        : upgradeRuleOf({
            finding: raw,
            owner,
            ref,
            applyMethod,
            siblings: findings,
            generated: facts.generated ?? null,
          });
    return { raw, owner, severity: rule.severity, severityRule: rule.id, repair, upgradeBy, order };
  });
  return graded
    .map(({ order, ...finding }) => ({
      finding: {
        ...finding,
        upgrade: finding.upgradeBy?.outcome ?? consequenceOutcome(finding.raw, graded),
        upgradeRule: finding.upgradeBy?.id ?? "follows-volume",
      },
      order,
    }))
    .sort((a, b) => severityRank(b.finding.severity) - severityRank(a.finding.severity) || a.order - b.order)
    .map(({ finding }) => finding);
}

/**
 * A broken volume reference heals exactly when the volume it names comes back: the outcome of the finding
 * about that volume (its entry, or the whole `volumes` list); kept when no finding is about it.
 */
function consequenceOutcome(
  finding: RawFinding,
  all: readonly { raw: RawFinding; upgradeBy: UpgradeRule | null }[],
): UpgradeOutcome {
  if (finding.type !== "broken-reference") return "keeps";
  const volume = all.find(({ raw }) => {
    if (raw.type !== "missing") return false;
    const last = raw.path.at(-1);
    if (fieldNames(raw.path).at(-1) !== "volumes") return false;
    return raw.code === "list-missing" || (last?.kind === "key" && last.key.name === finding.desired);
  });
  return volume?.upgradeBy?.outcome ?? "keeps";
}
