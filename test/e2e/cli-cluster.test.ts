/**
 * `helm-drift check` in cluster mode, run as a user runs it (the built CLI, a real process) against the real
 * API server: kubeconfig and context selection, which releases are checked, errors as one line, where the
 * rendered manifest comes from (helm v3, helm v4, release Secrets), and a kind whose CRD is gone.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { exitCodeFor } from "../../src/core/exit-code.js";
import type { DriftReport, ReleaseReport } from "../../src/model/report.js";
import {
  cluster,
  clusterBin,
  freshNamespaceTimed,
  helmDriftTimed,
  kubectlTimed,
  okTimed,
  parseReport,
  type Result,
  shTimed,
  uninstallRelease,
} from "./harness.js";
import { RELEASE as INCIDENT_RELEASE, resourceOf, stageIncident } from "./incident/steps.js";

/** A stack frame as Node prints it: a failure must be one line unless --debug. */
const STACK_FRAME = /^\s+at .+\(?.+:\d+:\d+\)?$/m;

interface KubeconfigFile {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
  "current-context"?: string;
  [key: string]: unknown;
}

/** A chart in a temporary directory: Chart.yaml plus the given templates. */
function writeChart(root: string, name: string, templates: Record<string, string>): string {
  const dir = path.join(root, name);
  mkdirSync(path.join(dir, "templates"), { recursive: true });
  writeFileSync(path.join(dir, "Chart.yaml"), `apiVersion: v2\nname: ${name}\nversion: 1.0.0\n`);
  for (const [file, text] of Object.entries(templates))
    writeFileSync(path.join(dir, "templates", file), text);
  return dir;
}

const CONFIGMAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-settings
data:
  mode: {{ .Values.mode | default "blue" | quote }}
