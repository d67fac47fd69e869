/**
 * A regular expression as Flux reads the `kind`, `name`, `namespace`, `group` and `version` of an ignore rule's
 * target: Go's RE2 syntax, anchored to the whole value (fluxcd/pkg ssa/jsondiff/selector.go `anchorRegex`:
 * `^(?:pattern)$`). JavaScript's syntax differs in a few places; a rule copied from a HelmRelease must match
 * here what it matches there, so the differences are translated, and what RE2 would reject is rejected:
 * - leading flags `(?i)`, `(?s)`, `(?m)` become JavaScript flags; `(?P<name>` is `(?<name>`;
 * - `\A` and `\z` (start and end of text) become `^` and `$` (without the `m` flag `$` is the end of text);
 * - POSIX classes inside brackets (`[[:alpha:]]`) become their ASCII ranges;
 * - lookaround and backreferences do not exist in RE2: an error, as Flux's `regexp.Compile` would give.
 * https://github.com/google/re2/wiki/Syntax
 */
export function compileFluxRegex(pattern: string): RegExp {
  let source = pattern;
  let flags = "";
  const leading = /^\(\?([imsU]+)\)/.exec(source);
  if (leading) {
    const letters = leading[1] ?? "";
    if (letters.includes("U")) throw new RegexSyntaxError("the U (ungreedy) flag is not supported");
    flags = [...new Set(letters)].join("");
    source = source.slice(leading[0].length);
  }
  rejectUnsupported(source);
  source = source
    .replaceAll("(?P<", "(?<")
    .replace(/\\A/g, "^")
    .replace(/\\z/g, "$")
    .replace(/\[:(\^?)([A-Za-z0-9]+):\]/g, (_match, negated: string, name: string) =>
      posixClass(name, negated),
    );
  try {
    return new RegExp(`^(?:${source})$`, flags);
  } catch (error) {
    // V8 writes "Invalid regular expression: /pattern/: problem"; keep only the problem.
    const message = (error as Error).message;
    throw new RegexSyntaxError(message.slice(message.lastIndexOf(": ") + 2) || "invalid");
  }
}

/** A pattern that is not a regular expression Flux accepts; the message says why, without the pattern. */
export class RegexSyntaxError extends Error {}

function rejectUnsupported(source: string): void {
  if (/\(\?<?[=!]/.test(source)) throw new RegexSyntaxError("lookaround (?= (?! (?<= (?<! is not RE2 syntax");
  if (/(^|[^\\])(\\\\)*\\[1-9]/.test(source)) throw new RegexSyntaxError("backreferences are not RE2 syntax");
  if (/\(\?[imsU-]+[:)]/.test(source)) {
    throw new RegexSyntaxError("flags are supported only at the start of the pattern, as (?i)");
  }
}

/** RE2's ASCII POSIX classes, as they appear inside a bracket expression. */
const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-/:-@[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

function posixClass(name: string, negated: string): string {
  const ranges = POSIX_CLASSES[name];
  if (ranges === undefined) throw new RegexSyntaxError(`unknown POSIX class [:${name}:]`);
  if (negated) throw new RegexSyntaxError(`negated POSIX classes [:^${name}:] are not supported`);
  return ranges;
}
