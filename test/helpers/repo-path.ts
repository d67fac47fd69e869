import path from "node:path";

/** A path inside the repository (README.md, fixtures/incident/…), resolved from this file, not the cwd. */
export function repoPath(...parts: string[]): string {
  return path.join(import.meta.dirname, "../..", ...parts);
}
