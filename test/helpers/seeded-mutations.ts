import { readdirSync, statSync } from "node:fs";
import path from "node:path";

/** mulberry32: a small seeded generator, so a failure reproduces. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `text` after one to three random edits: an insertion of one of `insertions`, a deletion of one to three
 * characters, or a character overwritten by one taken from elsewhere in the text.
 */
export function mutated(text: string, insertions: readonly string[], next: () => number): string {
  let result = text;
  const edits = 1 + Math.floor(next() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(next() * result.length);
    const kind = next();
    if (kind < 0.5) {
      const insert = insertions[Math.floor(next() * insertions.length)] as string;
      result = result.slice(0, at) + insert + result.slice(at);
    } else if (kind < 0.8) result = result.slice(0, at) + result.slice(at + 1 + Math.floor(next() * 3));
    else
      result = result.slice(0, at) + result.charAt(Math.floor(next() * result.length)) + result.slice(at + 1);
  }
  return result;
}

/** Every `.yaml` and `.yml` file under `dir`. */
export function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return yamlFilesUnder(file);
    return /\.ya?ml$/.test(name) ? [file] : [];
  });
}
