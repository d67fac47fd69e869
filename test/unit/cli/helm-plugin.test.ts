import { accessSync, constants, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { directStorage } from "../../../src/cli/helm-driver.js";
import { helmPluginArgs, isHelmPlugin } from "../../../src/cli/helm-plugin-env.js";
import { runCli } from "./run-cli.js";

const repo = path.resolve(import.meta.dirname, "../../..");

/** The environment Helm 3.22 and 4.3 give a plugin for `helm drift …` with no global flags (seen with both). */
const HELM_ENV: NodeJS.ProcessEnv = {
  HELM_PLUGIN_NAME: "drift",
  HELM_PLUGIN_DIR: "/home/u/.local/share/helm/plugins/helm-drift",
  HELM_BIN: "/usr/local/bin/helm",
  HELM_NAMESPACE: "default",
  HELM_KUBECONTEXT: "",
  HELM_DEBUG: "false",
  HELM_KUBEAPISERVER: "",
  HELM_KUBETOKEN: "",
  HELM_KUBEASUSER: "",
  HELM_KUBEASGROUPS: "",
  HELM_KUBECAFILE: "",
  HELM_KUBETLS_SERVER_NAME: "",
  HELM_KUBEINSECURE_SKIP_TLS_VERIFY: "false",
};

describe("helm plugin environment → flags", () => {
  const cases: { name: string; args: string[]; env: NodeJS.ProcessEnv; want: string[] }[] = [
    {
      name: "helm -n shop drift check web: the namespace comes back as --namespace",
      args: ["check", "web"],
      env: { HELM_NAMESPACE: "shop" },
      want: ["check", "--namespace", "shop", "web"],
    },
    {
      name: "no -n anywhere: helm's default namespace (the context's, else default) is passed on",
      args: ["check"],
      env: {},
      want: ["check", "--namespace", "default"],
    },
    {
      name: "-A keeps every namespace",
      args: ["check", "-A", "-o", "json"],
      env: { HELM_NAMESPACE: "shop" },
      want: ["check", "-A", "-o", "json"],
    },
    {
      name: "an explicit --namespace wins",
      args: ["check", "web", "--namespace=prod"],
      env: { HELM_NAMESPACE: "shop" },
      want: ["check", "web", "--namespace=prod"],
    },
    {
      name: "offline files take no namespace from HELM_NAMESPACE (helm always sets it)",
      args: ["check", "--manifest", "m.yaml", "--live", "l.yaml"],
      env: {},
      want: ["check", "--manifest", "m.yaml", "--live", "l.yaml"],
    },
    {
      name: "--kube-context becomes --context",
      args: ["check", "web"],
      env: { HELM_NAMESPACE: "shop", HELM_KUBECONTEXT: "staging" },
      want: ["check", "--namespace", "shop", "--context", "staging", "web"],
    },
    {
      name: "an explicit --context wins over --kube-context",
      args: ["check", "--context", "prod"],
      env: { HELM_KUBECONTEXT: "staging" },
      want: ["check", "--namespace", "default", "--context", "prod"],
    },
    {
      name: "helm's --debug becomes --debug",
      args: ["check"],
      env: { HELM_DEBUG: "true" },
      want: ["check", "--namespace", "default", "--debug"],
    },
    {
      name: "__complete check: flags go before the words, the word under the cursor stays last",
      args: ["__complete", "check", "-o", ""],
      env: { HELM_NAMESPACE: "shop", HELM_KUBECONTEXT: "staging", HELM_DEBUG: "true" },
      want: ["__complete", "check", "--namespace", "shop", "--context", "staging", "-o", ""],
    },
    {
      name: "other commands are left alone",
      args: ["completion", "bash"],
      env: { HELM_NAMESPACE: "shop", HELM_KUBECONTEXT: "staging" },
      want: ["completion", "bash"],
    },
  ];
  it.each(cases)("$name", ({ args, env, want }) => {
    expect(helmPluginArgs(args, { ...HELM_ENV, ...env })).toEqual(want);
  });

  it("refuses helm's credential flags that helm-drift's own API client would not use", () => {
    expect(() => helmPluginArgs(["check"], { ...HELM_ENV, HELM_KUBETOKEN: "abc" })).toThrow(
      "helm's --kube-token (HELM_KUBETOKEN) is not supported by helm drift: select the cluster and credentials with a kubeconfig context (--kube-context)",
    );
    expect(() =>
      helmPluginArgs(["check"], { ...HELM_ENV, HELM_KUBEINSECURE_SKIP_TLS_VERIFY: "true" }),
    ).toThrow(/--kube-insecure-skip-tls-verify/);
    // Completion never fails on them.
    expect(helmPluginArgs(["__complete", "check", ""], { ...HELM_ENV, HELM_KUBETOKEN: "abc" })).toEqual([
      "__complete",
      "check",
      "--namespace",
      "default",
      "",
    ]);
  });

  it("is a plugin only when helm set both HELM_PLUGIN_NAME and HELM_PLUGIN_DIR", () => {
    expect([
      isHelmPlugin(HELM_ENV),
      isHelmPlugin({ HELM_PLUGIN_NAME: "drift" }),
      isHelmPlugin({ HELM_NAMESPACE: "shop" }),
    ]).toEqual([true, false, false]);
  });

  it("main applies the mapping only as a plugin: a refused flag is one line, exit 1", async () => {
    const asPlugin = await runCli(["check"], { env: { ...HELM_ENV, HELM_KUBEAPISERVER: "https://x" } });
    expect(asPlugin).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "helm-drift: helm's --kube-apiserver (HELM_KUBEAPISERVER) is not supported by helm drift: select the cluster and credentials with a kubeconfig context (--kube-context)\n",
    });
    // Outside helm the same variable means nothing to helm-drift: the check gets as far as the kubeconfig.
    const direct = await runCli(["check"], { env: { HELM_KUBEAPISERVER: "https://x" } });
    expect(direct.stderr).toMatch(/^helm-drift: no kubeconfig found/);
  });
});

