import { parseLabelSelector } from "../cluster/label-selector.js";
import type { RuleOrigin } from "../model/ignore.js";
import { groupOf, isPlainObject, type KubeObject } from "../model/kube.js";
import { compileFluxRegex } from "./flux-regex.js";

/**
 * Which objects a rule applies to, in the shape of Flux's `target` (fluxcd/pkg ssa/jsondiff `Selector`, from
 * kustomize): group, version, kind, name and namespace are regular expressions matched against the whole value;
 * labelSelector and annotationSelector are Kubernetes label selectors. An empty or absent field matches anything.
 */
export interface TargetSelector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export type TargetMatcher = (object: KubeObject, namespace: string | null) => boolean;

/** An ignore rule as Flux's `driftDetection.ignore` writes it: JSON pointers, and the objects they apply to. */
export interface IgnoreRule {
  /** RFC 6901 pointers; `""` is the whole object. */
  paths: string[];
  /** null: every object of the release. */
  target: TargetMatcher | null;
  origin: RuleOrigin;
  /** The rule's place in its list (0-based), to name it. */
  index: number;
}

const REGEX_FIELDS = ["group", "version", "kind", "name", "namespace"] as const;

/**
 * Compiles a target selector; a bad regular expression or label selector throws (the caller names the file
 * and line). Matching follows fluxcd/pkg ssa/jsondiff `SelectorRegex.MatchUnstructured`, applied to the object
 * the release rendered, with the namespace it is checked in (the release's, when the manifest leaves it out).
 */
export function compileTarget(selector: TargetSelector): TargetMatcher {
  const tests: TargetMatcher[] = [];
  for (const field of REGEX_FIELDS) {
    const pattern = selector[field];
    if (!pattern) continue;
    const regex = compileFluxRegex(pattern);
    tests.push((object, namespace) => regex.test(fieldOf(object, field, namespace)));
  }
  if (selector.labelSelector) {
    const matches = parseLabelSelector(selector.labelSelector);
    tests.push((object) => matches(stringMap(object.metadata?.labels)));
  }
  if (selector.annotationSelector) {
    const matches = parseLabelSelector(selector.annotationSelector);
    tests.push((object) => matches(stringMap(object.metadata?.annotations)));
  }
  return (object, namespace) => tests.every((test) => test(object, namespace));
}

function fieldOf(object: KubeObject, field: (typeof REGEX_FIELDS)[number], namespace: string | null): string {
  switch (field) {
    case "group":
      return groupOf(object.apiVersion);
    case "version":
      return object.apiVersion.slice(object.apiVersion.indexOf("/") + 1);
    case "kind":
      return object.kind;
    case "name":
      return object.metadata.name;
    case "namespace":
      return object.metadata.namespace ?? namespace ?? "";
  }
}

function stringMap(value: unknown): Record<string, string> | undefined {
  if (!isPlainObject(value)) return undefined;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === "string")) as Record<
    string,
    string
  >;
}

/**
 * Whether the rule's pointer covers a finding at `pointer`: the same place or inside it. Flux removes each
 * ignored pointer from both objects before it compares them, so a difference at or below it disappears; `""`
 * removes the whole object. A finding above the rule's pointer (a whole map missing, when the rule names one
 * of its keys) is not covered: part of it is still drift.
 */
export function pointerCovers(rule: string, pointer: string | null): boolean {
  if (pointer === null) return false;
  return rule === "" || pointer === rule || pointer.startsWith(`${rule}/`);
}
