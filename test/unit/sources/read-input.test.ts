import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { InputError } from "../../../src/errors.js";
import { readInput } from "../../../src/sources/read-input.js";

const dir = mkdtempSync(path.join(tmpdir(), "helm-drift-read-input-"));
const noStdin = () => Promise.reject(new Error("stdin must not be read for a file"));

describe("readInput", () => {
  test("reads a file as UTF-8 and drops a byte-order mark", async () => {
    const file = path.join(dir, "manifest.yaml");
    writeFileSync(file, "\uFEFFkind: ConfigMap # é\n");
    await expect(readInput(file, noStdin)).resolves.toBe("kind: ConfigMap # é\n");
  });

  test('"-" reads stdin', async () => {
    await expect(readInput("-", () => Promise.resolve("from stdin"))).resolves.toBe("from stdin");
  });

  test.each([
    ["a missing file", path.join(dir, "nope.yaml"), "no such file"],
    ["a directory", dir, "is a directory, not a file"],
    ["a path through a file", path.join(dir, "manifest.yaml", "x"), "a part of the path is not a directory"],
  ])("%s is an InputError naming the path", async (_name, file, problem) => {
    await expect(readInput(file, noStdin)).rejects.toThrow(new InputError(file, problem));
  });
});
