/**
 * `--desired-from auto` (the default) against the real API server and the real helm binaries: a Helm 3
 * release, a Helm 4 release and a Helm 3 release stored in ConfigMaps (HELM_DRIVER=configmap), each with drift
 * injected by kubectl, give the same report whether the manifests come from auto, the helm CLI or the release
 * storage read directly; only `generatedAt` and `desiredFrom` differ. A ServiceAccount that may not list
 * Secrets gets the helm CLI's answer under auto.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify } from "yaml";
import type { DriftReport } from "../../src/model/report.js";
import {
  cluster,
  clusterBin,
  freshNamespaceTimed,
  helmDriftTimed,
  kubectlTimed,
  okTimed,
  parseReport,
  type Result,
} from "./harness.js";

const CHART_YAML = "apiVersion: v2\nname: df-app\nversion: 1.0.0\n";
const CONFIGMAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-settings
data:
  mode: {{ .Values.mode | default "blue" | quote }}
  size: "3"
`;

/** The report without what may differ between sources: when it ran and where the manifests came from. */
const answer = ({ generatedAt: _t, desiredFrom: _d, ...rest }: DriftReport) => rest;

interface Case {
  name: string;
  helm: "helm" | "helm4";
  /** HELM_DRIVER for install and check; empty is the default (Secrets). */
  driver: string;
  /** What the direct source reads. */
  storage: "secrets" | "configmaps";
}

const CASES: Case[] = [
  { name: "df-three", helm: "helm", driver: "", storage: "secrets" },
  { name: "df-four", helm: "helm4", driver: "", storage: "secrets" },
  { name: "df-cm", helm: "helm", driver: "configmap", storage: "configmaps" },
];

