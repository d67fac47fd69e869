import { describe, expect, it } from "vitest";
import { firstUnsafeCharacter, printableJson, terminalSafe } from "../../../src/report/terminal-safe.js";

describe("terminalSafe writes every character a terminal acts on visibly", () => {
  it.each([
    ["ESC (starts CSI and OSC sequences)", "a\u001b[2Jb", "a\\x1b[2Jb"],
    ["BEL ending an OSC 52 clipboard write", "\u001b]52;c;aGk=\u0007", "\\x1b]52;c;aGk=\\x07"],
    ["NUL", "a\u0000b", "a\\x00b"],
    ["carriage return", "ok\rFAKE", "ok\\x0dFAKE"],
    ["newline inside data", "a\nb", "a\\x0ab"],
    ["tab", "a\tb", "a\\x09b"],
    ["DEL", "a\u007fb", "a\\x7fb"],
    ["C1 CSI (U+009B)", "\u009b31m", "\\x9b31m"],
    ["C1 OSC (U+009D)", "\u009d0;t\u009c", "\\x9d0;t\\x9c"],
    ["right-to-left override", "\u202eexe.txt", "\\u202eexe.txt"],
    ["left-to-right embedding and pop", "\u202aa\u202c", "\\u202aa\\u202c"],
    ["isolates", "\u2066x\u2067y\u2068z\u2069", "\\u2066x\\u2067y\\u2068z\\u2069"],
    ["right-to-left mark", "a\u200fb", "a\\u200fb"],
  ])("escapes %s", (_name, input, expected) => {
    expect(terminalSafe(input)).toBe(expected);
  });

  it.each([
    ["plain ASCII", "Deployment/shop/web"],
    ["non-ASCII letters and symbols", "café ✓ ✗ — … 日本"],
    ["a backslash sequence that is already text", "C:\\x1b\\u202e"],
    ["a NO-BREAK SPACE and other printable Latin-1", "a\u00a0b\u00e9"],
  ])("leaves %s as it is", (_name, text) => {
    expect(terminalSafe(text)).toBe(text);
  });

  it("is idempotent", () => {
    const once = terminalSafe("\u001b]0;t\u0007\u009b\u202e\u007f");
    expect(terminalSafe(once)).toBe(once);
  });

  it("names the first unsafe character, escaped, or null", () => {
    expect(firstUnsafeCharacter("web\u202e\u001b")).toBe("\\u202e");
    expect(firstUnsafeCharacter("web")).toBeNull();
  });
});

describe("printableJson", () => {
  it.each([
    ["C0, DEL, C1 and bidi controls in strings", { a: "\u001b[2J\u007f\u009b\u202e\u2066" }],
    ["keys", { "k\u009b": ["\u202ev"] }],
    ["plain values", [{ op: "add", path: "/data/x", value: "café" }]],
  ])("holds no unsafe character and parses back to exactly the value (%s)", (_name, value) => {
    const text = printableJson(value);
    expect(firstUnsafeCharacter(text)).toBeNull();
    expect(JSON.parse(text)).toEqual(value);
  });

  it("writes what JSON.stringify leaves raw as \\u escapes", () => {
    expect(printableJson("\u009b\u202e\u007f")).toBe('"\\u009b\\u202e\\u007f"');
  });
});
