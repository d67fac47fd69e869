import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { loadConfig } from "../../../src/noise/config-file.js";
import { repoPath } from "../../helpers/repo-path.js";
import { runCli } from "../cli/run-cli.js";

const FLUX_EXAMPLE = `# Copied from a HelmRelease's spec.driftDetection (https://fluxcd.io/flux/components/helm/helmreleases/#drift-detection)
ignore:
  - paths: ["/spec/replicas"]
    target:
      kind: Deployment
  - paths: ["/metadata/annotations/checksum~1config"]
    target:
      kind: "Deployment|StatefulSet"
      name: "web-.*"
      labelSelector: "app.kubernetes.io/part-of=shop"
ignoreManagers: [cert-manager-cainjector]
severityOverrides:
  - code: field-added
    path: /metadata/annotations
    severity: info
`;

describe("the config file", () => {
  it("reads Flux's driftDetection.ignore syntax, ignoreManagers and severity overrides", async () => {
    const rules = await loadConfig(".helm-drift.yaml", FLUX_EXAMPLE);
    expect(rules.ignore.map((rule) => rule.paths)).toEqual([
      ["/spec/replicas"],
      ["/metadata/annotations/checksum~1config"],
    ]);
    expect(rules.ignoreManagers.map((entry) => entry.manager)).toEqual(["cert-manager-cainjector"]);
    expect(rules.severityOverrides[0]).toMatchObject({
      code: "field-added",
      path: "/metadata/annotations",
      severity: "info",
    });
  });

  it("an empty file is no rules", async () => {
    expect(await loadConfig("c.yaml", "# nothing yet\n")).toEqual({
      ignore: [],
      ignoreManagers: [],
      severityOverrides: [],
    });
  });

  // Each: the file, and the one line that names file:line and what is wrong.
  const bad: [name: string, text: string, line: string][] = [
    [
      "unknown top-level key",
      "ignore: []\nignores: []\n",
      "c.yaml:2: unknown key ignores (known: ignore, ignoreManagers, severityOverrides)",
    ],
    [
      "unknown key in a rule",
      'ignore:\n  - paths: ["/a"]\n    targt: {}\n',
      "c.yaml:3: unknown key ignore[0].targt",
    ],
    [
      "unknown key in a target",
      'ignore:\n  - paths: ["/a"]\n    target:\n      kinds: Pod\n',
      "c.yaml:4: unknown key ignore[0].target.kinds",
    ],
    ["wrong type", "ignoreManagers: kubectl\n", "c.yaml:1: ignoreManagers must be a list"],
    ["wrong type inside", 'ignore:\n  - paths: "/a"\n', "c.yaml:2: ignore[0].paths must be a list"],
    ["missing paths", "ignore:\n  - target: {kind: Pod}\n", "c.yaml:2: ignore[0] needs paths"],
    [
      "bad severity",
      "severityOverrides:\n  - code: value-changed\n    severity: urgent\n",
      "c.yaml:3: severityOverrides[0].severity must be one of critical, high, medium, low, info",
    ],
    [
      "override with neither code nor path",
      "severityOverrides:\n  - severity: low\n",
      "c.yaml:2: severityOverrides[0] needs code or path (or both)",
    ],
    [
      "unknown code",
      "severityOverrides:\n  - code: drift\n    severity: low\n",
      "c.yaml:2: severityOverrides[0].code must be one of field-missing, list-missing, map-missing, entry-missing, value-changed, entry-extra, field-added, volume-mount-broken, object-missing",
    ],
    [
      "bad regex",
      'ignore:\n  - paths: ["/a"]\n    target:\n      name: "web-(.*"\n',
      "c.yaml:4: ignore[0].target.name is not a regular expression Flux accepts: Unterminated group",
    ],
    [
      "regex RE2 refuses",
      'ignore:\n  - paths: ["/a"]\n    target:\n      kind: "(?!Secret).*"\n',
      "c.yaml:4: ignore[0].target.kind is not a regular expression Flux accepts: lookaround (?= (?! (?<= (?<! is not RE2 syntax",
    ],
    [
      "bad label selector",
      'ignore:\n  - paths: ["/a"]\n    target:\n      labelSelector: "a in b"\n',
      'c.yaml:4: ignore[0].target.labelSelector is not a label selector: label selector "a in b": cannot read "a in b"',
    ],
    [
      "not a JSON pointer",
      'ignore:\n  - paths: ["/a", "spec.replicas"]\n',
      'c.yaml:2: ignore[0].paths[1] is not a JSON pointer: it must be "" or start with "/"',
    ],
    [
      "bad pointer escape",
      'ignore:\n  - paths: ["/a~2b"]\n',
      "c.yaml:2: ignore[0].paths[0] is not a JSON pointer: ~ must be written ~0 (and / as ~1)",
    ],
    ["not a map", "- ignore\n", "c.yaml:1: the file must be a map"],
    ["two documents", "ignore: []\n---\nignore: []\n", "c.yaml:3: holds more than one YAML document"],
    ["malformed YAML, never quoted", "ignore: [\n  password: >Hunter2 x\n", "c.yaml:2:"],
  ];
  it.each(bad)("%s", async (_name, text, line) => {
    const error = await loadConfig("c.yaml", text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message.startsWith(line)).toBe(true);
    expect((error as Error).message).not.toContain("Hunter2");
  });

  it("knows exactly the finding codes the report has", () => {
    const config = JSON.parse(readFileSync(repoPath("schema/config.schema.json"), "utf8"));
    const report = JSON.parse(readFileSync(repoPath("schema/drift-report.schema.json"), "utf8"));
    const reportCodes = report.$defs.finding.properties.code.enum;
    expect([...config.properties.severityOverrides.items.properties.code.enum].sort()).toEqual(
      [...reportCodes].sort(),
    );
  });
});

