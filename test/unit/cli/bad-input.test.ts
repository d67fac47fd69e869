import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { corpusPath } from "../../helpers/corpus.js";
import { runCli } from "./run-cli.js";

const corpus = corpusPath("live-vs-desired/gitops-engine");
const manifest = path.join(corpus, "smd-deploy-config.yaml");
const live = path.join(corpus, "smd-deploy-live.yaml");
const dir = mkdtempSync(path.join(tmpdir(), "helm-drift-cli-"));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** Each bad input: one line on stderr naming the file or object and what is wrong, exit 1, nothing on stdout. */
describe("bad input gets one clear line and exit code 1", () => {
  const cases: [string, string[], RegExp][] = [
    [
      "malformed YAML names the file and line",
      [
        "--manifest",
        file("bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: [\n"),
        "--live",
        live,
      ],
      /bad\.yaml:\d+:\d+: /,
    ],
    [
      "a live file that is not Kubernetes objects",
      ["--manifest", manifest, "--live", file("notk8s.yaml", "- just\n- a list\n")],
      /notk8s\.yaml(:\d+)?: .*(not a Kubernetes object|apiVersion|kind)/,
    ],
    [
      "truncated JSON names the file",
      [
        "--manifest",
        manifest,
        "--live",
        file("trunc.json", '{"apiVersion": "v1", "kind": "List", "items": [\n  {"apiVersion": "v1",\n'),
      ],
      /trunc\.json:\d+: /,
    ],
    [
      "an unknown kind names the file, line and kind",
      [
        "--manifest",
        file(
          "kind.yaml",
          "# Source: c/templates/x.yaml\napiVersion: v1\nkind: Config Map\nmetadata:\n  name: x\n",
        ),
        "--live",
        live,
      ],
      /kind\.yaml:2: unknown kind "Config Map"/,
    ],
    [
      "a missing manifest file",
      ["--manifest", path.join(dir, "nope.yaml"), "--live", live],
      /nope\.yaml: no such file/,
    ],
    [
      "a missing live file",
      ["--manifest", manifest, "--live", path.join(dir, "gone.json")],
      /gone\.json: no such file/,
    ],
    ["--manifest without --live", ["--manifest", manifest], /--manifest needs --live/],
    ["an unknown output format", ["--manifest", manifest, "--live", live, "-o", "xml"], /xml/],
    ["an unknown severity", ["--manifest", manifest, "--live", live, "--fail-on", "urgent"], /urgent/],
    ["a bad concurrency", ["--manifest", manifest, "--live", live, "--concurrency", "0"], /--concurrency/],
    ["a RELEASE with files", ["web", "--manifest", manifest, "--live", live], /either a RELEASE/],
    [
      "a kubeconfig that does not exist",
      ["web", "--kubeconfig", path.join(dir, "no-kubeconfig")],
      /no-kubeconfig/,
    ],
    [
      "a helm binary that does not exist",
      [
        "web",
        "-n",
        "shop",
        "--kubeconfig",
        file("kubeconfig", kubeconfigFor("https://127.0.0.1:1")),
        "--desired-from",
        "helm",
        "--helm-bin",
        path.join(dir, "no-helm"),
      ],
      /no-helm/,
    ],
    [
      "an unreachable cluster",
      [
        "-n",
        "shop",
        "--desired-from",
        "secrets",
        "--kubeconfig",
        file("kubeconfig2", kubeconfigFor("https://127.0.0.1:1")),
      ],
      /127\.0\.0\.1:1/,
    ],
  ];

  it.each(cases)("%s", async (_name, args, expected) => {
    const run = await runCli(["check", ...args]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(expected);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("--debug adds the stack trace", async () => {
    const run = await runCli(["check", "--manifest", path.join(dir, "nope.yaml"), "--live", live, "--debug"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\n\s+at /);
  });
});

function kubeconfigFor(server: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: ${server}
    insecure-skip-tls-verify: true
users:
- name: u
  user:
    token: not-a-real-token
contexts:
- name: ctx
  context:
    cluster: c
    user: u
current-context: ctx
`;
}
