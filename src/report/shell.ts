/** Characters that need no quoting in a POSIX shell word. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * One shell word for `value`, safe to paste into sh/bash/zsh: left bare when it has no special characters,
 * else single-quoted, each `'` written as `'\''` (close quote, escaped quote, reopen). POSIX single quotes keep
 * every other character as it is, control characters included, so they cannot make a word with one safe to
 * print or paste: `actionCommand` refuses such commands instead (`$'…'` would, but not every sh has it).
 */
export function shellWord(value: string): string {
  if (SAFE_WORD.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A command line from its words, each quoted as needed. */
export function commandLine(words: readonly string[]): string {
  return words.map(shellWord).join(" ");
}
