/**
 * deploy/chart's values.yaml, its README table, its values.schema.json and Chart.yaml, kept in step. The README
 * table is made by deploy/chart/ci/values-table.mjs; here every key of values.yaml, found independently by
 * walking the parsed file, must have a row (or sit under an object that has one) with its default, and the
 * script's --check must pass. The schema is checked with ajv (draft-07, as Helm reads it); that helm itself
 * refuses a bad value is test/e2e/chart.test.ts's.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { repoPath } from "../../helpers/repo-path.js";

const values = parseYaml(readFileSync(repoPath("deploy/chart/values.yaml"), "utf8")) as Record<
  string,
  unknown
>;
const readme = readFileSync(repoPath("deploy/chart/README.md"), "utf8");
const schema = JSON.parse(readFileSync(repoPath("deploy/chart/values.schema.json"), "utf8")) as object;

interface Row {
  key: string;
  type: string;
  default: unknown;
  description: string;
}

/** The rows of README.md's values table (between its markers): | `key` | type | `default as JSON` | description |. */
function readmeRows(): Row[] {
  const table = readme.slice(
    readme.indexOf("<!-- values-table:start"),
    readme.indexOf("<!-- values-table:end"),
  );
  return table
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => {
      const match = /^\| `([^`]+)` \| (\w+) \| `(.*)` \| (.+) \|$/.exec(line);
      if (match === null) throw new Error(`not a values table row: ${line}`);
      return {
        key: match[1] as string,
        type: match[2] as string,
        default: JSON.parse((match[3] as string).replaceAll("\\|", "|")),
        description: match[4] as string,
      };
    });
}

/** Every key path of a values object: `a`, `a.b`, … down to scalars, lists and empty maps. */
function keyPaths(object: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(object).flatMap(([key, value]) => {
    const path = `${prefix}${key}`;
    const isMap = typeof value === "object" && value !== null && !Array.isArray(value);
    return isMap ? [path, ...keyPaths(value as Record<string, unknown>, `${path}.`)] : [path];
  });
}

function at(object: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], object);
}

describe("deploy/chart/README.md values table", () => {
  const rows = readmeRows();

  it("has a row for every key of values.yaml, or for an object holding it", () => {
    const keys = rows.map((row) => row.key);
    const uncovered = keyPaths(values).filter(
      (path) =>
        !keys.some((key) => key === path || path.startsWith(`${key}.`)) && // the key's row, or its object's
        !keys.some((key) => key.startsWith(`${path}.`)), // a map whose keys have rows
    );
    expect(uncovered).toEqual([]);
    expect(keys.length).toBeGreaterThan(50);
  });

  it("gives each row the default of values.yaml, a type and a description", () => {
    for (const row of rows) {
      expect(row.default, row.key).toEqual(at(values, row.key));
      expect(["string", "int", "bool", "list", "object"], row.key).toContain(row.type);
      expect(row.description.length, row.key).toBeGreaterThan(10);
    }
  });

  it("is exactly the table ci/values-table.mjs makes (its --check exits 0)", () => {
    const run = () =>
      execFileSync(process.execPath, [repoPath("deploy/chart/ci/values-table.mjs"), "--check"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
    expect(run).not.toThrow();
  });
});

describe("deploy/chart/values.schema.json", () => {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

  it("accepts values.yaml", () => {
    expect(validate(values) ? [] : validate.errors).toEqual([]);
  });

  const bad: { name: string; change: Record<string, unknown>; path: string }[] = [
    { name: "a schedule that is a number", change: { schedule: 5 }, path: "/schedule" },
    { name: "an unknown top-level key (a typo)", change: { namespace: ["a"] }, path: "" },
    { name: "a namespace that is no DNS label", change: { namespaces: ["Shop_1"] }, path: "/namespaces/0" },
    { name: "an unknown severity", change: { failOn: "severe" }, path: "/failOn" },
    { name: "a webhook URL as a value", change: { webhook: { url: "https://hooks" } }, path: "/webhook" },
    {
      name: "a write verb in extraReadRules",
      change: { rbac: { extraReadRules: [{ apiGroups: ["x.io"], resources: ["*"], verbs: ["delete"] }] } },
      path: "/rbac/extraReadRules/0/verbs/0",
    },
    {
      name: "a wildcard API group in extraReadRules",
      change: { rbac: { extraReadRules: [{ apiGroups: ["*"], resources: ["*"] }] } },
      path: "/rbac/extraReadRules/0/apiGroups/0",
    },
    { name: "a config key helm-drift does not know", change: { config: { ignores: [] } }, path: "/config" },
    { name: "a timeout that is no duration", change: { timeout: "twenty minutes" }, path: "/timeout" },
  ];
  it.each(bad)("rejects $name", ({ change, path }) => {
    expect(validate({ ...values, ...change })).toBe(false);
    expect(validate.errors?.map((error) => error.instancePath)).toContain(path);
  });
});

describe("deploy/chart/Chart.yaml", () => {
  it("has package.json's version as version and appVersion", () => {
    const chart = parseYaml(readFileSync(repoPath("deploy/chart/Chart.yaml"), "utf8")) as Record<
      string,
      unknown
    >;
    const { version } = JSON.parse(readFileSync(repoPath("package.json"), "utf8")) as { version: string };
    expect(chart).toMatchObject({ apiVersion: "v2", name: "helm-drift", version, appVersion: version });
  });
});
