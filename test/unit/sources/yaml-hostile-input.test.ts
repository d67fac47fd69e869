import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { parseYamlStream, YamlInputError } from "../../../src/sources/kube-yaml.js";

// A secret value that must never appear in an error, plain or base64-encoded.
const SECRET = `Hunter2-${(0x5eed).toString(36)}`;
const SECRET_B64 = Buffer.from(SECRET).toString("base64");

const secretDoc = (line: string) =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  ${line}\n`;

/** [case, YAML, line, column of the first problem] */
const HOSTILE: [string, string, number, number][] = [
  ["a block scalar header with extra characters", secretDoc(`password: >${SECRET}`), 6, 14],
  ["an alias to an undefined anchor", secretDoc(`password: *${SECRET}`), 6, 13],
  ["an alias to an undefined base64 anchor", `data:\n  password: *${SECRET_B64}\n`, 2, 13],
  ["an unterminated double-quoted value", secretDoc(`password: "${SECRET}`), 7, 1],
  ["a bad escape in a double-quoted value", secretDoc(`password: "\\q${SECRET}"`), 6, 14],
  ["a tab as indentation", `stringData:\n\tpassword: ${SECRET}\n`, 2, 1],
  ["a nested mapping on its key's line", `password: ${SECRET}: x: y\n`, 1, 11],
  ["a duplicate key", `${SECRET}: 1\n${SECRET}: 2\n`, 2, 1],
  ["a mapping as a key", `? {${SECRET}: 1}\n: v\n`, 1, 3],
  ["an infinite value", `stringData:\n  password: .inf\n  other: ${SECRET}\n`, 2, 13],
  ["a null key", `stringData:\n  ~: ${SECRET}\n`, 2, 3],
  ["a `<<` merge of a scalar", `stringData:\n  <<: ${SECRET}\n`, 2, 7],
  ["a `__proto__` key", `stringData:\n  __proto__: ${SECRET}\n`, 2, 3],
  [
    "an alias bomb",
    `a: &a [${SECRET}, ${SECRET}, ${SECRET}, ${SECRET}, ${SECRET}, ${SECRET}, ${SECRET}, ${SECRET}, ${SECRET}]\n` +
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n" +
      "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n",
    1,
    1,
  ],
];

describe("hostile YAML gets one InputError naming file:line:col, never the text", () => {
  it.each(HOSTILE)("%s", (_name, text, line, column) => {
    let caught: unknown;
    try {
      parseYamlStream(text, "values/secret.yaml");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect(caught).toBeInstanceOf(YamlInputError);
    const message = (caught as Error).message;
    expect(message).toMatch(new RegExp(`^values/secret\\.yaml:${line}:${column}: malformed YAML: [^\\n]+$`));
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain(SECRET_B64);
    expect(message).not.toContain("Hunter2");
    expect(message).not.toContain("\n");
  });
});
