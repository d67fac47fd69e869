import { terminalSafe } from "./terminal-safe.js";

/*
 * Data (object names, paths, values, commands, diff lines, helm's messages and the catalogue's sentences that
 * embed them) on its way into HTML. Each helper first makes the text `terminalSafe` (a control or bidi
 * character is written visibly, `\x1b` or `\u202e`, so it cannot reorder what a reader sees), then writes the
 * five HTML special characters as entities, so a crafted name cannot open a tag, an attribute or an entity of
 * its own, inside an element or inside a quoted attribute value.
 */

const HTML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** The five HTML special characters of `text` as entities, nothing else changed. */
export function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ENTITIES[character] ?? character);
}

/** One line of data as HTML text (or a double-quoted attribute value): `terminalSafe`, then `htmlEscape`. */
export function htmlText(text: string): string {
  return htmlEscape(terminalSafe(text));
}

/** Text that may span lines (helm's errors, the catalogue's sentences) as HTML, its line breaks as `<br>`. */
export function htmlProse(text: string): string {
  return text.split("\n").map(htmlText).join("<br>");
}

/** Lines for a `<pre>` (a command): each line `htmlText`, joined by the line breaks the `<pre>` keeps. */
export function htmlPreLines(text: string): string {
  return text.split("\n").map(htmlText).join("\n");
}
