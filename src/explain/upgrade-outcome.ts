import { HELM_FIELD_MANAGER } from "../model/field-managers.js";
import type { FieldOwner, RawFinding, UpgradeOutcome } from "../model/finding.js";
import { groupOf, isPlainObject, type ObjectRef } from "../model/kube.js";
import { fieldNames } from "../model/path.js";
import type { HealVerdict } from "../model/report.js";
import { isSecret } from "../model/secret-kind.js";
import type { GeneratedBy } from "./generated-values.js";
import { type ApplyMethod, type UpgradePatchMechanism, upgradePatchMechanism } from "./self-heal.js";

/** What one upgrade rule looks at: a finding of one object, its live owner, and the object's other findings. */
export interface UpgradeContext {
  finding: RawFinding;
  owner: FieldOwner | null;
  ref: Pick<ObjectRef, "apiVersion" | "kind">;
  applyMethod: ApplyMethod;
  /** Every finding of the same object (the finding itself included), for rules about pairs of entries. */
  siblings: readonly RawFinding[];
  /**
   * How the chart's template makes the object's values when it does not take them from the chart and its
   * values (src/explain/generated-values.ts): `lookup` of the live object, or `random`; null: it does not, or
   * nobody can tell.
   */
  generated?: GeneratedBy | null;
}

export interface UpgradeRule {
  id: string;
  outcome: UpgradeOutcome;
  /** How Helm writes the object on upgrade, where that decides the outcome. */
  mechanism?: UpgradePatchMechanism;
  /** One line: why `helm upgrade --reuse-values` does this to a finding of this shape. */
  reason: string;
  applies(context: UpgradeContext): boolean;
}

const mechanismOf = ({ ref, applyMethod }: UpgradeContext) =>
  upgradePatchMechanism(ref.apiVersion, ref.kind, applyMethod);

/**
 * What the next `helm upgrade --reuse-values` does to one finding, in order; the first rule that applies
 * decides. Each rule is checked against the real Helm 3 and Helm 4 by test/e2e/upgrade-oracle.test.ts.
 * Broken references are not graded here: they follow the volume they name (`consequenceOutcome`).
 */
export const UPGRADE_RULES: readonly UpgradeRule[] = [
  {
    id: "service-port-name-taken",
    outcome: "fails",
    reason:
      "Helm re-adds the rendered Service port (merge key port) beside the live one that took its name, and the " +
      'API server rejects two ports of one name ("Duplicate value"), so the upgrade fails',
    applies: ({ ref, finding, siblings }) => servicePortNameTaken(ref, finding, siblings),
  },
  {
    id: "generated-value-adopted",
    outcome: "rerenders",
    reason:
      "the chart renders this Secret value from lookup of the live Secret: helm upgrade adopts the hand-edited " +
      "value and records it, so the value the release recorded is not restored (and a check then finds nothing)",
    applies: (context) => context.generated === "lookup" && isSecretData(context),
  },
  {
    id: "server-side-apply-conflict",
    outcome: "fails",
    mechanism: "server-side-apply",
    reason:
      "the release is applied server-side and another field manager owns this field with another value (or owns " +
      "the atomic map or list that lacks it): Helm's apply (without --force-conflicts) fails with a conflict",
    // A missing field has an owner only when an atomic ancestor is claimed (kubectl set selector owns all of
    // spec.selector): applying the rendered map then changes a field that manager owns. Any manager but the
    // one Helm applies as conflicts, other programs embedding Helm included.
    applies: (context) =>
      mechanismOf(context) === "server-side-apply" &&
      (context.finding.type === "changed" || context.finding.type === "missing") &&
      context.owner !== null &&
      context.owner.manager !== HELM_FIELD_MANAGER,
  },
  {
    id: "generated-value-replaced",
    outcome: "rerenders",
    reason:
      "the chart generates this Secret value at every render (rand*, uuidv4, gen*): helm upgrade writes a new " +
      "one and records it, so neither the recorded nor the live value survives",
    applies: (context) => context.generated === "random" && isSecretData(context),
  },
  {
    id: "added-live-kept",
    outcome: "keeps",
    reason:
      "no Helm patch and no apply of the rendered object removes an entry or field that neither the previous " +
      "nor the new release manifest contains",
    applies: ({ finding }) => finding.type === "extra" || finding.type === "added",
  },
  {
    id: "two-way-merge-not-resent",
    outcome: "keeps",
    mechanism: "two-way-merge-patch",
    reason:
      "Helm patches this kind with a two-way merge patch from the previous manifest to the new one and ignores " +
      "the live object: a field present in both manifests is never sent again",
    applies: (context) => mechanismOf(context) === "two-way-merge-patch",
  },
  {
    id: "crd-patch-unreliable",
    outcome: "keeps",
    mechanism: "crd-patch",
    reason:
      "Helm's patch of CustomResourceDefinition objects does not reliably restore fields (helm/helm#10495)",
    applies: (context) => mechanismOf(context) === "crd-patch",
  },
  {
    id: "three-way-merge-resends",
    outcome: "restores",
    mechanism: "three-way-strategic-merge",
    reason:
      "Helm patches built-in kinds with a three-way strategic merge that includes the live object, so a " +
      "rendered field missing or changed live is sent again",
    applies: (context) => mechanismOf(context) === "three-way-strategic-merge",
  },
  {
    id: "server-side-apply-resends",
    outcome: "restores",
    mechanism: "server-side-apply",
    reason:
      "the release is applied server-side: the whole rendered object is applied again, and a field nobody else " +
      "owns is set back",
    applies: () => true,
  },
];

