import { htmlEscape } from "./html-escape.js";
import { terminalSafe } from "./terminal-safe.js";

/*
 * Data (object names, paths, values, helm's messages and the catalogue's sentences that embed them) on its way
 * into GitHub-flavoured Markdown. Each helper first makes the text `terminalSafe` (a PR comment is read in
 * terminals and logs too, and a control or bidi character must not reorder what a reviewer sees), then escapes
 * what the Markdown or HTML context would act on, so a crafted name cannot inject HTML, a link, emphasis, a
 * table cell or a code fence of its own.
 */

/** Text inside raw HTML (the `<summary>` line): the five HTML special characters as entities. */
export { htmlText } from "./html-escape.js";

/**
 * Prose in Markdown: `&`, `<`, `>` as entities (no HTML tag, no entity of the data's own), then every
 * punctuation character Markdown acts on inline backslash-escaped: emphasis (`*`, `_`, `~`), links and images
 * (`[`, `]`, `!`), code spans (`` ` ``), table cells (`|`), headings (`#`) and the backslash itself.
 */
export function markdownText(text: string): string {
  return terminalSafe(text)
    .replace(/[&<>]/g, htmlEscape)
    .replace(/[\\`*_[\]|~#!]/g, "\\$&");
}

/**
 * A code span holding `text` exactly (after `terminalSafe`): delimited by one backtick more than the longest
 * run of backticks inside, padded with a space where the text starts or ends with a backtick or a space
 * (CommonMark strips one space from each side). HTML and Markdown are literal inside a code span. Not for table
 * cells: GFM splits cells on `|` even inside code spans.
 */
export function inlineCode(text: string): string {
  const safe = terminalSafe(text);
  if (safe === "") return markdownText("(empty)");
  const fence = "`".repeat(longestRun(safe, "`") + 1);
  const pad = /^[` ]|[` ]$/.test(safe) ? " " : "";
  return `${fence}${pad}${safe}${pad}${fence}`;
}

/**
 * A fenced code block of `lines` (each made `terminalSafe`), fenced by at least three backticks and more than
 * the longest run of backticks in any line, so no line can close it early. `indent` prefixes every line (a
 * block inside a list item); the renderer strips it again, so the code reads exactly as given.
 */
export function fencedBlock(info: string, lines: readonly string[], indent = ""): string[] {
  const safe = lines.map((line) => terminalSafe(line));
  const longest = Math.max(2, ...safe.map((line) => longestRun(line, "`")));
  const fence = "`".repeat(longest + 1);
  return [
    `${indent}${fence}${info}`,
    ...safe.map((line) => (line === "" ? "" : `${indent}${line}`)),
    `${indent}${fence}`,
  ];
}

function longestRun(text: string, character: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === character ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}
