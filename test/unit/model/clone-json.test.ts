import { describe, expect, it } from "vitest";
import { cloneJson } from "../../../src/model/clone-json.js";

describe("cloneJson", () => {
  it("copies every container and shares nothing a later edit could reach", () => {
    const value = { a: [1, { b: "x" }], c: { d: null, e: true } };
    const copy = cloneJson(value);
    expect(copy).toEqual(value);
    expect(copy.a).not.toBe(value.a);
    expect(copy.a[1]).not.toBe(value.a[1]);
    expect(copy.c).not.toBe(value.c);
  });

  it("keeps a __proto__ key of parsed JSON as an own property, never as the prototype", () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as Record<string, unknown>;
    const copy = cloneJson(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, "__proto__")).toBe(true);
    expect(Object.keys(copy)).toEqual(["__proto__", "x"]);
    expect((copy as { polluted?: unknown }).polluted).toBeUndefined();
    expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed));
  });
});
