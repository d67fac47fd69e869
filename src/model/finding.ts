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

/** A finding as reported: the raw facts plus severity, wording, owner, and string paths. */
export interface Finding {
  code: FindingCode;
  type: FindingType;
  /** `spec.template.spec.containers[name=runner].image` */
  path: string;
  /** RFC 6901 into the rendered object; null for `extra` entries and broken references. */
  pointer: string | null;
  severity: Severity;
  desired: unknown;
  live: unknown;
  message: string;
  owner: FieldOwner | null;
}
