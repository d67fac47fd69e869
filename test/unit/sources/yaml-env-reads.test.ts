import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseYamlStream } from "../../../src/sources/kube-yaml.js";
import { withPlainEnv, YAML_ENV_READS } from "../../../src/sources/yaml-env-reads.js";

function jsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return jsFiles(file);
    return name.endsWith(".js") ? [file] : [];
  });
}

describe("withPlainEnv", () => {
  it("gives the work a plain object with the variables the yaml package reads", () => {
    const real = process.env;
    process.env.LOG_STREAM = "1";
    try {
      const seen = withPlainEnv(() => process.env);
      expect(seen).not.toBe(real);
      expect(Object.getPrototypeOf(seen)).toBe(Object.prototype);
      expect(seen).toEqual({ LOG_STREAM: "1" });
      expect(process.env).toBe(real);
    } finally {
      delete process.env.LOG_STREAM;
    }
  });

  it("covers every environment variable the installed yaml package reads", () => {
    const yamlDist = path.dirname(createRequire(import.meta.url).resolve("yaml"));
    const names = new Set<string>();
    for (const file of jsFiles(yamlDist)) {
      for (const match of readFileSync(file, "utf8").matchAll(/process\.env(?:\.([A-Za-z_]+)|\[)/g)) {
        names.add(match[1] ?? "(computed)");
      }
    }
    expect([...names].sort()).toEqual([...YAML_ENV_READS].sort());
  });

  it("puts the real environment back when the work throws", () => {
    const real = process.env;
    expect(() =>
      withPlainEnv(() => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(process.env).toBe(real);
  });

  it("leaves the real environment in place after a YAML stream that parses and one that does not", () => {
    const real = process.env;
    expect(parseYamlStream("a: 1\n---\nb: yes\n", "ok.yaml").map((d) => d.value)).toEqual([
      { a: 1 },
      { b: true },
    ]);
    expect(process.env).toBe(real);
    expect(() => parseYamlStream("a: [1\n", "bad.yaml")).toThrow(/^bad\.yaml:/);
    expect(process.env).toBe(real);
  });
});
