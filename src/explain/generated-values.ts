import type { ChartTemplate } from "../model/release.js";

/** How a template makes values that are not a function of the chart and its values. */
export type GeneratedBy = "lookup" | "random";

/**
 * Template functions whose value is not a function of the chart and its values: `lookup` reads the live
 * cluster (charts use it to keep a password they generated earlier), the `rand*`, `uuidv4` and `gen*` sprig
 * functions make a new value at every render (https://helm.sh/docs/chart_template_guide/function_list/).
 * An object rendered with them is not restored by `helm upgrade`: with `lookup` the upgrade adopts the live,
 * hand-edited value; without it a new random value replaces it. Either way the release then records the new
 * value, so a check after the upgrade finds nothing, yet the value the release had recorded is gone.
 */
const LOOKUP = /\blookup\b/;
const RANDOM =
  /\b(randAlphaNum|randAlpha|randNumeric|randAscii|randBytes|randInt|uuidv4|genPrivateKey|genCA|genCAWithKey|genSelfSignedCert|genSelfSignedCertWithKey|genSignedCert|genSignedCertWithKey)\b/;
const INCLUDE = /\b(?:include|template)\s+"([^"]+)"/g;
const DEFINE = /\{\{-?\s*define\s+"([^"]+)"\s*-?\}\}/g;

/**
 * How the template that rendered an object generates values, directly or through the named templates it
 * includes (as bitnami's `common.secrets.passwords.manage` does): `lookup` when it reads the live object
 * (charts fall back to a random value only when there is none), `random` when it only generates; null when it
 * does neither, or when the template is not among `templates` (a subchart's: Helm's release record keeps only
 * the top chart's templates) or `source` (the manifest's `# Source:` path, `chart/templates/secret.yaml`) is
 * unknown — then nobody can tell.
 */
export function generatedBy(templates: readonly ChartTemplate[], source: string | null): GeneratedBy | null {
  if (source === null) return null;
  const name = source.slice(source.indexOf("/") + 1);
  const template = templates.find((candidate) => candidate.name === name);
  if (!template) return null;
  const defined = namedTemplates(templates);
  const seen = new Set<string>();
  const pending = [template.data];
  let random = false;
  for (let text = pending.pop(); text !== undefined; text = pending.pop()) {
    if (LOOKUP.test(text)) return "lookup";
    random ||= RANDOM.test(text);
    for (const [, included] of text.matchAll(INCLUDE)) {
      if (included === undefined || seen.has(included)) continue;
      seen.add(included);
      const body = defined.get(included);
      if (body !== undefined) pending.push(body);
    }
  }
  return random ? "random" : null;
}

/**
 * Every `define "name"` across the chart's templates, with its body taken as the text up to the next `define`
 * (or the end of the file): finding its own `end` would need a parser for nested `if`/`range` blocks, and a
 * body that runs a little long can only make the answer more cautious.
 */
function namedTemplates(templates: readonly ChartTemplate[]): Map<string, string> {
  const defined = new Map<string, string>();
  for (const template of templates) {
    const tags = [...template.data.matchAll(DEFINE)];
    tags.forEach((tag, i) => {
      const start = (tag.index ?? 0) + tag[0].length;
      const end = tags[i + 1]?.index ?? template.data.length;
      if (tag[1] !== undefined) defined.set(tag[1], template.data.slice(start, end));
    });
  }
  return defined;
}
