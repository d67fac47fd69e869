import path from "node:path";

/**
 * A file or folder of test/fixtures/corpus: real objects recorded from API servers, Helm release records,
 * CRDs and the ARC chart, copied into the repository (origins and licences in its SOURCES.md). Resolved from
 * this file's own location, so the tests pass from any working directory with nothing beside the repository.
 */
export function corpusPath(...parts: string[]): string {
  return path.join(import.meta.dirname, "../fixtures/corpus", ...parts);
}
