import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, test, vi } from "vitest";
import { stringify } from "yaml";
import { loadKubeConfig } from "../../../src/cluster/kube-config.js";
import { KubeconfigError } from "../../../src/errors.js";

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "helm-drift-kubeconfig-"));
});

/** Writes a kubeconfig with one cluster, user and context per name. */
function kubeconfig(
  file: string,
  names: string[],
  options: { current?: string; server?: (name: string) => string } = {},
) {
  const server = options.server ?? ((name: string) => `https://${name}.example:6443`);
  const target = path.join(dir, file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(
    target,
    stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: names.map((name) => ({
        name,
        cluster: { server: server(name), "certificate-authority": "ca.crt" },
      })),
      users: names.map((name) => ({ name, user: { token: `token-${name}` } })),
      contexts: names.map((name) => ({
        name,
        context: { cluster: name, user: name, namespace: `ns-${name}` },
      })),
      ...(options.current ? { "current-context": options.current } : {}),
    }),
  );
  return target;
}

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  HOME: path.join(dir, "home"),
  ...extra,
});

describe("loadKubeConfig: which file", () => {
  test("--kubeconfig: that file, its current context, certificate paths made absolute", () => {
    const file = kubeconfig("a/config", ["dev", "prod"], { current: "dev" });
    const config = loadKubeConfig({ kubeconfig: file, env: env() });
    expect(config.getCurrentContext()).toBe("dev");
    expect(config.getCurrentCluster()).toMatchObject({
      server: "https://dev.example:6443",
      caFile: path.join(dir, "a", "ca.crt"),
    });
  });

  test("--kubeconfig wins over KUBECONFIG", () => {
    const flag = kubeconfig("flag", ["flag"], { current: "flag" });
    const listed = kubeconfig("listed", ["listed"], { current: "listed" });
    expect(loadKubeConfig({ kubeconfig: flag, env: env({ KUBECONFIG: listed }) }).getCurrentContext()).toBe(
      "flag",
    );
  });

  test("KUBECONFIG is merged as kubectl does: first definition and first current-context win, missing files skipped", () => {
    const first = kubeconfig("first", ["shared", "one"], {
      current: "one",
      server: (n) => `https://first-${n}:6443`,
    });
    const second = kubeconfig("second", ["shared", "two"], {
      current: "two",
      server: (n) => `https://second-${n}:6443`,
    });
    const config = loadKubeConfig({
      env: env({ KUBECONFIG: [path.join(dir, "missing"), first, second].join(path.delimiter) }),
    });
    expect(config.getCurrentContext()).toBe("one");
    expect(config.getContexts().map((c) => c.name)).toEqual(["shared", "one", "two"]);
    expect(config.getCluster("shared")?.server).toBe("https://first-shared:6443");
    expect(config.getCluster("two")?.server).toBe("https://second-two:6443");
  });

  test("a KUBECONFIG entry without current-context defers to the next file that has one", () => {
    const first = kubeconfig("first", ["one"]);
    const second = kubeconfig("second", ["two"], { current: "two" });
    const config = loadKubeConfig({ env: env({ KUBECONFIG: `${first}${path.delimiter}${second}` }) });
    expect(config.getCurrentContext()).toBe("two");
  });

  test("~/.kube/config when neither flag nor KUBECONFIG is set", () => {
    kubeconfig("home/.kube/config", ["home"], { current: "home" });
    expect(loadKubeConfig({ env: env() }).getCurrentContext()).toBe("home");
  });

  test("in a pod (KUBERNETES_SERVICE_HOST/PORT set, no kubeconfig): the service account", () => {
    const serviceAccount = path.join(dir, "sa");
    mkdirSync(serviceAccount);
    writeFileSync(path.join(serviceAccount, "namespace"), "helm-drift\n");
    const config = loadKubeConfig(
      { env: env({ KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" }) },
      serviceAccount,
    );
    expect(config.getCurrentCluster()).toMatchObject({
      server: "https://10.96.0.1:443",
      caFile: path.join(serviceAccount, "ca.crt"),
    });
    expect(config.getCurrentUser()?.authProvider).toEqual({
      name: "tokenFile",
      config: { tokenFile: path.join(serviceAccount, "token") },
    });
    expect(config.getContextObject(config.getCurrentContext())?.namespace).toBe("helm-drift");
  });

  test("an IPv6 service host is bracketed", () => {
    const config = loadKubeConfig(
      { env: env({ KUBERNETES_SERVICE_HOST: "fd00::1", KUBERNETES_SERVICE_PORT: "443" }) },
      path.join(dir, "no-sa"),
    );
    expect(config.getCurrentCluster()?.server).toBe("https://[fd00::1]:443");
  });

  test("a kubeconfig file is preferred over the service account", () => {
    kubeconfig("home/.kube/config", ["home"], { current: "home" });
    const config = loadKubeConfig({
      env: env({ KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" }),
    });
    expect(config.getCurrentContext()).toBe("home");
  });
});

describe("loadKubeConfig: --context", () => {
  test("selects another context of the file", () => {
    const file = kubeconfig("config", ["dev", "prod"], { current: "dev" });
    const config = loadKubeConfig({ kubeconfig: file, context: "prod", env: env() });
    expect(config.getCurrentCluster()?.server).toBe("https://prod.example:6443");
  });

  test("an unknown context is a KubeconfigError listing the available ones", () => {
    const file = kubeconfig("config", ["dev", "prod"], { current: "dev" });
    expect(() => loadKubeConfig({ kubeconfig: file, context: "staging", env: env() })).toThrow(
      new KubeconfigError('context "staging" not found (available: dev, prod)'),
    );
  });

  test("no current-context and no --context", () => {
    const file = kubeconfig("config", ["dev"]);
    expect(() => loadKubeConfig({ kubeconfig: file, env: env() })).toThrow(
      new KubeconfigError("no current context: pass --context (available: dev)"),
    );
  });
});

describe("loadKubeConfig errors", () => {
  test("nothing to load", () => {
    expect(() => loadKubeConfig({ env: env() })).toThrow(KubeconfigError);
    expect(() => loadKubeConfig({ env: env() })).toThrow(/^no kubeconfig found/);
  });

  test("an env without HOME has no ~/.kube/config: the process's own HOME is never read", () => {
    kubeconfig("process-home/.kube/config", ["process-home"], { current: "process-home" });
    vi.stubEnv("HOME", path.join(dir, "process-home"));
    try {
      expect(() => loadKubeConfig({ env: {} })).toThrow(/^no kubeconfig found/);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  test("--kubeconfig naming a missing file", () => {
    const file = path.join(dir, "nope");
    expect(() => loadKubeConfig({ kubeconfig: file, env: env() })).toThrow(
      new KubeconfigError(`kubeconfig ${file}: no such file`),
    );
  });

  test("a file that is not a kubeconfig names the file", () => {
    const file = path.join(dir, "broken");
    writeFileSync(file, "clusters:\n  - name: x\n    cluster: {}\n");
    expect(() => loadKubeConfig({ kubeconfig: file, env: env() })).toThrow(
      new RegExp(`^kubeconfig ${file}: `),
    );
  });

  test("a context naming a cluster that is not defined", () => {
    const file = path.join(dir, "dangling");
    writeFileSync(
      file,
      stringify({
        clusters: [],
        users: [{ name: "u", user: { token: "t" } }],
        contexts: [{ name: "c", context: { cluster: "gone", user: "u" } }],
        "current-context": "c",
      }),
    );
    expect(() => loadKubeConfig({ kubeconfig: file, env: env() })).toThrow(
      new KubeconfigError('context "c" names cluster "gone", which is not defined'),
    );
  });
});