/** The rule that decides what `helm upgrade` does to a finding (the last rule always applies). */
export function upgradeRuleOf(context: UpgradeContext): UpgradeRule {
  const rule = UPGRADE_RULES.find((candidate) => candidate.applies(context));
  if (!rule) throw new Error("UPGRADE_RULES must end with a rule that always applies");
  return rule;
}

/** A value under a Secret's `data` or `stringData`, missing or changed live. */
function isSecretData({ ref, finding }: UpgradeContext): boolean {
  const [top] = fieldNames(finding.path);
  return (
    isSecret(ref) &&
    (top === "data" || top === "stringData") &&
    (finding.type === "missing" || finding.type === "changed")
  );
}

/** A rule by id, for the catalogue's words. */
export function upgradeRuleById(id: string): UpgradeRule | undefined {
  return UPGRADE_RULES.find((rule) => rule.id === id);
}

/**
 * A Service port whose port number was changed live: the comparison (list-map key port + protocol, as the
 * API server keys it) sees the rendered entry missing and a live entry extra, both with the same `name`.
 * Helm 3's three-way strategic merge keys Service ports by `port` alone and Helm 4's apply by port + protocol:
 * either way it adds the rendered entry back and keeps the live one, and port names must be unique
 * (kubernetes pkg/apis/core/validation `validateServicePort`). Both findings of the pair make the upgrade fail.
 */
function servicePortNameTaken(
  ref: Pick<ObjectRef, "apiVersion" | "kind">,
  finding: RawFinding,
  siblings: readonly RawFinding[],
): boolean {
  if (groupOf(ref.apiVersion) !== "" || ref.kind !== "Service") return false;
  const name = servicePortEntryName(finding);
  if (name === null) return false;
  const opposite = finding.type === "missing" ? "extra" : "missing";
  return siblings.some((other) => other.type === opposite && servicePortEntryName(other) === name);
}

/** The `name` of a Service port entry a finding is about (missing or extra whole entries only). */
function servicePortEntryName(finding: RawFinding): string | null {
  if (finding.code !== "entry-missing" && finding.code !== "entry-extra") return null;
  const fields = fieldNames(finding.path);
  if (fields.length !== 2 || fields[0] !== "spec" || fields[1] !== "ports") return null;
  const entry = finding.type === "missing" ? finding.desired : finding.live;
  return isPlainObject(entry) && typeof entry.name === "string" && entry.name !== "" ? entry.name : null;
}

/** The upgrade rule of an object that is rendered but absent live: `helm upgrade` creates it. */
export const OBJECT_CREATED_RULE = "object-created";
/** The upgrade rule of an object whose kind the cluster does not serve: `helm upgrade` fails on it. */
export const KIND_NOT_SERVED_RULE = "kind-not-served";

/**
 * What the next `helm upgrade` does to an object, from what it does to each of its findings: `yes` when it
 * restores every one, `partly` when it restores some and keeps others, `no` when it restores none — or when it
 * fails on any (a failed apply or patch of the object changes nothing of it).
 */
export function healVerdict(outcomes: readonly UpgradeOutcome[]): HealVerdict {
  // `rerenders` is not a restore: the value the release recorded is lost.
  if (outcomes.includes("fails")) return "no";
  const restored = outcomes.filter((outcome) => outcome === "restores").length;
  if (restored === outcomes.length) return "yes";
  return restored === 0 ? "no" : "partly";
}
