import type { RuleOrigin } from "./ignore.js";
import type { Path } from "./path.js";

export type FindingType = "missing" | "changed" | "extra" | "added" | "broken-reference";

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher number = more severe. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

/**
 * What the diff engine and the reference check produce: facts only, no wording, no severity.
 * `desired` / `live` are the values at `path` (undefined when absent on that side).
 */
export type RawFinding =
  /** A rendered scalar field, or a field holding a whole list or map, is absent live. */
  | {
      type: "missing";
      code: "field-missing" | "list-missing" | "map-missing";
      path: Path;
      desired: unknown;
      live: undefined;
    }
  /** A rendered entry of a keyed list (container, env var, volume, port, …) is absent live. */
  | { type: "missing"; code: "entry-missing"; path: Path; desired: unknown; live: undefined }
  /** Both sides have the field; the values differ after normalization. */
  | { type: "changed"; code: "value-changed"; path: Path; desired: unknown; live: unknown }
  /** A keyed list live has an entry the rendered object does not (a sidecar, env var, volume added by hand). */
  | { type: "extra"; code: "entry-extra"; path: Path; desired: undefined; live: unknown }
  /**
   * A field the release does not render that a manager other than Helm or a known controller set live
   * (`kubectl patch` adding a nodeSelector, hostNetwork, `privileged: true`), from metadata.managedFields.
   * `live` is the value at `path`, the highest path the adding managers own whole (src/diff/added-fields.ts).
   */
  | { type: "added"; code: "field-added"; path: Path; desired: undefined; live: unknown }
  /** Live pod template: a volumeMount names a volume the pod does not have. `desired` is the volume name sought. */
  | {
      type: "broken-reference";
      code: "volume-mount-broken";
      path: Path;
      desired: string;
      live: unknown;
      container: string;
    };

export type FindingCode = RawFinding["code"] | "object-missing";

/** Who last wrote a field, from metadata.managedFields. */
export interface FieldOwner {
  manager: string;
  operation: string;
  /** null when the server recorded no time for the entry (writes through a subresource often have none). */
  time: string | null;
  subresource?: string;
}

/**
 * What the next `helm upgrade --reuse-values` does to a finding (src/explain/upgrade-outcome.ts):
 * - `restores`: puts the rendered value back;
 * - `keeps`: leaves the live value as it is;
 * - `fails`: the upgrade fails on this object because of it (a field-ownership conflict, a duplicate port);
 * - `rerenders`: the chart generates the value (lookup, rand*), so the upgrade renders a new one and records
 *   it: the finding goes away, but the value the release recorded is not restored.
 */
export type UpgradeOutcome = "restores" | "keeps" | "fails" | "rerenders";

/** What the repair does with a reported finding. */
export type RepairDecision =
  /** The repair puts the rendered value back. */
  | "revert"
  /** Someone else legitimately owns the field (an autoscaler's replicas): reported, never reverted. */
  | "leave"
  /** A consequence of other drift (a mount naming a missing volume): repaired by reverting that drift. */
  | "consequence";

/**
 * A finding as reported: the raw facts (values masked), graded, with string paths. No wording: the catalogue
 * (src/catalogue/messages.ts) words it at the edge, from `code` and the facts.
 */
export interface Finding {
  code: FindingCode;
  type: FindingType;
  /** `spec.template.spec.containers[name=runner].image`; empty for the whole object. */
  path: string;
  /** RFC 6901 into the rendered object; null where the rendered object has no such place (an extra entry). */
  pointer: string | null;
  /** RFC 6901 into the live object; null where the live object has no such place (a missing field or entry). */
  livePointer: string | null;
  severity: Severity;
  /**
   * The id of the severity rule that set `severity`: one of SEVERITY_RULES, `object-missing`
   * (src/rules/severity.ts), or `severity-override` when a config file's override set it (`severityOverride`).
   */
  severityRule: string;
  /** The config's severity override that set `severity`, when one did. */
  severityOverride?: { origin: RuleOrigin; index: number };
  desired: unknown;
  live: unknown;
  /** The container of a broken volume reference. */
  container?: string;
  owner: FieldOwner | null;
  repair: RepairDecision;
  /** What the next `helm upgrade --reuse-values` does to this finding. */
  upgrade: UpgradeOutcome;
  /** The id of the upgrade rule that decided `upgrade` (src/explain/upgrade-outcome.ts), or `object-created`. */
  upgradeRule: string;
}
