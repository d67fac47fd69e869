import type { FieldOwner, FindingCode, Severity } from "../model/finding.js";
import { driftDetectionOptOut } from "../model/flux-drift-detection.js";
import type { IgnoreReason, RuleOrigin } from "../model/ignore.js";
import type { KubeObject, ObjectRef } from "../model/kube.js";
import { type IgnoreRule, pointerCovers, type TargetMatcher } from "./ignore-rules.js";

/** The object a finding is about: the rendered object (rules select on it, as Flux does) and the live one. */
export interface FilterSubject {
  ref: ObjectRef;
  rendered: KubeObject;
  live: KubeObject | null;
}

/** What a filter looks at in a finding. */
export interface FindingFacts {
  code: FindingCode;
  /** RFC 6901 into the rendered object; null where it has no such place. */
  pointer: string | null;
  /** RFC 6901 into the live object; null where it has no such place. */
  livePointer: string | null;
  owner: FieldOwner | null;
}

/** null: the finding stands as classified. */
export type Verdict =
  | { ignoredBy: IgnoreReason }
  | { severity: Severity; override: { origin: RuleOrigin; index: number } }
  | null;

/** A judge of one object's findings: null, the finding stands as classified. */
export type FindingJudge = (finding: FindingFacts) => Verdict;

/**
 * The one place noise control decides about findings (src/core/filter-findings.ts applies it). What holds for a
 * whole object — Flux's opt-out, which rules' targets select it — is decided once, in `forObject`; the judge it
 * returns looks only at each finding's own facts.
 */
export interface FindingFilter {
  forObject(subject: FilterSubject): FindingJudge;
}

/** A config file's `severityOverrides` entry: every condition given must hold. */
export interface SeverityOverrideRule {
  code: FindingCode | null;
  /** A JSON pointer that covers the finding, as an ignore path would. */
  path: string | null;
  target: TargetMatcher | null;
  severity: Severity;
  origin: RuleOrigin;
  index: number;
}

/** What to ignore and regrade, from the config file (and, per release, the Flux HelmRelease's rules). */
export interface NoiseRules {
  ignore: readonly IgnoreRule[];
  ignoreManagers: readonly { manager: string; origin: RuleOrigin }[];
  severityOverrides: readonly SeverityOverrideRule[];
}

export const NO_RULES: NoiseRules = { ignore: [], ignoreManagers: [], severityOverrides: [] };

/**
 * The filter for one release: Flux's opt-out on the object first (it drops the whole object, as Flux
 * excludes it), then ignore rules in order, then ignored managers, then the first severity override that
 * matches. Flux's own opt-out always applies, config or not: the cluster already says it is not drift.
 */
export function findingFilter(rules: NoiseRules): FindingFilter {
  return {
    forObject(subject) {
      const optOut = optOutOf(subject);
      if (optOut !== null) return () => ({ ignoredBy: optOut });
      const selects = (target: TargetMatcher | null) =>
        target === null || target(subject.rendered, subject.ref.namespace);
      const ignore = rules.ignore.filter((rule) => selects(rule.target));
      const severityOverrides = rules.severityOverrides.filter((rule) => selects(rule.target));
      return (finding) => {
        for (const rule of ignore) {
          const path = rule.paths.find(
            (p) => pointerCovers(p, finding.pointer) || pointerCovers(p, finding.livePointer),
          );
          if (path !== undefined) {
            return { ignoredBy: { by: "path-rule", origin: rule.origin, index: rule.index, path } };
          }
        }
        const manager = finding.owner?.manager;
        const ignoredManager = rules.ignoreManagers.find((entry) => entry.manager === manager);
        if (ignoredManager !== undefined && manager !== undefined) {
          return { ignoredBy: { by: "manager", origin: ignoredManager.origin, manager } };
        }
        const override = severityOverrides.find((rule) => overrides(rule, finding));
        return override
          ? { severity: override.severity, override: { origin: override.origin, index: override.index } }
          : null;
      };
    },
  };
}

function optOutOf(subject: FilterSubject): IgnoreReason | null {
  const rendered = driftDetectionOptOut(subject.rendered);
  if (rendered !== null) return { by: "opt-out", on: "rendered", metadata: rendered.metadata };
  const live = driftDetectionOptOut(subject.live);
  return live === null ? null : { by: "opt-out", on: "live", metadata: live.metadata };
}

/** Whether an override whose target selects the object applies to this finding: code and path, each when given. */
function overrides(rule: SeverityOverrideRule, finding: FindingFacts): boolean {
  if (rule.code !== null && rule.code !== finding.code) return false;
  return (
    rule.path === null ||
    pointerCovers(rule.path, finding.pointer) ||
    pointerCovers(rule.path, finding.livePointer)
  );
}

/** The rules of one release: the config's, plus its Flux HelmRelease's ignore rules (after the config's). */
export function withHelmReleaseRules(rules: NoiseRules, helmRelease: readonly IgnoreRule[]): NoiseRules {
  return helmRelease.length === 0 ? rules : { ...rules, ignore: [...rules.ignore, ...helmRelease] };
}