describe("the config file on the command line", () => {
  const incident = [
    "check",
    "--manifest",
    repoPath("fixtures/incident/manifest.yaml"),
    "--live",
    repoPath("fixtures/incident/live.yaml"),
  ];

  it("reads .helm-drift.yaml from the working directory, and --show-ignored lists what it ignored", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "helm-drift-config-"));
    writeFileSync(
      path.join(dir, ".helm-drift.yaml"),
      'ignore:\n  - paths: ["/spec/template/spec/serviceAccountName"]\n',
    );
    const plain = await runCli([...incident, "-o", "json"], { cwd: dir });
    const report = JSON.parse(plain.stdout);
    expect(report.summary).toMatchObject({ findings: 3, ignored: 1 });
    expect(
      report.releases[0].resources.find((r: { kind: string }) => r.kind === "AutoscalingRunnerSet").ignored,
    ).toBe(1);
    expect(plain.stdout).not.toContain("ignoredFindings");
    const shown = await runCli([...incident, "--show-ignored"], { cwd: dir });
    expect(shown.stdout).toContain(
      'ignored   spec.template.spec.serviceAccountName — ignored by .helm-drift.yaml ignore[0] (path "/spec/template/spec/serviceAccountName")',
    );
    expect(shown.stdout).toContain("3 findings (1 critical, 2 high), 1 ignored");
  });

  it("a bad config file is one line and exit 1, before anything is read from the cluster", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "helm-drift-config-"));
    writeFileSync(path.join(dir, "bad.yaml"), "ignore:\n  - paths: [/a]\n    target: {kind: '('}\n");
    // The kubeconfig points at nothing: reading the cluster would fail with another line.
    const run = await runCli(
      ["check", "-A", "--config", path.join(dir, "bad.yaml"), "--kubeconfig", path.join(dir, "none")],
      {
        cwd: dir,
      },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `helm-drift: ${path.join(dir, "bad.yaml")}:3: ignore[0].target.kind is not a regular expression Flux accepts: Unterminated group\n`,
    );
    expect(run.stdout).toBe("");
  });

  it("--config naming a file that is not there is an error, not an empty config", async () => {
    const run = await runCli([...incident, "--config", "/nonexistent/.helm-drift.yaml"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("helm-drift: /nonexistent/.helm-drift.yaml: no such file\n");
  });
});
