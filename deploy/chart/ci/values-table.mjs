#!/usr/bin/env node
// The values table of deploy/chart/README.md, made from values.yaml: one row per leaf key (a scalar, a list, or
// an empty map) with its type, its default and the `# --` comment above it (helm-docs' convention, so
// helm-docs reads the same file). A map with keys is not a row: its keys are.
//
//   node deploy/chart/ci/values-table.mjs          rewrites the table between the markers in README.md
//   node deploy/chart/ci/values-table.mjs --check  exits 1 when README.md's table is not the one values.yaml makes
//
// test/unit/deploy/chart-values-table.test.ts runs --check and checks every key of values.yaml has its row.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { isMap, isScalar, isSeq, parseDocument } from "yaml";

const chart = path.resolve(import.meta.dirname, "..");
export const START = "<!-- values-table:start (node deploy/chart/ci/values-table.mjs) -->";
export const END = "<!-- values-table:end -->";

/** Rows {key, type, default, description} of a values.yaml text, in file order. */
export function valuesRows(text) {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`values.yaml: ${doc.errors[0].message}`);
  const rows = [];
  const walk = (map, prefix) => {
    for (const [index, pair] of map.items.entries()) {
      const key = `${prefix}${pair.key.value}`;
      // The comment above a map's first key is the map's own (the yaml library attaches it there).
      const comment = pair.key.commentBefore ?? (index === 0 ? map.commentBefore : undefined);
      const description = descriptionOf(comment ?? "");
      if (isMap(pair.value) && pair.value.items.length > 0 && description === null) {
        walk(pair.value, `${key}.`);
        continue;
      }
      if (description === null) throw new Error(`values.yaml: ${key} has no "# --" description`);
      const value = pair.value === null ? null : pair.value.toJSON();
      rows.push({ key, type: typeOf(pair.value, value), default: value, description });
    }
  };
  walk(doc.contents, "");
  return rows;
}

/** The text after `# --` in the comment above a key, its continuation lines joined; null when there is none. */
function descriptionOf(comment) {
  const lines = comment.split("\n");
  const start = lines.findIndex((line) => line.trimStart().startsWith("--"));
  if (start === -1) return null;
  return lines
    .slice(start)
    .map((line) => line.trim().replace(/^--\s*/, ""))
    .join(" ")
    .trim();
}

function typeOf(node, value) {
  if (isSeq(node)) return "list";
  if (isMap(node)) return "object";
  if (isScalar(node) && typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "boolean") return "bool";
  return "string";
}

const cell = (text) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

/** The Markdown table of those rows. */
export function valuesTable(rows) {
  const lines = ["| Key | Type | Default | Description |", "|---|---|---|---|"];
  for (const row of rows) {
    lines.push(
      `| \`${row.key}\` | ${row.type} | \`${cell(JSON.stringify(row.default))}\` | ${cell(row.description)} |`,
    );
  }
  return lines.join("\n");
}

/** README.md with the table between the markers replaced. */
export function withTable(readme, table) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end < start) throw new Error(`README.md: no ${START} … ${END} markers`);
  return `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
}

if (process.argv[1] === import.meta.filename) {
  const readmePath = path.join(chart, "README.md");
  const readme = readFileSync(readmePath, "utf8");
  const expected = withTable(
    readme,
    valuesTable(valuesRows(readFileSync(path.join(chart, "values.yaml"), "utf8"))),
  );
  if (process.argv.includes("--check")) {
    if (expected !== readme) {
      process.stderr.write(
        "deploy/chart/README.md: the values table is out of date: run node deploy/chart/ci/values-table.mjs\n",
      );
      process.exitCode = 1;
    }
  } else if (expected !== readme) {
    writeFileSync(readmePath, expected);
    process.stderr.write("deploy/chart/README.md: values table updated\n");
  }
}
