/**
 * helm-drift installed as a Helm plugin (plugin.yaml at the repository root) into the real helm 3 and helm 4
 * binaries, each with helm homes of its own, run against the real API server: `helm drift check`, with the
 * namespace, kube context and kubeconfig given to helm (which takes them out of the plugin's arguments and
 * hands them over as HELM_NAMESPACE, HELM_KUBECONTEXT and KUBECONFIG); helm's completion of `helm drift`
 * through plugin.complete; and `helm-drift __complete` naming the releases and namespaces of the cluster.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import {
  cluster,
  clusterBin,
  freshNamespaceTimed,
  helmDriftTimed,
  kubectlTimed,
  okTimed,
  parseReport,
  repoPath,
  shTimed,
  uninstallRelease,
} from "./harness.js";

const DRIFTED = "plug-drifted";
const CLEAN = "plug-clean";

const CONFIGMAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-settings
data:
  mode: blue
`;

interface KubeconfigFile {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  contexts: { name: string; context: Record<string, unknown> }[];
  [key: string]: unknown;
}

describe.skipIf(!cluster.available)("helm-drift as a Helm plugin", () => {
  let work: string;
  let ns: string;
  /** A kubeconfig whose current context points nowhere; context "plug-second" is the cluster, namespace `ns`. */
  let secondContextKubeconfig: string;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "hd-plugin-"));
    const chart = path.join(work, "plug-app");
    mkdirSync(path.join(chart, "templates"), { recursive: true });
    writeFileSync(path.join(chart, "Chart.yaml"), "apiVersion: v2\nname: plug-app\nversion: 1.0.0\n");
    writeFileSync(path.join(chart, "templates", "configmap.yaml"), CONFIGMAP);
    ns = await freshNamespaceTimed("hd-plugin");
    await Promise.all(
      [DRIFTED, CLEAN].map((release) =>
        okTimed(clusterBin("helm"), ["install", release, chart, "-n", ns], { timeoutMs: 60_000 }),
      ),
    );
    await kubectlTimed([
      "patch",
      "configmap",
      `${DRIFTED}-settings`,
      "-n",
      ns,
      "-p",
      '{"data":{"mode":"red"}}',
    ]);

    const admin = parse(readFileSync(cluster.kubeconfig, "utf8")) as KubeconfigFile;
    const [real] = admin.contexts;
    secondContextKubeconfig = path.join(work, "kubeconfig");
    writeFileSync(
      secondContextKubeconfig,
      stringify({
        ...admin,
        clusters: [
          ...admin.clusters,
          { name: "plug-nowhere", cluster: { ...admin.clusters[0]?.cluster, server: "https://127.0.0.1:1" } },
        ],
        contexts: [
          { name: "plug-nowhere", context: { ...real?.context, cluster: "plug-nowhere" } },
          { name: "plug-second", context: { ...real?.context, namespace: ns } },
        ],
        "current-context": "plug-nowhere",
      }),
      { mode: 0o600 },
    );
  });

  afterAll(async () => {
    await Promise.all([DRIFTED, CLEAN].map((release) => uninstallRelease(clusterBin("helm"), release, ns)));
  });

  describe.each([
    { label: "Helm 3", bin: "helm" as const },
    { label: "Helm 4", bin: "helm4" as const },
  ])("$label", ({ bin }) => {
    /** Helm homes of this helm's own. Helm 4 installs a local plugin into $HELM_DATA_HOME/plugins whatever
     * HELM_PLUGINS says (helm internal/plugin/installer/local_installer.go Path), so HELM_PLUGINS is that. */
    const homes = () => {
      const home = path.join(work, bin);
      return {
        HELM_DATA_HOME: path.join(home, "data"),
        HELM_PLUGINS: path.join(home, "data", "plugins"),
        HELM_CONFIG_HOME: path.join(home, "config"),
        HELM_CACHE_HOME: path.join(home, "cache"),
      };
    };
    const helm = (args: string[], env: NodeJS.ProcessEnv = {}) =>
      shTimed(clusterBin(bin), args, { env: { ...homes(), ...env }, timeoutMs: 60_000 });

    beforeAll(async () => {
      const installed = await helm(["plugin", "install", repoPath()]);
      expect(installed.stderr).toBe("");
      expect(installed.stdout).toMatch(/^Installed plugin: drift$/m);
      expect(installed.code).toBe(0);
    });

    it("helm plugin list shows drift at package.json's version", async () => {
      const list = await helm(["plugin", "list"]);
      const version = (JSON.parse(readFileSync(repoPath("package.json"), "utf8")) as { version: string })
        .version;
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(new RegExp(`^drift\\s+${version.replace(/\./g, "\\.")}\\s`, "m"));
    });

    it("helm drift check RELEASE -n NS: exit 2 with the finding (helm takes -n and passes HELM_NAMESPACE)", async () => {
      const result = await helm(["drift", "check", DRIFTED, "-n", ns, "-o", "json"]);
      expect(result.code).toBe(2);
      const [release] = parseReport(result.stdout).releases;
      expect([release?.name, release?.namespace, release?.status]).toEqual([DRIFTED, ns, "Drifted"]);
      expect(release?.resources.flatMap((r) => r.findings.map((f) => [r.kind, f.code, f.path]))).toEqual([
        ["ConfigMap", "value-changed", "data.mode"],
      ]);
    });

    it("helm -n NS drift check RELEASE: the same report, in text", async () => {
      const result = await helm(["-n", ns, "drift", "check", DRIFTED]);
      expect(result.code).toBe(2);
      expect(result.stdout).toContain(`✗ ConfigMap/${ns}/${DRIFTED}-settings — Drifted, 1 finding`);
      expect(result.stdout).toContain('data.mode is "red" live; the release sets "blue"');
    });

    it("helm --kubeconfig FILE --kube-context CTX: that file and context, and the context's namespace", async () => {
      const result = await helm(
        ["--kubeconfig", secondContextKubeconfig, "--kube-context", "plug-second", "drift", "check", DRIFTED],
        { KUBECONFIG: path.join(work, "does-not-exist") },
      );
      expect(result.stderr).not.toMatch(/127\.0\.0\.1:1/);
      expect(result.code).toBe(2);
      expect(result.stdout).toContain(`✗ release ${DRIFTED} (ns ${ns},`);
    });

    it("a clean release: exit 0", async () => {
      const result = await helm(["drift", "check", CLEAN, "-n", ns]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^✓ release ${CLEAN} \\(ns ${ns},`, "m"));
    });

    it("helm's completion of `helm drift check -n NS` offers the releases (plugin.complete)", async () => {
      const result = await helm(["__complete", "drift", "check", "-n", ns, ""]);
      expect(result.code).toBe(0);
      expect(result.stdout.split("\n").slice(0, 3)).toEqual([CLEAN, DRIFTED, ":4"]);
    });
  });

  it("HELM_DRIVER=sql with --desired-from secrets: exit 1, one line saying to use --desired-from helm", async () => {
    const result = await helmDriftTimed(["check", DRIFTED, "-n", ns, "--desired-from", "secrets"], {
      env: { HELM_DRIVER: "sql" },
    });
    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 1, stdout: "" });
    expect(result.stderr).toBe(
      'helm-drift: --desired-from secrets reads Helm\'s release storage (Secrets or ConfigMaps) directly, but HELM_DRIVER is "sql": use --desired-from helm, which reads releases through helm and its storage driver\n',
    );
  });

  describe("helm-drift __complete against the cluster", () => {
    it("check -n NS '': the releases of NS, from Helm's release Secrets", async () => {
      const result = await helmDriftTimed(["__complete", "check", "-n", ns, ""]);
      expect(result).toEqual({ code: 0, stdout: `${CLEAN}\n${DRIFTED}\n:4\n`, stderr: "" });
    });

    it("check -n NS plug-d: only the releases starting so", async () => {
      const result = await helmDriftTimed(["__complete", "check", "-n", ns, "plug-d"]);
      expect(result.stdout).toBe(`${DRIFTED}\n:4\n`);
    });

    it("check -n PREFIX: the namespaces starting so", async () => {
      const result = await helmDriftTimed(["__complete", "check", "-n", ns.slice(0, -2)]);
      expect(result.code).toBe(0);
      expect(result.stdout.split("\n")).toContain(ns);
      expect(result.stdout.endsWith(":4\n")).toBe(true);
    });

    it("an unreachable cluster: no candidates, no error, well within the time budget", async () => {
      const started = Date.now();
      const result = await helmDriftTimed([
        "__complete",
        "check",
        "--kubeconfig",
        secondContextKubeconfig,
        "",
      ]);
      expect(result).toEqual({ code: 0, stdout: ":4\n", stderr: "" });
      expect(Date.now() - started).toBeLessThan(10_000);
    });
  });
});
