import { HelmDriftError } from "../errors.js";

type Labels = Readonly<Record<string, string>> | undefined;
type Requirement = (labels: Labels) => boolean;

const KEY = `[A-Za-z0-9](?:[-A-Za-z0-9_./]*[A-Za-z0-9])?`;
const VALUE = `(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?`;
const EXISTS = new RegExp(`^(!?)\\s*(${KEY})$`);
const EQUALITY = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(${VALUE})$`);
const SET = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^()]*)\\)$`);
const NUMERIC = new RegExp(`^(${KEY})\\s*([<>])\\s*(-?\\d+)$`);

/**
 * A label selector as the API server reads it (k8s.io/apimachinery pkg/labels `Parse`): requirements joined
 * by commas, all of which must hold — `key`, `!key`, `key=value` (or `==`), `key!=value`, `key in (a,b)`,
 * `key notin (a,b)`, `key>1`, `key<1`. As upstream, `!=` and `notin` also hold when the label is absent.
 * For reading objects offline; against a cluster the API server applies the selector itself.
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 */
export function parseLabelSelector(selector: string): (labels: Labels) => boolean {
  const requirements = splitRequirements(selector).map((text) => requirement(text, selector));
  return (labels) => requirements.every((holds) => holds(labels));
}

/** Commas separate requirements, except inside the parentheses of `in (…)` / `notin (…)`. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const char = selector[i];
    if (char === "(") depth++;
    else if (char === ")") depth--;
    else if (char === "," && depth === 0) {
      parts.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(selector.slice(start));
  const trimmed = parts.map((part) => part.trim());
  return trimmed.length === 1 && trimmed[0] === "" ? [] : trimmed;
}

function requirement(text: string, selector: string): Requirement {
  const exists = EXISTS.exec(text);
  if (exists) {
    const [, not, key = ""] = exists;
    return (labels) => (labels !== undefined && Object.hasOwn(labels, key)) !== (not === "!");
  }
  const equality = EQUALITY.exec(text);
  if (equality) {
    const [, key = "", operator, value = ""] = equality;
    return (labels) => (labelValue(labels, key) === value) !== (operator === "!=");
  }
  const set = SET.exec(text);
  if (set) {
    const [, key = "", operator, list = ""] = set;
    const values = list.split(",").map((value) => value.trim());
    if (values.some((value) => !new RegExp(`^${VALUE}$`).test(value))) throw invalid(selector, text);
    return (labels) => {
      const value = labelValue(labels, key);
      return (value !== undefined && values.includes(value)) !== (operator === "notin");
    };
  }
  const numeric = NUMERIC.exec(text);
  if (numeric) {
    const [, key = "", operator, bound = ""] = numeric;
    return (labels) => {
      const value = labelValue(labels, key);
      if (value === undefined || !/^-?\d+$/.test(value)) return false;
      return operator === ">" ? Number(value) > Number(bound) : Number(value) < Number(bound);
    };
  }
  throw invalid(selector, text);
}

function labelValue(labels: Labels, key: string): string | undefined {
  return labels !== undefined && Object.hasOwn(labels, key) ? labels[key] : undefined;
}

function invalid(selector: string, text: string): HelmDriftError {
  return new HelmDriftError(`label selector "${selector}": cannot read "${text}"`);
}
