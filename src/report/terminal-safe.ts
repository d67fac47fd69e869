/**
 * Characters that a terminal acts on instead of showing, or that reorder what it shows:
 * - C0 controls U+0000–U+001F (ESC starts CSI and OSC sequences: recolour, clear the screen, set the title,
 *   write the clipboard with OSC 52; CR moves back over what was printed), newline included;
 * - DEL U+007F;
 * - C1 controls U+0080–U+009F (U+009B is a one-character CSI, U+009D an OSC on terminals that take 8-bit
 *   controls);
 * - the Unicode Bidi_Control characters (U+061C, U+200E, U+200F, the embeddings and overrides U+202A–U+202E,
 *   the isolates U+2066–U+2069), which make text display in another order than it reads ("Trojan Source",
 *   CVE-2021-42574).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\p{Bidi_Control}]/u;
const EVERY_UNSAFE = new RegExp(UNSAFE.source, "gu");

/**
 * `text` with every character a terminal would act on (see UNSAFE) written visibly, as a JavaScript escape:
 * `\x1b` for code points up to U+00FF, `\u202e` above. Newlines are escaped too: text made of several lines is
 * split by its renderer first, which writes the newlines itself. Backslashes are left as they are, so the result
 * is for reading, not for parsing back (the JSON report keeps the exact value). Idempotent: the result holds
 * nothing to escape.
 */
export function terminalSafe(text: string): string {
  return text.replace(EVERY_UNSAFE, escapeCharacter);
}

/** The first unsafe character of `text`, escaped (`\x1b`), or null when there is none. */
export function firstUnsafeCharacter(text: string): string | null {
  const match = UNSAFE.exec(text);
  return match ? escapeCharacter(match[0]) : null;
}

function escapeCharacter(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
}

function hex(code: number, digits: number): string {
  return code.toString(16).padStart(digits, "0");
}

/**
 * `value` as JSON text that holds no unsafe character yet parses to exactly `value`: JSON.stringify already
 * writes C0 controls as `\u001b`; DEL, C1 and bidi controls, which it leaves as they are, are written as
 * `\u009b` escapes too (they can only occur inside JSON strings, where such an escape means the character).
 */
export function printableJson(value: unknown): string {
  return JSON.stringify(value).replace(
    EVERY_UNSAFE,
    (character) => `\\u${hex(character.codePointAt(0) ?? 0, 4)}`,
  );
}