`;

/** The release names of a report, sorted, for the namespaces given (other engineers share the cluster). */
function releasesIn(report: DriftReport, namespaces: string[]): string[] {
  return report.releases
    .filter((r) => r.namespace !== null && namespaces.includes(r.namespace))
    .map((r) => `${r.namespace}/${r.name}`)
    .sort();
}

function expectOneLineError(result: Result, line: string): void {
  expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({
    code: 1,
    stdout: "",
    stderr: `${line}\n`,
  });
}

describe.skipIf(!cluster.available)("helm-drift check against a cluster", () => {
  let work: string;
  let appChart: string;
  let nsA: string;
  let nsB: string;
  /** [helm binary, release, namespace] of every release this file installs, uninstalled at the end. */
  const installed: [string, string, string][] = [];
  const helm3 = (...args: string[]) => {
    if (args[0] === "install")
      installed.push([clusterBin("helm"), args[1] ?? "", args[args.indexOf("-n") + 1] ?? ""]);
    return okTimed(clusterBin("helm"), args, { timeoutMs: 60_000 });
  };

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "inc-cli-"));
    appChart = writeChart(work, "inc-app", { "configmap.yaml": CONFIGMAP });
    nsA = await freshNamespaceTimed("inc-cli-a");
    nsB = await freshNamespaceTimed("inc-cli-b");
    await Promise.all([
      helm3("install", "inc-one", appChart, "-n", nsA),
      helm3("install", "inc-two", appChart, "-n", nsA, "--set", "mode=green"),
      helm3("install", "inc-three", appChart, "-n", nsB),
    ]);
  });

  describe("which kubeconfig and context", () => {
    let admin: KubeconfigFile;
    const writeKubeconfig = (name: string, config: unknown) => {
      const file = path.join(work, name);
      writeFileSync(file, stringify(config), { mode: 0o600 });
      return file;
    };

    beforeAll(() => {
      admin = parse(readFileSync(cluster.kubeconfig, "utf8")) as KubeconfigFile;
    });

    it("--kubeconfig and --context: a second context's namespace selects the releases, KUBECONFIG is ignored", async () => {
      const adminContext = admin.contexts[0]?.context;
      const copy = writeKubeconfig("with-second-context", {
        ...admin,
        contexts: [...admin.contexts, { name: "inc-second", context: { ...adminContext, namespace: nsA } }],
      });
      const result = await helmDriftTimed(
        ["check", "--kubeconfig", copy, "--context", "inc-second", "-o", "json"],
        {
          env: { KUBECONFIG: path.join(work, "does-not-exist") },
        },
      );
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const report = parseReport(result.stdout);
      expect(report.releases.map((r) => `${r.namespace}/${r.name}`).sort()).toEqual([
        `${nsA}/inc-one`,
        `${nsA}/inc-two`,
      ]);
      expect(report.releases.map((r) => r.status)).toEqual(["InSync", "InSync"]);
    });

    it("an unknown --context: exit 1, one line listing the contexts there are", async () => {
      const copy = writeKubeconfig("two-contexts", {
        ...admin,
        contexts: [...admin.contexts, { name: "inc-second", context: { ...admin.contexts[0]?.context } }],
      });
      const result = await helmDriftTimed(["check", "--kubeconfig", copy, "--context", "inc-nope"]);
      expectOneLineError(
        result,
        `helm-drift: context "inc-nope" not found (available: ${admin.contexts[0]?.name}, inc-second)`,
      );
    });

    it("an API server that cannot be reached: exit 1, one line naming it, from helm and from helm-drift", async () => {
      // Port 1 on the loopback has no listener: connection refused at once.
      const unreachable = writeKubeconfig("unreachable", {
        ...admin,
        clusters: admin.clusters.map((c) => ({
          ...c,
          cluster: { ...c.cluster, server: "https://127.0.0.1:1" },
        })),
      });
      const viaHelm = await helmDriftTimed([
        "check",
        "-n",
        nsA,
        "--kubeconfig",
        unreachable,
        "--desired-from",
        "helm",
      ]);
      expect(viaHelm.code).toBe(1);
      expect(viaHelm.stdout).toBe("");
      expect(viaHelm.stderr).toMatch(
        /^helm-drift: helm list failed: Error: Kubernetes cluster unreachable: .*127\.0\.0\.1:1.*connection refused\n$/,
      );
      const direct = await helmDriftTimed([
        "check",
        "-n",
        nsA,
        "--kubeconfig",
        unreachable,
        "--desired-from",
        "secrets",
      ]);
      expectOneLineError(
        direct,
        "helm-drift: cannot reach the API server at https://127.0.0.1:1: connection refused",
      );
    });

    it("KUBECONFIG as a list is merged like kubectl does: a missing file skipped, names from several files", async () => {
      // Credentials in one file, the context (and current-context) in another, as people split them.
      const credentials = writeKubeconfig("credentials", { ...admin, contexts: [], "current-context": "" });
      const contextFile = writeKubeconfig("context", {
        apiVersion: "v1",
        kind: "Config",
        clusters: [],
        users: [],
        contexts: [{ name: "inc-merged", context: { ...admin.contexts[0]?.context, namespace: nsB } }],
        "current-context": "inc-merged",
      });
      const list = [path.join(work, "missing"), credentials, contextFile].join(path.delimiter);
      const result = await helmDriftTimed(["check", "-o", "json"], { env: { KUBECONFIG: list } });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(parseReport(result.stdout).releases.map((r) => `${r.namespace}/${r.name}`)).toEqual([
        `${nsB}/inc-three`,
      ]);
    });
  });

  describe("which releases", () => {
    it("-n NS checks every release in NS", async () => {
      const result = await helmDriftTimed(["check", "-n", nsA, "-o", "json"]);
      expect(result.code).toBe(0);
      const report = parseReport(result.stdout);
      expect(report.releases.map((r) => [r.name, r.namespace, r.status])).toEqual([
        ["inc-one", nsA, "InSync"],
        ["inc-two", nsA, "InSync"],
      ]);
      expect(report.releases.map((r) => r.resources.map((res) => `${res.kind}/${res.name}`))).toEqual([
        ["ConfigMap/inc-one-settings"],
        ["ConfigMap/inc-two-settings"],
      ]);
    });

    it("--all-namespaces includes the releases of both namespaces; its exit code is the report's", async () => {
      const result = await helmDriftTimed(["check", "--all-namespaces", "-o", "json"], { timeoutMs: 60_000 });
      const report = parseReport(result.stdout);
      // Other engineers' releases share this cluster: assert ours, and that the exit code matches the report.
      expect(releasesIn(report, [nsA, nsB])).toEqual([
        `${nsA}/inc-one`,
        `${nsA}/inc-two`,
        `${nsB}/inc-three`,
      ]);
      const ours = report.releases.filter((r) => r.namespace === nsA || r.namespace === nsB);
      expect(ours.map((r) => r.status)).toEqual(["InSync", "InSync", "InSync"]);
      expect(result.code).toBe(exitCodeFor(report, "low"));
    });

    it("a release that does not exist: exit 1, an Error release with one clear line, no stack trace", async () => {
      const text = await helmDriftTimed(["check", "inc-nope", "-n", nsA]);
      expect(text.code).toBe(1);
      expect(text.stderr).toBe("");
      expect(text.stdout.split("\n")[0]).toBe(
        `! release inc-nope (ns ${nsA}): Error: release "inc-nope" not found in namespace "${nsA}"`,
      );
      expect(text.stdout).not.toMatch(STACK_FRAME);

      const json = await helmDriftTimed(["check", "inc-nope", "-n", nsA, "-o", "json"]);
      expect(json.code).toBe(1);
      expect(parseReport(json.stdout).releases).toEqual([
        expect.objectContaining({
          name: "inc-nope",
          namespace: nsA,
          status: "Error",
          error: `release "inc-nope" not found in namespace "${nsA}"`,
          resources: [],
        }),
      ]);
    });
  });

  it("--debug prints the stack trace naming the TypeScript sources (the bundle's source map); without it, one line", async () => {
    const missing = path.join(tmpdir(), `helm-drift-no-such-${process.pid}.yaml`);
    const args = ["check", "--manifest", missing, "--live", missing];
    const plain = await helmDriftTimed(args);
    expect({ code: plain.code, stderr: plain.stderr }).toEqual({
      code: 1,
      stderr: `helm-drift: ${missing}: no such file\n`,
    });
    const debug = await helmDriftTimed([...args, "--debug"]);
    expect(debug.code).toBe(1);
    expect(debug.stderr.split("\n")[0]).toBe(`helm-drift: InputError: ${missing}: no such file`);
    expect(debug.stderr).toMatch(/^\s+at readInput \(.*\/src\/sources\/read-input\.ts:\d+:\d+\)$/m);
    expect(debug.stderr).toMatch(/\/src\/cli\/main\.ts:\d+:\d+\)$/m);
  });

  /*
   * helm install refuses a chart whose kind the cluster does not serve, so a release only ends up with one
   * when the CRD goes away afterwards (an operator uninstalled with its CRDs). Deleting a CRD needs no
   * controller-manager: kube-apiserver's own apiextensions controllers delete its custom resources, drop the
   * finalizer and stop serving the group. The CRD is this test's own (group inc-<random>.helm-drift.test).
   */
  it("a kind whose CRD was deleted after the install: that resource is Missing with the reason, the rest checked", async () => {
    const ns = await freshNamespaceTimed("inc-cli-crd");
    const group = `inc-${randomBytes(3).toString("hex")}.helm-drift.test`;
    const crd = `incwidgets.${group}`;
    await kubectlTimed(["create", "-f", "-"], {
      input: JSON.stringify({
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: { name: crd },
        spec: {
          group,
          scope: "Namespaced",
          names: {
            plural: "incwidgets",
            singular: "incwidget",
            kind: "IncWidget",
            listKind: "IncWidgetList",
          },
          versions: [
            {
              name: "v1",
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
            },
          ],
        },
      }),
    });
    await until(
      async () => (await kubectlStatus(["get", "--raw", `/apis/${group}/v1`])) === 0,
      "the CRD is served",
    );
    const chart = writeChart(work, "inc-widgets", {
      "configmap.yaml": CONFIGMAP,
      "widget.yaml": `apiVersion: {{ .Values.group }}/v1\nkind: IncWidget\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  size: 3\n`,
    });
    await helm3("install", "inc-widgets", chart, "-n", ns, "--set", `group=${group}`);
    const before = await helmDriftTimed(["check", "inc-widgets", "-n", ns, "-o", "json"]);
    expect(before.code).toBe(0);

    await kubectlTimed(["delete", "crd", crd, "--timeout=30s"]);
    await until(
      async () => (await kubectlStatus(["get", "--raw", `/apis/${group}/v1`])) !== 0,
      "the CRD is gone",
    );

    const result = await helmDriftTimed(["check", "inc-widgets", "-n", ns, "-o", "json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(2);
    const release = parseReport(result.stdout).releases[0];
    expect(release?.status).toBe("Drifted");
    expect(resourceOf(release, "ConfigMap").status).toBe("InSync");
    const widget = resourceOf(release, "IncWidget");
    expect(widget).toMatchObject({
      status: "Missing",
      reason: {
        code: "kind-not-served",
        detail: null,
        message: `kind IncWidget (${group}/v1) is not served by the cluster`,
      },
      healsOnUpgrade: "no",
      remediation: null,
    });
    expect(widget.findings.map((f) => [f.code, f.severity, f.upgrade])).toEqual([
      ["object-missing", "high", "fails"],
    ]);

    const text = await helmDriftTimed(["check", "inc-widgets", "-n", ns]);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain(
      `  ✗ IncWidget/${ns}/inc-widgets — Missing: kind IncWidget (${group}/v1) is not served by the cluster`,
    );
  });

  describe("where the rendered manifest comes from", () => {
    it("--desired-from secrets reports what the helm CLI reports for the incident release", async () => {
      const ns = await freshNamespaceTimed("inc-cli-arc");
      const fluxNs = await freshNamespaceTimed("inc-cli-flux");
      installed.push([clusterBin("helm"), INCIDENT_RELEASE, ns]);
      await stageIncident(ns, fluxNs);

      const fromHelm = await helmDriftTimed([
        "check",
        INCIDENT_RELEASE,
        "-n",
        ns,
        "-o",
        "json",
        "--desired-from",
        "helm",
      ]);
      const fromSecrets = await helmDriftTimed([
        "check",
        INCIDENT_RELEASE,
        "-n",
        ns,
        "-o",
        "json",
        "--desired-from",
        "secrets",
        "--helm-bin",
        "/nonexistent/helm", // proves no helm runs
      ]);
      expect([fromHelm.code, fromSecrets.code]).toEqual([2, 2]);
      const withoutTime = ({ generatedAt: _, desiredFrom: _source, ...rest }: DriftReport) => rest;
      const helmReport = parseReport(fromHelm.stdout);
      expect([helmReport.desiredFrom, parseReport(fromSecrets.stdout).desiredFrom]).toEqual([
        "helm",
        "secrets",
      ]);
      expect(withoutTime(parseReport(fromSecrets.stdout))).toEqual(withoutTime(helmReport));
      expect(resourceOf(helmReport.releases[0], "AutoscalingRunnerSet").findings).toHaveLength(4);
    });

    it("--helm-bin that does not exist: exit 1, one line saying how to fix it", async () => {
      const result = await helmDriftTimed([
        "check",
        "-n",
        nsA,
        "--desired-from",
        "helm",
        "--helm-bin",
        "/nonexistent/helm",
      ]);
      expectOneLineError(
        result,
        'helm-drift: cannot run helm binary "/nonexistent/helm" (ENOENT): install helm, or set --helm-bin or HELM_BIN to its path',
      );
    });

    describe("HELM_BIN", () => {
      let wrapper: string;
      let log: string;

      beforeAll(() => {
        log = path.join(work, "helm-bin.log");
        wrapper = path.join(work, "logging-helm");
        writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> '${log}'\nexec '${clusterBin("helm")}' "$@"\n`);
        chmodSync(wrapper, 0o755);
      });

      it("is the helm that runs when --helm-bin is not given", async () => {
        writeFileSync(log, "");
        const result = await helmDriftTimed(["check", "-n", nsB, "--desired-from", "helm"], {
          env: { HELM_BIN: wrapper },
        });
        expect(result.code).toBe(0);
        const calls = readFileSync(log, "utf8");
        expect(calls).toMatch(
          new RegExp(
            `^list --output json --deployed --failed --pending --superseded --max 0 --namespace ${nsB}`,
            "m",
          ),
        );
        expect(calls).toMatch(new RegExp(`^get manifest inc-three --namespace ${nsB} --revision 1`, "m"));
      });

      it("loses to --helm-bin", async () => {
        writeFileSync(log, "");
        const result = await helmDriftTimed(
          ["check", "-n", nsB, "--desired-from", "helm", "--helm-bin", clusterBin("helm")],
          {
            env: { HELM_BIN: wrapper },
          },
        );
        expect(result.code).toBe(0);
        expect(readFileSync(log, "utf8")).toBe("");
      });
    });

    describe("Helm 4", () => {
      let ns: string;
      const check = (...flags: string[]) =>
        helmDriftTimed([
          "check",
          "inc-four",
          "-n",
          ns,
          "--helm-bin",
          clusterBin("helm4"),
          "-o",
          "json",
          ...flags,
        ]);

      beforeAll(async () => {
        ns = await freshNamespaceTimed("inc-cli-h4");
        installed.push([clusterBin("helm4"), "inc-four", ns]);
        await okTimed(clusterBin("helm4"), ["install", "inc-four", appChart, "-n", ns], {
          timeoutMs: 60_000,
        });
      });

      it("a fresh helm4 install (server-side apply) is InSync", async () => {
        const result = await check();
        expect(result.code).toBe(0);
        const release = parseReport(result.stdout).releases[0] as ReleaseReport;
        expect(release).toMatchObject({
          name: "inc-four",
          namespace: ns,
          revision: 1,
          chart: "inc-app-1.0.0",
        });
        expect(release.resources.map((r) => [r.kind, r.status])).toEqual([["ConfigMap", "InSync"]]);
        const live = JSON.parse(
          await kubectlTimed([
            "get",
            "configmap",
            "inc-four-settings",
            "-n",
            ns,
            "-o",
            "json",
            "--show-managed-fields",
          ]),
        );
        expect(
          live.metadata.managedFields.map((m: { manager: string; operation: string }) => m.operation),
        ).toContain("Apply");
      });

      it("its release Secret is read by --desired-from secrets and by the helm v3 binary alike", async () => {
        const [fromHelm4, fromSecrets, fromHelm3] = await Promise.all([
          check("--desired-from", "helm"),
          check("--desired-from", "secrets"),
          helmDriftTimed([
            "check",
            "inc-four",
            "-n",
            ns,
            "--desired-from",
            "helm",
            "--helm-bin",
            clusterBin("helm"),
            "-o",
            "json",
          ]),
        ]);
        expect([fromHelm4.code, fromSecrets.code, fromHelm3.code]).toEqual([0, 0, 0]);
        const withoutTime = (result: Result) => ({
          ...parseReport(result.stdout),
          generatedAt: null,
          desiredFrom: null,
        });
        expect(withoutTime(fromSecrets)).toEqual(withoutTime(fromHelm4));
        expect(withoutTime(fromHelm3)).toEqual(withoutTime(fromHelm4));
      });

      it("drift in a helm4 release is found", async () => {
        await kubectlTimed([
          "patch",
          "configmap",
          "inc-four-settings",
          "-n",
          ns,
          "--type",
          "merge",
          "-p",
          '{"data":{"mode":"red"}}',
        ]);
        const result = await check();
        expect(result.code).toBe(2);
        const configMap = resourceOf(parseReport(result.stdout).releases[0], "ConfigMap");
        expect(configMap.findings.map((f) => [f.code, f.path, f.desired, f.live])).toEqual([
          ["value-changed", "data.mode", "blue", "red"],
        ]);
      });
    });
  });

  afterAll(async () => {
    // The temporary charts and kubeconfigs (which hold the admin credentials) are removed, and the releases
    // uninstalled; namespaces stay (they never finish deleting without a controller-manager).
    if (work) rmSync(work, { recursive: true, force: true });
    for (const [helm, release, namespace] of installed) await uninstallRelease(helm, release, namespace);
  });
});

async function kubectlStatus(args: string[]): Promise<number> {
  return (await shTimed(clusterBin("kubectl"), args)).code;
}

/** Polls `condition` every 200 ms for up to 30 s. */
async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
