import { SEVERITIES, type Severity } from "../model/finding.js";
import type { RuleOrigin } from "../model/ignore.js";
import { isPlainObject } from "../model/kube.js";
import type { SeverityOverrideRule } from "./finding-filter.js";
import { RegexSyntaxError } from "./flux-regex.js";
import { compileTarget, type IgnoreRule, type TargetMatcher, type TargetSelector } from "./ignore-rules.js";

/** A rule that cannot be used: `at` is the path inside the rule (for a line number), `problem` says why. */
export class RuleError extends Error {
  constructor(
    readonly at: readonly (string | number)[],
    readonly problem: string,
  ) {
    super(`${at.join(".")}: ${problem}`);
  }
}

/** `{paths, target}` in Flux's `driftDetection.ignore` shape; the JSON Schema has checked the types already. */
export function compileIgnoreRule(raw: unknown, origin: RuleOrigin, index: number): IgnoreRule {
  if (!isPlainObject(raw)) throw new RuleError([], "is not a map");
  const paths = raw.paths;
  if (!Array.isArray(paths) || paths.some((p) => typeof p !== "string")) {
    throw new RuleError(["paths"], "must be a list of JSON pointers");
  }
  paths.forEach((path: string, i) => {
    checkPointer(path, ["paths", i]);
  });
  return { paths, target: targetOf(raw.target, ["target"]), origin, index };
}

/** `{code?, path?, target?, severity}`: at least one of code and path. */
export function compileSeverityOverride(
  raw: Record<string, unknown>,
  origin: RuleOrigin,
  index: number,
): SeverityOverrideRule {
  const path = typeof raw.path === "string" ? raw.path : null;
  if (path !== null) checkPointer(path, ["path"]);
  if (!SEVERITIES.includes(raw.severity as Severity)) {
    throw new RuleError(["severity"], `must be one of ${SEVERITIES.join(", ")}`);
  }
  return {
    code: typeof raw.code === "string" ? (raw.code as SeverityOverrideRule["code"]) : null,
    path,
    target: targetOf(raw.target, ["target"]),
    severity: raw.severity as Severity,
    origin,
    index,
  };
}

function targetOf(raw: unknown, at: (string | number)[]): TargetMatcher | null {
  if (raw === undefined || raw === null) return null;
  if (!isPlainObject(raw)) throw new RuleError(at, "is not a map");
  const selector = raw as TargetSelector;
  // Each field alone, so the error names the one that is wrong.
  for (const [field, value] of Object.entries(selector)) {
    try {
      compileTarget({ [field]: value });
    } catch (error) {
      const what = field.endsWith("Selector")
        ? "is not a label selector"
        : error instanceof RegexSyntaxError
          ? "is not a regular expression Flux accepts"
          : "is not valid";
      throw new RuleError([...at, field], `${what}: ${(error as Error).message}`);
    }
  }
  return compileTarget(selector);
}

/** RFC 6901: empty (the whole object) or `/`-separated tokens, `~` only as `~0` or `~1`. */
function checkPointer(pointer: string, at: (string | number)[]): void {
  if (pointer !== "" && !pointer.startsWith("/")) {
    throw new RuleError(at, 'is not a JSON pointer: it must be "" or start with "/"');
  }
  if (/~(?![01])/.test(pointer))
    throw new RuleError(at, "is not a JSON pointer: ~ must be written ~0 (and / as ~1)");
}
