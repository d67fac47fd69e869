import { isPlainObject, type KubeObject } from "../model/kube.js";
import type { Path } from "../model/path.js";
import { LAST_APPLIED_ANNOTATION } from "../normalize/last-applied-annotation.js";
import { jsonEqual, resolvePath } from "./value-at-path.js";

/**
 * `kubectl.kubernetes.io/last-applied-configuration`: the configuration the last client-side `kubectl apply`
 * sent (Helm never writes it). kubectl's next apply removes what this lists and the new configuration lacks,
 * and never removes what it does not list.
 */
export type LastApplied =
  | { status: "absent" }
  /** Present but not usable as evidence. `reason` never quotes the text: for a Secret it holds the values. */
  | { status: "unreadable"; reason: "not-json" | "not-an-object" }
  | { status: "present"; config: Record<string, unknown> };

export function readLastApplied(live: KubeObject): LastApplied {
  const text = live.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
  if (text === undefined) return { status: "absent" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The annotation is evidence, not input we must accept: an edited or truncated one is reported as
    // unreadable (the explanation says so) rather than failing the whole check.
    return { status: "unreadable", reason: "not-json" };
  }
  return isPlainObject(parsed)
    ? { status: "present", config: parsed }
    : { status: "unreadable", reason: "not-an-object" };
}

/**
 * What the annotation says about one drifted path:
 * - `lacks`: the last apply did not send it;
 * - `matches-live`: it sent exactly the live value (the live value came from that apply);
 * - `differs-from-live`: it sent a value that is no longer live (something changed or removed it since).
 */
export type Coverage = "lacks" | "matches-live" | "differs-from-live";

export function coverageOf(config: Record<string, unknown>, live: KubeObject, path: Path): Coverage {
  const applied = resolvePath(config, path);
  if (!applied.found) return "lacks";
  const current = resolvePath(live, path);
  return current.found && jsonEqual(applied.value, current.value) ? "matches-live" : "differs-from-live";
}

/**
 * For a path the annotation lacks: the deepest ancestor it does contain, and that ancestor's field names —
 * what the last apply tracked there (the incident: `spec.template.spec` with only `containers`).
 */
export function trackedNear(
  config: Record<string, unknown>,
  path: Path,
): { at: Path; fields: string[] } | null {
  const resolution = resolvePath(config, path);
  if (resolution.found || !isPlainObject(resolution.at)) return null;
  return { at: path.slice(0, resolution.depth), fields: Object.keys(resolution.at).sort() };
}