describe("HELM_DRIVER and the direct source", () => {
  it.each([
    ["", "secrets"],
    ["secret", "secrets"],
    ["secrets", "secrets"],
    ["configmap", "configmaps"],
    ["configmaps", "configmaps"],
  ])(
    "HELM_DRIVER=%j: the direct source reads %s, under auto, secrets and helm's cross-check alike",
    (driver, storage) => {
      for (const desiredFrom of ["auto", "secrets", "helm"] as const)
        expect(directStorage(desiredFrom, { HELM_DRIVER: driver })).toBe(storage);
    },
  );

  it("sql and memory: auto and helm read through helm, secrets is refused with one line saying what to use", () => {
    for (const driver of ["sql", "memory"]) {
      expect(directStorage("auto", { HELM_DRIVER: driver })).toBeNull();
      expect(directStorage("helm", { HELM_DRIVER: driver })).toBeNull();
      expect(() => directStorage("secrets", { HELM_DRIVER: driver })).toThrow(
        `--desired-from secrets reads Helm's release storage (Secrets or ConfigMaps) directly, but HELM_DRIVER is "${driver}": use --desired-from helm, which reads releases through helm and its storage driver`,
      );
    }
  });

  it("the CLI says so before reading any cluster", async () => {
    const run = await runCli(["check", "-n", "shop", "--desired-from", "secrets"], {
      env: { HELM_DRIVER: "sql" },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^helm-drift: --desired-from secrets reads Helm's release storage \(Secrets or ConfigMaps\) directly, but HELM_DRIVER is "sql"/,
    );
  });
});

describe("plugin.yaml", () => {
  const plugin = parse(readFileSync(path.join(repo, "plugin.yaml"), "utf8")) as Record<string, unknown>;
  const pkg = JSON.parse(readFileSync(path.join(repo, "package.json"), "utf8")) as { version: string };

  it("has the version of package.json", () => {
    expect(plugin.version).toBe(pkg.version);
  });

  it("is the legacy format both Helm 3 and Helm 4 load, naming the drift command and running bin/helm-drift", () => {
    expect(plugin).toMatchObject({
      name: "drift",
      platformCommand: [{ command: "node", args: ["$HELM_PLUGIN_DIR/bin/helm-drift"] }],
    });
    expect(plugin).not.toHaveProperty("apiVersion");
  });

  it("ships plugin.complete, executable, for helm's completion of `helm drift`", () => {
    const file = path.join(repo, "plugin.complete");
    expect(() => accessSync(file, constants.X_OK)).not.toThrow();
    expect(readFileSync(file, "utf8")).toContain(
      'exec node "$HELM_PLUGIN_DIR/bin/helm-drift" __complete "$@"',
    );
  });
});
