import { describe, expect, it } from "vitest";
import { compileFluxRegex } from "../../../src/noise/flux-regex.js";

// What Go's regexp (RE2) does with these, anchored as fluxcd/pkg ssa/jsondiff anchors a target field.
const matches: [pattern: string, value: string, matched: boolean][] = [
  ["Deployment", "Deployment", true],
  ["Deployment", "MyDeployment", false],
  ["Deploy", "Deployment", false],
  ["Deployment|StatefulSet", "StatefulSet", true],
  ["web-.*", "web-frontend", true],
  ["(?i)deployment", "Deployment", true],
  ["(?is)a.b", "A\nB", true],
  ["a.b", "a\nb", false],
  ["[[:alpha:]]+", "Pod", true],
  ["[[:digit:]]+", "Pod", false],
  ["[[:alnum:]-]+", "web-1", true],
  ["\\Aweb\\z", "web", true],
  ["(?P<app>web)-(?P<n>\\d)", "web-1", true],
  ["", "anything", false],
];

describe("a target regular expression as Flux reads it (RE2, anchored)", () => {
  it.each(matches)("%j against %j → %s", (pattern, value, matched) => {
    expect(compileFluxRegex(pattern).test(value)).toBe(matched);
  });

  const refused: [pattern: string, problem: RegExp][] = [
    ["(?=web)", /lookaround/],
    ["(?<!a)b", /lookaround/],
    ["(a)\\1", /backreferences/],
    ["a(?i:b)", /only at the start/],
    ["(?U)a+", /ungreedy/],
    ["[[:word2:]]", /unknown POSIX class/],
    ["Deploy(ment", /Unterminated group/],
  ];
  it.each(refused)("refuses %j, as RE2 would, without quoting it", (pattern, problem) => {
    expect(() => compileFluxRegex(pattern)).toThrow(problem);
    try {
      compileFluxRegex(pattern);
    } catch (error) {
      expect((error as Error).message).not.toContain(pattern);
    }
  });
});
