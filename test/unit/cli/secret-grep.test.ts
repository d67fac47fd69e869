import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MANIFEST, startFaultServer } from "../cluster/fault-server.js";
import { type CliRun, runCli } from "./run-cli.js";

/**
 * Every output helm-drift writes, grepped for seeded secret values, plain and base64: text, text --verbose,
 * JSON, Markdown, JUnit, SARIF, HTML and --debug (stdout and stderr each), across the shapes a Secret drifts in and the error paths that
 * could quote one. Secret values must never appear (README: "no Secret value is ever printed").
 */

const dir = mkdtempSync(path.join(tmpdir(), "helm-drift-secret-grep-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
}

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/** One distinct value per place a secret can sit; long and random-looking so a hit is never a coincidence. */
const SECRETS = {
  changedRendered: "rendered-pw-Q7vX2m9LkP4t",
  changedLive: "live-pw-hT3nR8wZ1cY6",
  stringData: "stringdata-tok-Jd5sF0aV7bN2",
  stringDataLive: "stringdata-live-Uo9eK3xM6gW1",
  missingKey: "missing-key-Rb4yC8qH2nE5",
  extraKey: "extra-key-Zp1tL6vD9sA3",
  wholeMissing: "whole-missing-Fk7mX2jQ5rT8",
  configLike: "config-like-Wn3bG9cE4yH6",
  lastApplied: "last-applied-Vs8dJ1pN7kM2",
  malformedLive: "malformed-live-Ce5hT9wB3qL7",
  malformedManifest: "malformed-manifest-Yg2kR6nF8xD4",
  helmStderr: "helm-stderr-Mt6pV1zS9cJ3",
  helmDebug: "helm-debug-Ha4wQ7eL2rN8",
  helmNoErrorLine: "helm-no-error-line-Pb8sK2vT5xG1",
  failedRevision: "failed-revision-Dq3vN7kW1zB5",
} as const;

/** Every seeded value as it could leak: plain, base64 (as Secret data holds it). */
const SEEDED = Object.values(SECRETS).flatMap((secret) => [secret, b64(secret)]);

const meta = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  namespace: "shop",
  annotations: { "meta.helm.sh/release-name": "web", "meta.helm.sh/release-namespace": "shop" },
  ...extra,
});

const managed = (manager: string, fields: Record<string, unknown>) => ({
  managedFields: [
    {
      manager,
      operation: "Update",
      apiVersion: "v1",
      time: "2025-11-03T14:22:07Z",
      fieldsType: "FieldsV1",
      fieldsV1: fields,
    },
  ],
});

const secret = (name: string, body: Record<string, unknown>, metaExtra: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind: "Secret",
  type: "Opaque",
  metadata: meta(name, metaExtra),
  ...body,
});

const lastAppliedRendered = secret("kubectl-applied", { data: { token: b64(SECRETS.lastApplied) } });

const rendered = [
  secret("db", { data: { password: b64(SECRETS.changedRendered) } }),
  secret("api", { stringData: { token: SECRETS.stringData } }),
  secret("creds", { data: { user: b64("app"), key: b64(SECRETS.missingKey) } }),
  secret("extra", { data: { user: b64("app") } }),
  secret("gone", { data: { password: b64(SECRETS.wholeMissing) } }),
  secret("app-config", { data: { "config.yaml": b64(`password: ${SECRETS.configLike}\n`) } }),
  lastAppliedRendered,
];

const live = [
  secret(
    "db",
    { data: { password: b64(SECRETS.changedLive) } },
    managed("kubectl-edit", { "f:data": { "f:password": {} } }),
  ),
  secret("api", { data: { token: b64(SECRETS.stringDataLive) } }),
  secret("creds", { data: { user: b64("app") } }),
  secret(
    "extra",
    { data: { user: b64("app"), added: b64(SECRETS.extraKey) } },
    managed("kubectl-patch", { "f:data": { "f:added": {} } }),
  ),
  secret("app-config", { data: { "config.yaml": b64("password: changed\n") } }),
  secret(
    "kubectl-applied",
    { data: { token: b64(`${SECRETS.lastApplied}-edited`) } },
    {
      annotations: {
        "meta.helm.sh/release-name": "web",
        "meta.helm.sh/release-namespace": "shop",
        "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify(lastAppliedRendered),
      },
    },
  ),
];

