import type { Path } from "./path.js";

export type FindingType = "missing" | "changed" | "extra" | "broken-reference";

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
  time: string;
  subresource?: string;
}

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
  /** The id of the severity rule that set `severity`: one of SEVERITY_RULES, or `object-missing` (src/rules/severity.ts). */
  severityRule: string;
  desired: unknown;
  live: unknown;
  /** The container of a broken volume reference. */
  container?: string;
  owner: FieldOwner | null;
  repair: RepairDecision;
}
