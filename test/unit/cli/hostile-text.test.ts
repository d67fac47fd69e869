import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { terminalSafe } from "../../../src/report/terminal-safe.js";
import { HOSTILE, OWN_SGR, RAW_CONTROL as RAW } from "../report/hostile-text.js";
import { runCli } from "./run-cli.js";

/**
 * Crafted text in the files helm-drift reads, end to end through the CLI: in text mode no raw control or bidi
 * character reaches stdout or stderr, in JSON mode the output parses and holds the exact value.
 */

/** Where the crafted text sits, and where the JSON report must carry it unchanged. */
interface Place {
  name: string;
  /** Rendered and live ConfigMaps (both get it, except where it is what drifted). */
  objects: (payload: string) => {
    rendered: Record<string, unknown>;
    live: Record<string, unknown>;
    source: string;
  };
  /** The exact value in the parsed JSON report. */
  inJson: (report: JsonReport) => unknown;
  expected: (payload: string) => unknown;
}

interface JsonReport {
  releases: {
    name: string;
    resources: {
      name: string;
      namespace: string;
      source: string | null;
      findings: {
        pointer: string | null;
        desired: unknown;
        live: unknown;
        owner: { manager: string } | null;
      }[];
    }[];
  }[];
}

const configMap = (
  options: { name?: string; namespace?: string; note?: string; key?: string; manager?: string } = {},
) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: {
    name: options.name ?? "settings",
    namespace: options.namespace ?? "shop",
    annotations: { note: options.note ?? "rendered" },
    ...(options.manager
      ? {
          managedFields: [
            {
              manager: options.manager,
              operation: "Update",
              apiVersion: "v1",
              time: "2025-11-03T14:22:07Z",
              fieldsType: "FieldsV1",
              fieldsV1: { "f:metadata": { "f:annotations": { "f:note": {} } } },
            },
          ],
        }
      : {}),
  },
  data: { [options.key ?? "mode"]: "on" },
});

const resource = (report: JsonReport) => report.releases[0]?.resources[0];

const PLACES: Place[] = [
  {
    name: "object name",
    objects: (p) => ({
      rendered: configMap({ name: `settings${p}` }),
      live: configMap({ name: `settings${p}`, note: "edited" }),
      source: "web/templates/cm.yaml",
    }),
    inJson: (r) => resource(r)?.name,
    expected: (p) => `settings${p}`,
  },
  {
    name: "namespace",
    objects: (p) => ({
      rendered: configMap({ namespace: `shop${p}` }),
      live: configMap({ namespace: `shop${p}`, note: "edited" }),
      source: "web/templates/cm.yaml",
    }),
    inJson: (r) => resource(r)?.namespace,
    expected: (p) => `shop${p}`,
  },
  {
    name: "annotation value",
    objects: (p) => ({
      rendered: configMap({ note: `rendered${p}` }),
      live: configMap({ note: `edited${p}` }),
      source: "web/templates/cm.yaml",
    }),
    inJson: (r) => [resource(r)?.findings[0]?.desired, resource(r)?.findings[0]?.live],
    expected: (p) => [`rendered${p}`, `edited${p}`],
  },
  {
    name: "manager name",
    objects: (p) => ({
      rendered: configMap(),
      live: configMap({ note: "edited", manager: `kubectl${p}` }),
      source: "web/templates/cm.yaml",
    }),
    inJson: (r) => resource(r)?.findings[0]?.owner?.manager,
    expected: (p) => `kubectl${p}`,
  },
  {
    name: "# Source: path",
    objects: (p) => ({
      rendered: configMap(),
      live: configMap({ note: "edited" }),
      source: `web/templates/cm${p}.yaml`,
    }),
    inJson: (r) => resource(r)?.source,
    expected: (p) => `web/templates/cm${p}.yaml`,
  },
  {
    name: "data key (finding path)",
    objects: (p) => ({
      rendered: configMap({ key: `mode${p}` }),
      live: configMap({ key: "other" }),
      source: "web/templates/cm.yaml",
    }),
    inJson: (r) => resource(r)?.findings.map((f) => f.pointer),
    expected: (p) => [`/data/mode${p}`],
  },
];

const dir = mkdtempSync(path.join(tmpdir(), "helm-drift-hostile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function file(name: string, text: string): string {
  const at = path.join(dir, `${files++}-${name}`);
  writeFileSync(at, text);
  return at;
}

/** A CR ends a YAML comment line, so a `# Source:` path cannot hold one: that pair is left out. */
const table = PLACES.flatMap((place) =>
  HOSTILE.filter(([, payload]) => !(place.name === "# Source: path" && payload.includes("\r"))).map(
    ([what, payload]) => [place.name, what, payload, place] as const,
  ),
);

describe("crafted text in the checked files", () => {
  it.each(table)(
    "%s with %s: text and --verbose escape it; JSON keeps it exactly",
    async (_place, _what, payload, place) => {
      const { rendered, live, source } = place.objects(payload);
      const manifest = file("manifest.yaml", `---\n# Source: ${source}\n${JSON.stringify(rendered)}\n`);
      const liveFile = file("live.json", JSON.stringify(live));
      const args = ["check", "--manifest", manifest, "--live", liveFile, "--release", `web${payload}`];
      for (const flags of [[], ["--verbose"], ["--color"], ["--debug"]]) {
        const run = await runCli([...args, ...flags]);
        expect(run.code).toBe(2);
        expect(run.stderr).toBe("");
        expect(run.stdout.replace(OWN_SGR, "").match(RAW)).toBeNull();
        expect(run.stdout).toContain(terminalSafe(payload));
      }
      const json = await runCli([...args, "-o", "json"]);
      expect(json.code).toBe(2);
      const report = JSON.parse(json.stdout) as JsonReport;
      expect(report.releases[0]?.name).toBe(`web${payload}`);
      expect(place.inJson(report)).toEqual(place.expected(payload));
    },
  );
});

describe("crafted text on stderr", () => {
  it.each(HOSTILE)(
    "a file name holding %s is escaped in the error line, also with --debug",
    async (_what, payload) => {
      const missing = path.join(dir, `gone${payload}.yaml`);
      for (const flags of [[], ["--debug"], ["-o", "json"]]) {
        const run = await runCli(["check", "--manifest", missing, "--live", missing, ...flags]);
        expect(run.code).toBe(1);
        expect(run.stdout).toBe("");
        expect(run.stderr).toContain(terminalSafe(`gone${payload}.yaml`));
        expect(run.stderr.match(RAW)).toBeNull();
      }
    },
  );

  it.each(HOSTILE)(
    "a malformed file whose bad line holds %s gets an error line without it raw",
    async (_what, payload) => {
      const bad = file(
        "bad.yaml",
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "x${payload}\n data: [\n`,
      );
      const run = await runCli(["check", "--manifest", bad, "--live", bad]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^helm-drift: .*bad\.yaml/);
      expect(run.stderr.match(RAW)).toBeNull();
    },
  );

  it.each(HOSTILE)(
    "an unknown option holding %s is escaped in commander's complaint",
    async (_what, payload) => {
      const run = await runCli(["check", `--x${payload}`]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`helm-drift: unknown option '--x${terminalSafe(payload)}'`);
      expect(run.stderr.match(RAW)).toBeNull();
    },
  );
});