const manifestText = rendered
  .map((object, i) => `---\n# Source: web/templates/secret-${i}.yaml\n${JSON.stringify(object, null, 2)}\n`)
  .join("");
const manifest = file("manifest.yaml", manifestText);
const liveFile = file("live.json", JSON.stringify({ apiVersion: "v1", kind: "List", items: live }, null, 2));

/** A malformed file that holds a secret on the line the parser stops at. */
const badLive = file(
  "bad-live.yaml",
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: ${b64(SECRETS.malformedLive)}\n   broken: [${SECRETS.malformedLive}\n`,
);
const badManifest = file(
  "bad-manifest.yaml",
  `---\n# Source: web/templates/secret.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: "${SECRETS.malformedManifest}\n  other: {${b64(SECRETS.malformedManifest)}\n`,
);

/**
 * A release whose newest revision failed because the API server refused a Secret, quoting its value (as a
 * field error does): Helm keeps that text as the revision's description, which the report shows.
 */
const failedHistory = file(
  "failed-history.json",
  JSON.stringify([
    { revision: 1, status: "deployed", chart: "shop-1.0.0", description: "Install complete" },
    {
      revision: 2,
      status: "failed",
      chart: "shop-1.0.1",
      description:
        `Upgrade "shop" failed: cannot patch "db" with kind Secret: Secret "db" is invalid: ` +
        `[data[password]: Invalid value: "${SECRETS.failedRevision}": must be base64, ` +
        `data[token]: Invalid value: "${b64(SECRETS.failedRevision)}"]`,
    },
  ]),
);
const failedManifest = file("failed-manifest.yaml", MANIFEST);

/** A helm that fails, printing secrets on stderr around (and instead of) its `Error:` line. */
const helm = file(
  "helm",
  `#!/bin/sh
case "$1 $2" in
  "history shop")
    cat "${failedHistory}"
    exit 0 ;;
  "get manifest")
    cat "${failedManifest}"
    exit 0 ;;
  "get metadata")
    echo 'Error: unknown command "metadata" for "helm get"' >&2
    exit 1 ;;
  "history bare")
    echo "password=${SECRETS.helmNoErrorLine} ${b64(SECRETS.helmNoErrorLine)}" >&2
    exit 1 ;;
  "history "*)
    echo "WARNING: values: password=${SECRETS.helmStderr}" >&2
    echo "  data: ${b64(SECRETS.helmStderr)}" >&2
    echo "Error: Kubernetes cluster unreachable: connection refused" >&2
    exit 1 ;;
  "list "*)
    echo "debug: token ${SECRETS.helmDebug} ${b64(SECRETS.helmDebug)}" >&2
    echo "Error: list failed" >&2
    exit 1 ;;
esac
exit 2
`,
);
chmodSync(helm, 0o755);
const kubeconfig = file(
  "kubeconfig",
  `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]
users: [{name: u, user: {token: not-a-secret-under-test}}]
contexts: [{name: c, context: {cluster: c, user: u, namespace: shop}}]
current-context: c
`,
);

const offline = ["check", "--manifest", manifest, "--live", liveFile, "--release", "web", "-n", "shop"];
/** The fake helm answers: the manifests come from it (--desired-from helm), never from release storage. */
const cluster = ["--desired-from", "helm", "--helm-bin", helm, "--kubeconfig", kubeconfig];
/** A stand-in API server holding the failed release's objects (test/unit/cluster/fault-server.ts). */
const apiServer = await startFaultServer();
afterAll(() => apiServer.close());
const standIn = [
  "--desired-from",
  "helm",
  "--helm-bin",
  helm,
  "--kubeconfig",
  file("stand-in.kubeconfig", apiServer.kubeConfig.exportConfig()),
];

/** Name, arguments, and what the run must say (stdout and stderr together), so each reaches its path. */
const scenarios: [string, string[], RegExp][] = [
  [
    "drifted Secrets (changed, stringData, missing key, extra key, missing Secret, config-like, last-applied)",
    offline,
    /Drifted/,
  ],
  [
    "a malformed live file holding a secret",
    ["check", "--manifest", manifest, "--live", badLive],
    /bad-live\.yaml:\d+(:\d+)?: /,
  ],
  [
    "a malformed manifest holding a secret",
    ["check", "--manifest", badManifest, "--live", liveFile],
    /bad-manifest\.yaml:\d+(:\d+)?: /,
  ],
  [
    "a failing helm that prints secrets on stderr before its Error line",
    ["check", "web", "-n", "shop", ...cluster],
    /helm history web failed: Error: Kubernetes cluster unreachable/,
  ],
  [
    "a failing helm listing releases",
    ["check", "-n", "shop", ...cluster],
    /helm list failed: Error: list failed/,
  ],
  [
    "a failing helm that prints a secret and no Error line",
    ["check", "bare", "-n", "shop", ...cluster],
    /helm history bare failed: exit code 1/,
  ],
  [
    "a release whose failed revision's description quotes a refused Secret value",
    ["check", "shop", "-n", "shop", ...standIn],
    /shop|"results": \[\]/,
  ],
];

const FORMATS: [string, string[]][] = [
  ["text", []],
  ["text --verbose", ["--verbose"]],
  ["json", ["-o", "json"]],
  ["text --debug", ["--debug"]],
  ["json --debug", ["-o", "json", "--debug"]],
  ["markdown", ["-o", "markdown"]],
  ["junit", ["-o", "junit"]],
  ["sarif", ["-o", "sarif"]],
  ["html", ["-o", "html"]],
];

describe("secret grep: no seeded secret value, plain or base64, in any output", () => {
  const outputs: { name: string; text: string }[] = [];

  it.each(scenarios)("%s", async (name, args, says) => {
    for (const [format, flags] of FORMATS) {
      const run: CliRun = await runCli([...args, ...flags], { env: { PATH: process.env.PATH } });
      outputs.push({ name: `${name} / ${format} / stdout`, text: run.stdout });
      outputs.push({ name: `${name} / ${format} / stderr`, text: run.stderr });
      expect(run.stdout + run.stderr).toMatch(says);
    }
  });

  it("the drift scenario reports each shape, so the grep covers them", async () => {
    const run = await runCli([...offline, "-o", "json"]);
    const resources = JSON.parse(run.stdout).releases[0].resources as {
      name: string;
      status: string;
      findings: { code: string; path: string }[];
    }[];
    const byName = Object.fromEntries(resources.map((r) => [r.name, r]));
    expect(byName.db?.findings.map((f) => [f.code, f.path])).toEqual([["value-changed", "data.password"]]);
    expect(byName.api?.findings.map((f) => [f.code, f.path])).toEqual([["value-changed", "data.token"]]);
    expect(byName.creds?.findings.map((f) => [f.code, f.path])).toEqual([["field-missing", "data.key"]]);
    expect(byName.extra?.findings.map((f) => [f.code, f.path])).toEqual([["field-added", "data.added"]]);
    expect(byName.gone?.status).toBe("Missing");
    expect(byName["app-config"]?.status).toBe("Drifted");
    expect(byName["kubectl-applied"]?.status).toBe("Drifted");
  });

  it("the failed-revision scenario reports the description, its quoted values masked", async () => {
    const run = await runCli(["check", "shop", "-n", "shop", ...standIn, "-o", "json"]);
    expect(JSON.parse(run.stdout).releases[0].newerRevision).toEqual({
      revision: 2,
      status: "failed",
      description:
        'Upgrade "shop" failed: cannot patch "db" with kind Secret: Secret "db" is invalid: ' +
        "[data[password]: Invalid value: *** (masked): must be base64, data[token]: Invalid value: *** (masked)]",
    });
  });

  it("finds 0 leaks", () => {
    expect(outputs.length).toBe(scenarios.length * FORMATS.length * 2);
    const leaks = outputs.flatMap(({ name, text }) =>
      SEEDED.filter((value) => text.includes(value)).map((value) => `${name}: ${value}`),
    );
    console.log(
      `secret grep: ${outputs.length} outputs × ${SEEDED.length} seeded values, ${leaks.length} leaks`,
    );
    expect(leaks).toEqual([]);
  });
});
