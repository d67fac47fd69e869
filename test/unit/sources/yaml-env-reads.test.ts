import { describe, expect, it } from "vitest";
import { parseYamlStream } from "../../../src/sources/kube-yaml.js";
import { withPlainEnv } from "../../../src/sources/yaml-env-reads.js";

describe("withPlainEnv", () => {
  it("gives the work a plain copy of the environment with the same values", () => {
    const real = process.env;
    const seen = withPlainEnv(() => ({ env: process.env, path: process.env.PATH }));
    expect(seen.env).not.toBe(real);
    expect(Object.getPrototypeOf(seen.env)).toBe(Object.prototype);
    expect(seen.path).toBe(real.PATH);
    expect(process.env).toBe(real);
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