describe.skipIf(!cluster.available)("--desired-from auto, helm and secrets give the same report", () => {
  let work: string;
  let chart: string;
  const namespaces = new Map<string, string>();

  const check = (c: Case, ...flags: string[]) =>
    helmDriftTimed(
      [
        "check",
        c.name,
        "-n",
        namespaces.get(c.name) ?? "",
        "--helm-bin",
        clusterBin(c.helm),
        "-o",
        "json",
        ...flags,
      ],
      { env: { HELM_DRIVER: c.driver } },
    );

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "desired-from-"));
    chart = path.join(work, "df-app");
    mkdirSync(path.join(chart, "templates"), { recursive: true });
    writeFileSync(path.join(chart, "Chart.yaml"), CHART_YAML);
    writeFileSync(path.join(chart, "templates", "configmap.yaml"), CONFIGMAP);
    await Promise.all(
      CASES.map(async (c) => {
        // Each its own namespace: a release in ConfigMaps is not seen by the Secrets driver, and the reverse.
        const ns = await freshNamespaceTimed(c.name);
        namespaces.set(c.name, ns);
        await okTimed(clusterBin(c.helm), ["install", c.name, chart, "-n", ns], {
          env: { HELM_DRIVER: c.driver },
          timeoutMs: 60_000,
        });
        await kubectlTimed([
          "patch",
          "configmap",
          `${c.name}-settings`,
          "-n",
          ns,
          "--type",
          "merge",
          "-p",
          '{"data":{"mode":"red","size":null}}',
        ]);
      }),
    );
  });

  afterAll(async () => {
    for (const c of CASES) {
      const ns = namespaces.get(c.name);
      if (ns)
        await okTimed(clusterBin(c.helm), ["uninstall", c.name, "-n", ns], {
          env: { HELM_DRIVER: c.driver },
        }).catch(() => undefined);
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it.each(CASES)("$name ($helm, HELM_DRIVER=$driver): one report from every source", async (c) => {
    const [auto, viaHelm, direct] = await Promise.all([
      check(c),
      check(c, "--desired-from", "helm"),
      check(c, "--desired-from", "secrets"),
    ]);
    expect([auto, viaHelm, direct].map((r: Result) => [r.code, r.stderr])).toEqual([
      [2, ""],
      [2, ""],
      [2, ""],
    ]);
    const reports = [auto, viaHelm, direct].map((r) => parseReport(r.stdout));
    expect(reports.map((r) => r.desiredFrom)).toEqual([c.storage, "helm", c.storage]);
    expect(answer(reports[0] as DriftReport)).toEqual(answer(reports[1] as DriftReport));
    expect(answer(reports[2] as DriftReport)).toEqual(answer(reports[1] as DriftReport));
    const release = reports[0]?.releases[0];
    expect([release?.name, release?.revision, release?.chart, release?.status]).toEqual([
      c.name,
      1,
      "df-app-1.0.0",
      "Drifted",
    ]);
    expect(release?.resources[0]?.findings.map((f) => [f.code, f.path]).sort()).toEqual([
      ["field-missing", "data.size"],
      ["value-changed", "data.mode"],
    ]);
  });

  it("a namespace check lists the release from its storage too, and the text says where once", async () => {
    const c = CASES[2] as Case;
    const ns = namespaces.get(c.name) ?? "";
    const [listed, named, text] = await Promise.all([
      helmDriftTimed(["check", "-n", ns, "-o", "json"], { env: { HELM_DRIVER: "configmap" } }),
      check(c),
      helmDriftTimed(["check", "-n", ns], { env: { HELM_DRIVER: "configmap" } }),
    ]);
    expect([listed.code, named.code, text.code]).toEqual([2, 2, 2]);
    expect(answer(parseReport(listed.stdout))).toEqual(answer(parseReport(named.stdout)));
    expect(parseReport(listed.stdout).desiredFrom).toBe("configmaps");
    const lines = text.stdout.trimEnd().split("\n");
    expect(lines.slice(-2)).toEqual([
      "Total: 1 release, 1 resource, 1 drifted, 0 missing, 2 findings (0 critical, 0 high, 2 medium, 0 low, 0 info)",
      "Rendered manifests from Helm's release ConfigMaps (HELM_DRIVER=configmap), read directly.",
    ]);
    expect(lines.filter((line) => line.startsWith("Rendered manifests"))).toHaveLength(1);
  });

  describe("a ServiceAccount that may not list Secrets", () => {
    let kubeconfig: string;
    let helmAsAdmin: string;
    let helmLog: string;
    const c = CASES[0] as Case;

    beforeAll(async () => {
      const ns = namespaces.get(c.name) ?? "";
      const account = "df-no-secrets";
      // May read the release's objects (ConfigMaps), nothing about Secrets.
      await kubectlTimed(["apply", "-f", "-"], {
        input: JSON.stringify({
          apiVersion: "v1",
          kind: "List",
          items: [
            { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: account, namespace: ns } },
            {
              apiVersion: "rbac.authorization.k8s.io/v1",
              kind: "Role",
              metadata: { name: account, namespace: ns },
              rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] }],
            },
            {
              apiVersion: "rbac.authorization.k8s.io/v1",
              kind: "RoleBinding",
              metadata: { name: account, namespace: ns },
              roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: account },
              subjects: [{ kind: "ServiceAccount", name: account, namespace: ns }],
            },
          ],
        }),
      });
      const token = (await kubectlTimed(["create", "token", account, "-n", ns, "--duration", "1h"])).trim();
      const admin = parseYaml(readFileSync(cluster.kubeconfig, "utf8"));
      kubeconfig = path.join(work, `${account}.kubeconfig`);
      writeFileSync(
        kubeconfig,
        stringify({
          apiVersion: "v1",
          kind: "Config",
          clusters: [{ name: "e2e", cluster: admin.clusters[0].cluster }],
          users: [{ name: account, user: { token } }],
          contexts: [{ name: account, context: { cluster: "e2e", user: account, namespace: ns } }],
          "current-context": account,
        }),
        { mode: 0o600 },
      );
      // helm with credentials of its own (the admin's): it can read the release the account cannot.
      helmLog = path.join(work, "helm-as-admin.log");
      helmAsAdmin = path.join(work, "helm-as-admin");
      writeFileSync(
        helmAsAdmin,
        [
          "#!/bin/sh",
          `echo "$1" >> '${helmLog}'`,
          "skip=",
          "for a; do",
          "  shift",
          '  if [ -n "$skip" ]; then skip=; continue; fi',
          '  if [ "$a" = --kubeconfig ]; then skip=1; continue; fi',
          '  set -- "$@" "$a"',
          "done",
          `KUBECONFIG='${cluster.kubeconfig}' exec '${clusterBin("helm")}' "$@"`,
          "",
        ].join("\n"),
      );
      chmodSync(helmAsAdmin, 0o755);
    });

    const checkAs = (...flags: string[]) =>
      helmDriftTimed(
        ["check", c.name, "--kubeconfig", kubeconfig, "--helm-bin", helmAsAdmin, "-o", "json", ...flags],
        {
          env: { KUBECONFIG: kubeconfig },
        },
      );

    it("auto: the helm CLI's answer, the report says helm", async () => {
      writeFileSync(helmLog, "");
      const [auto, viaHelm, asAdmin] = await Promise.all([
        checkAs(),
        checkAs("--desired-from", "helm"),
        check(c, "--desired-from", "secrets"),
      ]);
      expect([auto.code, auto.stderr], auto.stdout.slice(0, 3000)).toEqual([2, ""]);
      expect(viaHelm.code).toBe(2);
      const report = parseReport(auto.stdout);
      expect(report.desiredFrom).toBe("helm");
      expect(answer(report)).toEqual(answer(parseReport(viaHelm.stdout)));
      expect(answer(report)).toEqual(answer(parseReport(asAdmin.stdout)));
      expect(readFileSync(helmLog, "utf8")).toMatch(/^history$/m);
    });

    it("secrets: the refusal is a read failure naming the permission, not a fallback", async () => {
      const direct = await checkAs("--desired-from", "secrets");
      expect(direct.code).toBe(1);
      const release = parseReport(direct.stdout).releases[0];
      expect(release?.status).toBe("Error");
      expect(release?.error).toMatch(
        /^cannot list Secrets in namespace ".*" at .*\(reading Helm's release storage needs "list secrets"\): HTTP 403/,
      );
    });
  });
});
