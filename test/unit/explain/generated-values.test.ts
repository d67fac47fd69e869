import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generatedBy } from "../../../src/explain/generated-values.js";
import type { ChartTemplate } from "../../../src/model/release.js";
import { repoPath } from "../../helpers/repo-path.js";

/** A chart's templates as Helm's release record stores them: names relative to the chart. */
function templatesOf(chart: string): ChartTemplate[] {
  const dir = repoPath(`test/e2e/charts/${chart}/templates`);
  return readdirSync(dir).map((file) => ({
    name: `templates/${file}`,
    data: readFileSync(`${dir}/${file}`, "utf8"),
  }));
}

describe("which templates generate their values", () => {
  const generated = templatesOf("generated");

  it.each([
    ["a password from lookup, through a named template", "generated/templates/secret-kept.yaml", "lookup"],
    ["a token made at every render", "generated/templates/secret-random.yaml", "random"],
  ] as const)("%s", (_name, source, by) => {
    expect(generatedBy(generated, source)).toBe(by);
  });

  it.each([
    ["webapp", "webapp/templates/secret.yaml"],
    ["database", "database/templates/secret.yaml"],
    ["webapp", "webapp/templates/deployment.yaml"],
  ])("%s: values from the chart's values only → null (%s)", (chart, source) => {
    expect(generatedBy(templatesOf(chart), source)).toBeNull();
  });

  it("cannot tell for a template the record does not hold (a subchart's), or without a source", () => {
    expect(generatedBy(generated, "parent/charts/generated/templates/secret-kept.yaml")).toBeNull();
    expect(generatedBy(generated, null)).toBeNull();
  });

  it("follows includes across files and does not loop on recursive ones", () => {
    const templates: ChartTemplate[] = [
      { name: "templates/secret.yaml", data: 'password: {{ include "a" . }}' },
      { name: "templates/_a.tpl", data: '{{- define "a" -}}{{ include "b" . }}{{- end -}}' },
      {
        name: "templates/_b.tpl",
        data: '{{- define "b" -}}{{ include "a" . }}{{ uuidv4 }}{{- end -}}{{- define "c" -}}{{ lookup "v1" "Secret" "" "" }}{{- end -}}',
      },
    ];
    expect(generatedBy(templates, "chart/templates/secret.yaml")).toBe("random");
  });
});
