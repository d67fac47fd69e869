/**
 * The Dockerfile at the root against the chart and the package. No container engine or helm here, so the files
 * are parsed as text: the Dockerfile's instructions (continuation lines joined), and the one line of
 * deploy/chart/templates/cronjob.yaml that holds the container's `command:` (a JSON list, kept on one line for
 * this test, as the template says). The image's ENTRYPOINT must be the command the chart's pod runs, so a pod
 * that overrides nothing and a pod that states its command run the same program.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { repoPath } from "../../helpers/repo-path.js";

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions, in order: comments dropped, `\` continuations joined. */
function instructions(text: string): Instruction[] {
  const logical: string[] = [];
  let pending = "";
  for (const line of text.split("\n")) {
    if (pending === "" && /^\s*#/.test(line)) continue;
    if (line.trimEnd().endsWith("\\")) {
      pending += `${line.trimEnd().slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = "";
    if (full !== "") logical.push(full);
  }
  return logical.map((line) => {
    const match = /^(\S+)\s*(.*)$/.exec(line) as RegExpExecArray;
    return { keyword: (match[1] as string).toUpperCase(), args: match[2] as string };
  });
}

/** The instructions of each stage (FROM … up to the next FROM). */
function stages(all: Instruction[]): Instruction[][] {
  const result: Instruction[][] = [];
  for (const instruction of all) {
    if (instruction.keyword === "FROM") result.push([]);
    result.at(-1)?.push(instruction);
  }
  return result;
}

const dockerfile = instructions(readFileSync(repoPath("Dockerfile"), "utf8"));
const [buildStage = [], runtimeStage = [], ...extraStages] = stages(dockerfile);
const last = (stage: Instruction[], keyword: string) =>
  stage.filter((i) => i.keyword === keyword).at(-1)?.args;
const packageJson = JSON.parse(readFileSync(repoPath("package.json"), "utf8")) as {
  version: string;
  files: string[];
  bin: Record<string, string>;
};

/** The CronJob container's `command:` line, as JSON. */
function chartCommand(): unknown {
  const lines = readFileSync(repoPath("deploy/chart/templates/cronjob.yaml"), "utf8")
    .split("\n")
    .filter((line) => /^\s*command:/.test(line));
  expect(lines).toHaveLength(1);
  return JSON.parse((lines[0] as string).replace(/^\s*command:\s*/, ""));
}

describe("Dockerfile", () => {
  it("has two stages on node:22-bookworm-slim: a build stage and the runtime", () => {
    expect(extraStages).toEqual([]);
    expect(dockerfile.find((i) => i.keyword === "ARG")?.args).toBe("NODE_IMAGE=node:22-bookworm-slim");
    expect(buildStage[0]?.args).toMatch(/^\$\{NODE_IMAGE\} AS build$/);
    expect(runtimeStage[0]?.args).toMatch(/^\$\{NODE_IMAGE\}$/);
  });

  it("builds with npm ci, npm run build and npm pack", () => {
    const runs = buildStage.filter((i) => i.keyword === "RUN").map((i) => i.args);
    expect(runs).toEqual([
      "npm ci --ignore-scripts --no-audit --no-fund",
      "npm run build && npm pack --ignore-scripts",
    ]);
  });

  it("installs the packed tarball globally without dev dependencies and runs as node (uid 1000)", () => {
    expect(last(runtimeStage, "COPY")).toBe("--from=build /src/helm-drift-*.tgz /tmp/");
    expect(last(runtimeStage, "RUN")).toContain(
      "npm install -g --omit=dev --ignore-scripts --no-audit --no-fund ./helm-drift-*.tgz",
    );
    expect(last(runtimeStage, "USER")).toBe("node");
    // The chart's runAsUser is that user's uid in the official node images.
    const values = parseYaml(readFileSync(repoPath("deploy/chart/values.yaml"), "utf8")) as {
      securityContext: { runAsUser: number };
      podSecurityContext: { runAsUser: number };
    };
    expect([values.securityContext.runAsUser, values.podSecurityContext.runAsUser]).toEqual([1000, 1000]);
  });

  it("has the ENTRYPOINT the chart's CronJob states as its command", () => {
    const entrypoint = JSON.parse(last(runtimeStage, "ENTRYPOINT") ?? "null");
    expect(entrypoint).toEqual(["helm-drift", "report"]);
    expect(chartCommand()).toEqual(entrypoint);
    expect(Object.keys(packageJson.bin)).toContain(entrypoint[0]);
  });

  it("labels the image with the OCI annotations and package.json's version", () => {
    const labels = runtimeStage
      .filter((i) => i.keyword === "LABEL")
      .flatMap((i) => [...i.args.matchAll(/(org\.opencontainers\.image\.[a-z.]+)=/g)].map((m) => m[1]));
    expect(labels).toEqual(
      expect.arrayContaining([
        "org.opencontainers.image.title",
        "org.opencontainers.image.source",
        "org.opencontainers.image.version",
        "org.opencontainers.image.revision",
        "org.opencontainers.image.licenses",
      ]),
    );
    expect(runtimeStage.find((i) => i.keyword === "ARG" && i.args.startsWith("VERSION="))?.args).toBe(
      `VERSION=${packageJson.version}`,
    );
  });

  it("sends every path the build stage copies through .dockerignore's allowlist, and nothing else", () => {
    const allowed = readFileSync(repoPath(".dockerignore"), "utf8")
      .split("\n")
      .filter((line) => line.startsWith("!"))
      .map((line) => line.slice(1).replace(/\/$/, ""));
    const copied = buildStage
      .filter((i) => i.keyword === "COPY")
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(new Set(copied)).toEqual(new Set(allowed));
    for (const file of copied) expect(existsSync(repoPath(file)), file).toBe(true);
  });
});

describe("the npm package the image installs", () => {
  it("holds bin/, dist/ and schema/ (dist/ only once built: else package.json's files must list it)", () => {
    // --ignore-scripts: `npm pack` would otherwise run `prepare` (a build) first.
    const [pack] = JSON.parse(
      execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
        cwd: repoPath(),
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }),
    ) as [{ files: { path: string }[] }];
    const paths = pack.files.map((file) => file.path);
    expect(paths).toContain("bin/helm-drift");
    expect(paths).toContain("schema/config.schema.json");
    expect(paths).toContain("schema/drift-report.schema.json");
    expect(
      paths.filter((p) => p.startsWith("src/") || p.startsWith("test/") || p.startsWith("deploy/")),
    ).toEqual([]);
    if (existsSync(repoPath("dist/cli/main.js"))) {
      expect(paths).toContain("dist/cli/main.js");
      // What bin/helm-drift runs: the CLI bundled by `npm run build` (build/bundle-cli.mjs).
      expect(paths).toContain("dist/cli/helm-drift.mjs");
      expect(paths).toContain("dist/index.js");
    } else {
      expect(packageJson.files).toEqual(expect.arrayContaining(["bin", "dist", "schema"]));
    }
  }, 60_000); // npm pack takes seconds on a loaded machine
});
