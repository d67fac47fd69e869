/**
 * deploy/rbac/helm-drift-readonly.yaml on the real API server (RBAC on): helm-drift checks a release as the
 * ServiceAccount it grants, with a TokenRequest token and nothing else, and gets the admin's report; with a
 * narrower Role that cannot read one kind, that resource is Unreadable with the API server's reason, the
 * others are still checked, and the check exits 1.
 *
 * The cluster is shared, so the manifest is applied with its cluster-scoped names prefixed `inc-rbac-<random>-`
 * and its namespace replaced by a fresh one; the rules are applied exactly as written.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments, parse as parseYaml, stringify } from "yaml";
import type { DriftReport } from "../../src/model/report.js";
import {
  cluster,
  clusterBin,
  freshNamespaceTimed,
  helmDriftTimed,
  kubectlTimed,
  parseReport,
  repoPath,
  shTimed,
  uninstallRelease,
} from "./harness.js";
import { RELEASE, resourceOf, stageIncident } from "./incident/steps.js";

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  nonResourceURLs?: string[];
}
interface ManifestObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: PolicyRule[];
  roleRef?: { kind: string; name: string };
  subjects?: { kind: string; name: string; namespace: string }[];
}

const MANIFEST = repoPath("deploy/rbac/helm-drift-readonly.yaml");
const manifest = parseAllDocuments(readFileSync(MANIFEST, "utf8")).map((d) => d.toJS() as ManifestObject);
const withoutTime = ({ generatedAt: _, desiredFrom: _source, ...rest }: DriftReport) => rest;

describe("deploy/rbac/helm-drift-readonly.yaml", () => {
  it("holds a ServiceAccount helm-drift/helm-drift and two read-only ClusterRoles bound to it", () => {
    expect(manifest.map((o) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`)).toEqual([
      "Namespace//helm-drift",
      "ServiceAccount/helm-drift/helm-drift",
      "ClusterRole//helm-drift-readonly",
      "ClusterRole//helm-drift-release-secrets",
      "ClusterRoleBinding//helm-drift-readonly",
      "ClusterRoleBinding//helm-drift-release-secrets",
    ]);
    for (const binding of manifest.filter((o) => o.kind === "ClusterRoleBinding")) {
      expect(binding.roleRef).toMatchObject({ kind: "ClusterRole", name: binding.metadata.name });
      expect(binding.subjects).toEqual([
        { kind: "ServiceAccount", name: "helm-drift", namespace: "helm-drift" },
      ]);
    }
  });

  it("grants get and list (batched reads) only, no watch, no wildcard that would reach subresources", () => {
    const rules = manifest.flatMap((o) => o.rules ?? []);
    expect(new Set(rules.flatMap((r) => r.verbs))).toEqual(new Set(["get", "list"]));
    // Discovery is get; every resource rule is get and list, nothing else.
    for (const rule of rules) {
      expect(rule.verbs).toEqual(rule.resources === undefined ? ["get"] : ["get", "list"]);
    }
    for (const rule of rules.filter((r) => r.resources?.includes("*"))) {
      expect(rule.apiGroups?.every((group) => group.includes("."))).toBe(true); // a named CRD group only
    }
    expect(rules.flatMap((r) => r.apiGroups ?? [])).not.toContain("*");
    expect(rules.flatMap((r) => r.resources ?? []).filter((r) => r.includes("/"))).toEqual([]);
  });
});

describe.skipIf(!cluster.available)("helm-drift as a read-only ServiceAccount", () => {
  let work: string;
  let ns: string;
  let saNs: string;
  let adminReport: DriftReport;
  const prefix = `inc-rbac-${randomBytes(3).toString("hex")}`;
  const admin = () => parseYaml(readFileSync(cluster.kubeconfig, "utf8"));

  /** A kubeconfig that authenticates with a TokenRequest token of ServiceAccount saNs/`account` only. */
  async function kubeconfigFor(account: string): Promise<string> {
    const token = (await kubectlTimed(["create", "token", account, "-n", saNs, "--duration", "1h"])).trim();
    const file = path.join(work, `${account}.kubeconfig`);
    const server = admin().clusters[0].cluster;
    writeFileSync(
      file,
      stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "e2e", cluster: server }],
        users: [{ name: account, user: { token } }],
        contexts: [{ name: account, context: { cluster: "e2e", user: account, namespace: ns } }],
        "current-context": account,
      }),
      { mode: 0o600 },
    );
    return file;
  }

  /** helm-drift with only that kubeconfig: flag and KUBECONFIG both, so neither it nor helm can use the admin's. */
  const checkAs = (kubeconfig: string, ...flags: string[]) =>
    helmDriftTimed(["check", RELEASE, "-n", ns, "--kubeconfig", kubeconfig, ...flags], {
      env: { KUBECONFIG: kubeconfig },
    });

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "inc-rbac-"));
    ns = await freshNamespaceTimed("inc-rbac-arc");
    const fluxNs = await freshNamespaceTimed("inc-rbac-flux");
    saNs = await freshNamespaceTimed("inc-rbac-sa");
    await stageIncident(ns, fluxNs);

    const objects = manifest
      .filter((o) => o.kind !== "Namespace")
      .map((o) => {
        const copy = structuredClone(o);
        if (copy.metadata.namespace) copy.metadata.namespace = saNs;
        if (!copy.metadata.namespace) copy.metadata.name = `${prefix}-${copy.metadata.name}`;
        if (copy.roleRef) copy.roleRef.name = `${prefix}-${copy.roleRef.name}`;
        for (const subject of copy.subjects ?? []) subject.namespace = saNs;
        return copy;
      });
    await kubectlTimed(["apply", "-f", "-"], {
      input: JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }),
    });

    const asAdmin = await helmDriftTimed(["check", RELEASE, "-n", ns, "-o", "json"]);
    expect(asAdmin.code).toBe(2);
    adminReport = parseReport(asAdmin.stdout);
  });

  afterAll(async () => {
    // Token kubeconfigs are credentials: removed. Namespaces stay (they never finish deleting).
    if (work) rmSync(work, { recursive: true, force: true });
    if (ns) await uninstallRelease(clusterBin("helm"), RELEASE, ns);
  });

  describe("with the shipped roles", () => {
    let kubeconfig: string;
    beforeAll(async () => {
      kubeconfig = await kubeconfigFor("helm-drift");
    });

    it("gets the admin's report for the incident release (helm CLI), exit 2", async () => {
      const result = await checkAs(kubeconfig, "-o", "json", "--desired-from", "helm");
      expect(result.stderr).toBe("");
      expect(result.code).toBe(2);
      const report = parseReport(result.stdout);
      expect(withoutTime(report)).toEqual(withoutTime(adminReport));
      expect(resourceOf(report.releases[0], "AutoscalingRunnerSet").findings).toHaveLength(4);
    });

    it("gets it with --desired-from secrets too", async () => {
      const result = await checkAs(kubeconfig, "-o", "json", "--desired-from", "secrets");
      expect(result.code).toBe(2);
      expect(withoutTime(parseReport(result.stdout))).toEqual(withoutTime(adminReport));
    });

    it("can read what it needs and change nothing", async () => {
      const canI = async (...args: string[]) =>
        (
          await shTimed(clusterBin("kubectl"), ["--kubeconfig", kubeconfig, "auth", "can-i", ...args])
        ).stdout.trim();
      const answers = {
        "get autoscalingrunnersets.actions.github.com": await canI(
          "get",
          "autoscalingrunnersets.actions.github.com",
          "-n",
          ns,
        ),
        "list secrets": await canI("list", "secrets", "-n", ns),
        "get customresourcedefinitions": await canI("get", "customresourcedefinitions.apiextensions.k8s.io"),
        "delete autoscalingrunnersets.actions.github.com": await canI(
          "delete",
          "autoscalingrunnersets.actions.github.com",
          "-n",
          ns,
        ),
        "patch deployments.apps": await canI("patch", "deployments.apps", "-n", ns),
        "watch secrets": await canI("watch", "secrets", "-n", ns),
        "list configmaps": await canI("list", "configmaps", "-n", ns),
        "get pods/log": await canI("get", "pods", "--subresource", "log", "-n", ns),
        "get nodes/proxy": await canI("get", "nodes", "--subresource", "proxy"),
      };
      expect(answers).toEqual({
        "get autoscalingrunnersets.actions.github.com": "yes",
        "list secrets": "yes",
        "get customresourcedefinitions": "yes",
        "delete autoscalingrunnersets.actions.github.com": "no",
        "patch deployments.apps": "no",
        "watch secrets": "no",
        "list configmaps": "yes",
        "get pods/log": "no",
        "get nodes/proxy": "no",
      });
    });
  });

  describe("with a narrower Role that cannot read RoleBindings", () => {
    let result: Awaited<ReturnType<typeof checkAs>>;
    let report: DriftReport;
    const account = "inc-narrow";

    beforeAll(async () => {
      // The shipped rules, namespaced to the release's namespace, minus rolebindings (a Role has no
      // nonResourceURLs; discovery stays allowed by system:discovery).
      const rules = manifest
        .flatMap((o) => o.rules ?? [])
        .filter((rule) => rule.nonResourceURLs === undefined)
        .map((rule) => ({ ...rule, resources: rule.resources?.filter((r) => r !== "rolebindings") }));
      expect(rules.some((rule) => rule.resources?.includes("roles"))).toBe(true);
      await kubectlTimed(["apply", "-f", "-"], {
        input: JSON.stringify({
          apiVersion: "v1",
          kind: "List",
          items: [
            { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: account, namespace: saNs } },
            {
              apiVersion: "rbac.authorization.k8s.io/v1",
              kind: "Role",
              metadata: { name: account, namespace: ns },
              rules,
            },
            {
              apiVersion: "rbac.authorization.k8s.io/v1",
              kind: "RoleBinding",
              metadata: { name: account, namespace: ns },
              roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: account },
              subjects: [{ kind: "ServiceAccount", name: account, namespace: saNs }],
            },
          ],
        }),
      });
      const kubeconfig = await kubeconfigFor(account);
      result = await checkAs(kubeconfig, "-o", "json");
      report = parseReport(result.stdout);
    });

    it("reports the RoleBinding Unreadable with the API server's forbidden message, exit 1", () => {
      expect(result.stderr).toBe("");
      expect(result.code).toBe(1);
      const binding = resourceOf(report.releases[0], "RoleBinding");
      const forbidden =
        `rolebindings.rbac.authorization.k8s.io "arc-runners-gha-rs-manager" is forbidden: User ` +
        `"system:serviceaccount:${saNs}:${account}" cannot get resource "rolebindings" in API group ` +
        `"rbac.authorization.k8s.io" in the namespace "${ns}"`;
      expect(binding).toMatchObject({
        status: "Unreadable",
        reason: {
          code: "forbidden",
          detail: forbidden,
          message: forbidden,
        },
        findings: [],
        remediation: null,
      });
    });

    it("still checks the other resources: the same findings as the admin's", () => {
      const statuses = (r: DriftReport) => r.releases[0]?.resources.map((res) => [res.kind, res.status]);
      expect(statuses(report)).toEqual([
        ["Secret", "InSync"],
        ["Role", "InSync"],
        ["RoleBinding", "Unreadable"],
        ["AutoscalingRunnerSet", "Drifted"],
      ]);
      // Without access to the cluster-scoped CRD, list types fall back to the pod-spec table: same findings.
      expect(resourceOf(report.releases[0], "AutoscalingRunnerSet").findings).toEqual(
        resourceOf(adminReport.releases[0], "AutoscalingRunnerSet").findings,
      );
    });

    it("says so in the text report", async () => {
      const text = await checkAs(path.join(work, `${account}.kubeconfig`));
      expect(text.code).toBe(1);
      expect(text.stdout).toContain(
        `  ! RoleBinding/${ns}/arc-runners-gha-rs-manager — Unreadable: rolebindings.rbac.authorization.k8s.io ` +
          `"arc-runners-gha-rs-manager" is forbidden`,
      );
      // A release with an object it could not read is Incomplete (never InSync), whatever the others say.
      expect(text.stdout).toMatch(
        /! release .*: Incomplete — 1 of 4 resources drifted, 1 unreadable, 4 findings/,
      );
    });
  });
});
