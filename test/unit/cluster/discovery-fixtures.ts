import { readFileSync } from "node:fs";
import path from "node:path";

/** An APIResourceList body from fixtures/ (see fixtures/README.md). */
export function discoveryFixture(name: string): unknown {
  return JSON.parse(
    readFileSync(path.join(import.meta.dirname, "fixtures", `discovery-${name}.json`), "utf8"),
  );
}
