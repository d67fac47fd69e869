/**
 * deploy/chart with the repository's real helm 3 and helm 4 and the real API server: lint (strict), render with
 * the defaults and with every switch on, have the API server validate every rendered object
 * (`kubectl apply --dry-run=server`; the PrometheusRule, whose CRD is not installed, goes to promtool instead),
 * and check what matters about the objects: the RBAC shape (read-only but for Events and the one state
 * ConfigMap; the resource list of deploy/rbac/helm-drift-readonly.yaml; no ClusterRole for reads in namespaced
 * mode), the pod's security settings, the arguments per value set, the alert rules (promtool check and test, on
 * the file and on what the chart renders from it) and the dashboard's queries.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseAllDocuments, parse as parseYaml, stringify } from "yaml";
import { cluster, clusterBin, freshNamespaceTimed, kubectlTimed, repoPath, shTimed } from "./harness.js";

const CHART = repoPath("deploy/chart");
const RELEASE = "hd";
const tools = inject("prometheusTools");
const HELMS = [
  { name: "helm 3", bin: () => clusterBin("helm") },
  { name: "helm 4", bin: () => clusterBin("helm4") },
];
/** The metrics `helm-drift report` emits: the rules and the dashboard may query these and nothing else. */
const METRICS = [
  "helm_drift_release_resources",
  "helm_drift_release_findings",
  "helm_drift_release_ignored_findings",
  "helm_drift_release_status",
  "helm_drift_run_duration_seconds",
  "helm_drift_last_success_timestamp_seconds",
  "helm_drift_run_failures_total",
  "helm_drift_last_run_success",
];

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}
interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}
interface Container {
  command: string[];
  args: string[];
  env: { name: string; value: string }[];
  resources: { limits: Record<string, string>; requests: Record<string, string> };
  securityContext: Record<string, unknown>;
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface PodSpec {
  restartPolicy: string;
  serviceAccountName: string;
  automountServiceAccountToken: boolean;
  securityContext: Record<string, unknown>;
  containers: Container[];
  volumes: Record<string, unknown>[];
}

const work = mkdtempSync(path.join(tmpdir(), "helm-drift-chart-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let fileCount = 0;
function tempFile(name: string, text: string): string {
  const file = path.join(work, `${fileCount++}-${name}`);
  writeFileSync(file, text);
  return file;
}

/** `helm template` with these values (as a file: lists and objects stay what they are), parsed. */
async function render(helm: string, values: object, namespace = "helm-drift"): Promise<K8sObject[]> {
  const valuesFile = tempFile("values.yaml", stringify(values));
  const result = await shTimed(helm, ["template", RELEASE, CHART, "-n", namespace, "-f", valuesFile]);
  if (result.code !== 0) throw new Error(`${helm} template exited ${result.code}:\n${result.stderr}`);
  return parseAllDocuments(result.stdout)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((object): object is K8sObject => object !== null);
}

const ofKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const one = (objects: K8sObject[], kind: string) => {
  const found = ofKind(objects, kind);
  expect(found.map((o) => o.metadata.name)).toHaveLength(1);
  return found[0] as K8sObject;
};
const podSpec = (objects: K8sObject[]) =>
  (one(objects, "CronJob") as unknown as { spec: { jobTemplate: { spec: { template: { spec: PodSpec } } } } })
    .spec.jobTemplate.spec.template.spec;
const container = (objects: K8sObject[]) => podSpec(objects).containers[0] as Container;
const rulesOf = (objects: K8sObject[]) =>
  objects
    .filter((o) => o.kind === "Role" || o.kind === "ClusterRole")
    .flatMap((o) => o.rules as PolicyRule[]);

/** `group/resource verb` for every grant of some rules (non-resource URLs as `url verb`). */
function grants(rules: PolicyRule[]): Set<string> {
  const result = new Set<string>();
  for (const rule of rules) {
    for (const verb of rule.verbs) {
      for (const url of rule.nonResourceURLs ?? []) result.add(`${url} ${verb}`);
      for (const group of rule.apiGroups ?? []) {
        for (const resource of rule.resources ?? []) result.add(`${group}/${resource} ${verb}`);
      }
    }
  }
  return result;
}

/** Every switch on, in namespaced mode (the namespaces are created by the test). */
function everything(namespaces: string[]): Record<string, unknown> {
  return {
    namespaces,
    clusterName: "prod-eu",
    failOn: "high",
    timeZone: "Europe/Berlin",
    state: { enabled: true, renotifyAfter: "12h" },
    events: { enabled: true },
    webhook: { format: "slack", existingSecret: "drift-webhook", secretKey: "slack-url" },
    pushgateway: { url: "http://pushgateway.monitoring:9091", job: "drift" },
    reports: { existingClaim: "drift-reports", html: { enabled: true }, textfile: { enabled: true } },
    config: {
      ignore: [{ paths: ["/spec/replicas"], target: { kind: "Deployment" } }],
      ignoreManagers: ["cert-manager-cainjector"],
      severityOverrides: [{ code: "field-added", path: "/metadata/annotations", severity: "info" }],
    },
    rbac: { clusterScopedRead: true },
    monitoring: {
      prometheusRule: { enabled: true, labels: { release: "kube-prometheus-stack" } },
      grafanaDashboard: { enabled: true },
    },
  };
}

/** PromQL expression → the metric names in it (label matchers, groupings, ranges, strings and functions removed). */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\$\w+/g, " ");
  const keywords = new Set(["and", "or", "unless", "bool", "offset"]);
  return [...stripped.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b\s*(\()?/g)]
    .filter((match) => match[2] === undefined && !keywords.has(match[1] as string))
    .map((match) => match[1] as string)
    .filter((name) => !/^[0-9]/.test(name));
}

describe("metricNames (the dashboard and rules checks below rely on it)", () => {
  it.each([
    [
      'sum by (cluster) (increase(helm_drift_run_failures_total{cluster=~"$cluster"}[24h])) > 0',
      ["helm_drift_run_failures_total"],
    ],
    [
      "time() - max(helm_drift_last_success_timestamp_seconds) > 2 * 3600",
      ["helm_drift_last_success_timestamp_seconds"],
    ],
    ["up or absent(some_other_metric)", ["up", "some_other_metric"]],
  ])("%s", (expr, names) => {
    expect(metricNames(expr)).toEqual(names);
  });
});

describe.skipIf(!cluster.available).each(HELMS)("deploy/chart with $name", ({ bin }) => {
  it("passes helm lint --strict with the defaults and with every switch on", async () => {
    const plain = await shTimed(bin(), ["lint", "--strict", CHART]);
    expect(plain.stdout + plain.stderr).toContain("1 chart(s) linted, 0 chart(s) failed");
    expect(plain.code).toBe(0);
    const all = tempFile("all.yaml", stringify(everything(["team-a", "team-b"])));
    const full = await shTimed(bin(), ["lint", "--strict", CHART, "-f", all]);
    expect(full.stdout + full.stderr).toContain("0 chart(s) failed");
    expect(full.code).toBe(0);
  });

  it("refuses a value values.schema.json does not allow, with helm's schema error", async () => {
    const result = await shTimed(bin(), ["template", RELEASE, CHART, "--set", "schedule=5"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("values don't meet the specifications of the schema");
    expect(result.stderr).toContain("at '/schedule': got number, want string");
  });

  it("renders what the API server accepts: defaults, every switch in namespaced mode, every switch in cluster mode", async () => {
    const release = await freshNamespaceTimed("chart-release");
    const [a, b] = [await freshNamespaceTimed("chart-a"), await freshNamespaceTimed("chart-b")];
    const sets: Record<string, Record<string, unknown>> = {
      defaults: {},
      namespaced: everything([a, b]),
      cluster: { ...everything([]), rbac: { clusterScopedRead: false } },
    };
    for (const [name, values] of Object.entries(sets)) {
      const objects = await render(bin(), values, release);
      // Cluster-scoped names carry the release namespace, so the dry runs of both helms never clash.
      const applicable = objects.filter((o) => o.kind !== "PrometheusRule");
      const out = await kubectlTimed(["apply", "--dry-run=server", "-o", "name", "-f", "-"], {
        input: applicable.map((o) => stringify(o)).join("---\n"),
      });
      expect(out.trim().split("\n"), name).toHaveLength(applicable.length);
    }
  });

  it("renders the same objects as helm 3 does", async () => {
    const values = everything(["team-a", "team-b"]);
    expect(await render(bin(), values)).toEqual(await render(clusterBin("helm"), values));
  });
});

describe.skipIf(!cluster.available)("the chart's objects (rendered with helm 3)", () => {
  let defaults: K8sObject[];
  let namespaced: K8sObject[];
  let clusterAll: K8sObject[];
  beforeAll(async () => {
    const helm = clusterBin("helm");
    defaults = await render(helm, {});
    namespaced = await render(helm, {
      ...everything(["team-a", "team-b"]),
      rbac: { clusterScopedRead: false },
    });
    clusterAll = await render(helm, everything([]));
  });

  it("renders by default a CronJob, a ServiceAccount, the read ClusterRole and the state ConfigMap with its Role", () => {
    expect(defaults.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      "ClusterRole/helm-drift-hd-helm-drift-read",
      "ClusterRoleBinding/helm-drift-hd-helm-drift-read",
      "ConfigMap/hd-helm-drift-state",
      "CronJob/hd-helm-drift",
      "Role/hd-helm-drift-state",
      "RoleBinding/hd-helm-drift-state",
      "ServiceAccount/hd-helm-drift",
    ]);
  });

  it("reads in cluster mode exactly what deploy/rbac/helm-drift-readonly.yaml grants, plus the default extraReadRules", () => {
    const readonly = parseAllDocuments(readFileSync(repoPath("deploy/rbac/helm-drift-readonly.yaml"), "utf8"))
      .map((doc) => doc.toJS() as K8sObject)
      .filter((o) => o.kind === "ClusterRole")
      .flatMap((o) => o.rules as PolicyRule[]);
    const read = one(defaults, "ClusterRole");
    expect(grants(read.rules as PolicyRule[])).toEqual(grants(readonly));
    const binding = one(defaults, "ClusterRoleBinding") as unknown as { roleRef: object; subjects: object[] };
    expect(binding.roleRef).toEqual({
      apiGroup: "rbac.authorization.k8s.io",
      kind: "ClusterRole",
      name: read.metadata.name,
    });
    expect(binding.subjects).toEqual([
      { kind: "ServiceAccount", name: "hd-helm-drift", namespace: "helm-drift" },
    ]);
  });

  it.each([
    ["defaults", () => defaults],
    ["every switch, namespaced", () => namespaced],
    ["every switch, cluster mode", () => clusterAll],
  ])(
    "writes nothing but Events and its state ConfigMap, and grants no wildcard that reaches subresources (%s)",
    (_, objects) => {
      for (const rule of rulesOf(objects())) {
        const writes = rule.verbs.filter((verb) => !["get", "list", "watch"].includes(verb));
        if (writes.length > 0) {
          const events = { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] };
          const state = {
            apiGroups: [""],
            resources: ["configmaps"],
            resourceNames: ["hd-helm-drift-state"],
            verbs: ["get", "update"],
          };
          expect([events, state]).toContainEqual(rule);
        }
        expect(rule.verbs).not.toContain("*");
        expect(rule.apiGroups ?? []).not.toContain("*");
        expect((rule.resources ?? []).filter((r) => r.includes("/"))).toEqual([]);
        // "*" resources only for a named CRD group (actions.github.com), which has no subresources but status/scale.
        if (rule.resources?.includes("*")) expect(rule.apiGroups).toEqual(["actions.github.com"]);
      }
    },
  );

  it("in namespaced mode reads through a Role per namespace and no ClusterRole or ClusterRoleBinding", () => {
    expect(ofKind(namespaced, "ClusterRole")).toEqual([]);
    expect(ofKind(namespaced, "ClusterRoleBinding")).toEqual([]);
    const roles = ofKind(namespaced, "Role").map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(roles.sort()).toEqual([
      "helm-drift/hd-helm-drift-state",
      "team-a/hd-helm-drift-events",
      "team-a/hd-helm-drift-read",
      "team-b/hd-helm-drift-events",
      "team-b/hd-helm-drift-read",
    ]);
    const read = ofKind(namespaced, "Role").find(
      (o) => o.metadata.name === "hd-helm-drift-read",
    ) as K8sObject;
    const granted = grants(read.rules as PolicyRule[]);
    expect(granted).toContain("/secrets list");
    expect(granted).toContain("apps/deployments get");
    expect(granted).not.toContain("/namespaces get"); // cluster-scoped: not in a Role
    for (const binding of ofKind(namespaced, "RoleBinding")) {
      expect(binding.subjects).toEqual([
        { kind: "ServiceAccount", name: "hd-helm-drift", namespace: "helm-drift" },
      ]);
    }
  });

  it("with rbac.clusterScopedRead adds one ClusterRole for cluster-scoped kinds only (no Secrets)", async () => {
    const objects = await render(clusterBin("helm"), everything(["team-a"]));
    const clusterRole = one(objects, "ClusterRole");
    expect(clusterRole.metadata.name).toBe("helm-drift-hd-helm-drift-read-cluster-scoped");
    const granted = grants(clusterRole.rules as PolicyRule[]);
    expect(granted).toContain("apiextensions.k8s.io/customresourcedefinitions get");
    expect(granted).toContain("/api/* get");
    expect([...granted].filter((g) => g.startsWith("/secrets") || g.startsWith("apps/"))).toEqual([]);
  });

  it("gives the pod exactly its own token: the ServiceAccount does not automount, the pod does", () => {
    expect(one(defaults, "ServiceAccount").automountServiceAccountToken).toBe(false);
    expect(podSpec(defaults)).toMatchObject({
      automountServiceAccountToken: true,
      serviceAccountName: "hd-helm-drift",
    });
  });

  it("runs the CronJob once at a time, hourly at :17, never retried within a run, non-root on a read-only root", () => {
    const cronJob = one(defaults, "CronJob") as unknown as {
      spec: Record<string, unknown> & { jobTemplate: { spec: Record<string, unknown> } };
    };
    expect(cronJob.spec).toMatchObject({
      schedule: "17 * * * *",
      concurrencyPolicy: "Forbid",
      startingDeadlineSeconds: 600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      suspend: false,
    });
    expect(cronJob.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 1800 });
    const pod = podSpec(defaults);
    expect(pod.restartPolicy).toBe("Never");
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      seccompProfile: { type: "RuntimeDefault" },
    });
    const main = container(defaults);
    expect(main.command).toEqual(["helm-drift", "report"]);
    expect(main.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 1000,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(main.resources.limits.memory).toBe("512Mi");
    expect(main.resources.requests).toEqual({ cpu: "100m", memory: "256Mi" });
    expect(main.env).toEqual([
      { name: "TMPDIR", value: "/tmp" },
      { name: "NO_COLOR", value: "1" },
      { name: "NODE_OPTIONS", value: "--max-old-space-size=384" },
    ]);
    expect(main.volumeMounts).toEqual([{ name: "tmp", mountPath: "/tmp" }]);
    expect(pod.volumes).toEqual([{ name: "tmp", emptyDir: { sizeLimit: "256Mi" } }]);
  });

  const argCases: { name: string; values: Record<string, unknown>; args: string[] }[] = [
    {
      name: "defaults: every namespace, state, the default timeout",
      values: {},
      args: [
        "--all-namespaces",
        "--state-configmap=helm-drift/hd-helm-drift-state",
        "--renotify-after=24h",
        "--timeout=20m",
        "--concurrency=16",
      ],
    },
    {
      name: "listed namespaces, no state",
      values: { namespaces: ["shop", "ops"], state: { enabled: false } },
      args: ["--namespace=shop", "--namespace=ops", "--timeout=20m", "--concurrency=16"],
    },
    {
      name: "webhook from a Secret, events, a Pushgateway, never renotify",
      values: {
        state: { renotifyAfter: "0" },
        events: { enabled: true },
        webhook: { format: "slack", existingSecret: "hook" },
        pushgateway: { url: "http://pgw:9091" },
      },
      args: [
        "--all-namespaces",
        "--state-configmap=helm-drift/hd-helm-drift-state",
        "--renotify-after=0",
        "--events",
        "--webhook-format=slack",
        "--webhook-url-file=/etc/helm-drift/webhook/url",
        "--pushgateway=http://pgw:9091",
        "--pushgateway-job=helm-drift",
        "--timeout=20m",
        "--concurrency=16",
      ],
    },
    {
      name: "textfile, HTML report, config file, fail-on, cluster name, timeout, extra args",
      values: {
        state: { enabled: false },
        reports: { html: { enabled: true }, textfile: { enabled: true } },
        config: { ignoreManagers: ["keda"] },
        failOn: "medium",
        clusterName: "prod-eu",
        timeout: "5m",
        concurrency: 4,
        extraArgs: ["--debug"],
      },
      args: [
        "--all-namespaces",
        "--metrics-file=/reports/helm-drift.prom",
        "--config=/etc/helm-drift/config/config.yaml",
        "--output=html=/reports/drift-report.html",
        "--timeout=5m",
        "--concurrency=4",
        "--cluster-name=prod-eu",
        "--fail-on=medium",
        "--debug",
      ],
    },
  ];
  it.each(argCases)("passes the arguments for $name", async ({ values, args }) => {
    expect(container(await render(clusterBin("helm"), values)).args).toEqual(args);
  });

  it("mounts the webhook URL from the Secret's key, the config file, and the reports claim; never a URL in values", () => {
    const main = container(namespaced);
    expect(main.volumeMounts).toEqual([
      { name: "tmp", mountPath: "/tmp" },
      { name: "webhook", mountPath: "/etc/helm-drift/webhook", readOnly: true },
      { name: "config", mountPath: "/etc/helm-drift/config", readOnly: true },
      { name: "reports", mountPath: "/reports" },
    ]);
    expect(podSpec(namespaced).volumes).toEqual([
      { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
      {
        name: "webhook",
        secret: {
          secretName: "drift-webhook",
          defaultMode: 0o440,
          items: [{ key: "slack-url", path: "url" }],
        },
      },
      { name: "config", configMap: { name: "hd-helm-drift-config" } },
      { name: "reports", persistentVolumeClaim: { claimName: "drift-reports" } },
    ]);
  });

  it("writes the config value as a config.yaml that helm-drift's schema/config.schema.json accepts", () => {
    const configMap = ofKind(namespaced, "ConfigMap").find((o) => o.metadata.name === "hd-helm-drift-config");
    const data = (configMap?.data ?? {}) as Record<string, string>;
    const config = parseYaml(data["config.yaml"] ?? "null");
    expect(config).toEqual(everything([]).config);
    const schema = JSON.parse(readFileSync(repoPath("schema/config.schema.json"), "utf8")) as object;
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    expect(validate(config) ? [] : validate.errors).toEqual([]);
  });

  it("creates the state ConfigMap with no data, labelled, so helm-drift's runs own its one key", () => {
    const state = ofKind(defaults, "ConfigMap").find(
      (o) => o.metadata.name === "hd-helm-drift-state",
    ) as K8sObject;
    expect(Object.keys(state).sort()).toEqual(["apiVersion", "kind", "metadata"]);
    expect(state.metadata.labels).toMatchObject({
      "app.kubernetes.io/instance": RELEASE,
      "app.kubernetes.io/component": "state",
    });
  });

  it("puts the Grafana dashboard in a ConfigMap labelled for the sidecar, as the file holds it", () => {
    const configMap = ofKind(namespaced, "ConfigMap").find(
      (o) => o.metadata.name === "hd-helm-drift-dashboard",
    );
    expect(configMap?.metadata.labels).toMatchObject({ grafana_dashboard: "1" });
    const json = ((configMap?.data ?? {}) as Record<string, string>)["helm-drift.json"] ?? "null";
    expect(JSON.parse(json)).toEqual(
      JSON.parse(readFileSync(repoPath("deploy/chart/dashboards/helm-drift.json"), "utf8")),
    );
  });
});

describe("deploy/chart/dashboards/helm-drift.json", () => {
  const dashboard = JSON.parse(readFileSync(repoPath("deploy/chart/dashboards/helm-drift.json"), "utf8")) as {
    panels: { title: string; targets: { expr: string }[] }[];
  };

  it("has the panels asked for, each with a query", () => {
    expect(dashboard.panels.map((p) => p.title)).toEqual(
      expect.arrayContaining([
        "Findings by severity",
        "Releases not in sync",
        "Resources by status",
        "Run duration",
        "Time since last successful run",
      ]),
    );
    for (const panel of dashboard.panels) expect(panel.targets.length, panel.title).toBeGreaterThan(0);
  });

  it("queries only the metrics helm-drift report emits, and all of them", () => {
    const used = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => metricNames(t.expr)));
    expect([...new Set(used)].sort()).toEqual([...METRICS].sort());
  });
});

describe.skipIf(!tools.promtool)("deploy/chart/rules with promtool", () => {
  const RULES = repoPath("deploy/chart/rules/helm-drift.rules.yaml");
  const TESTS = repoPath("deploy/chart/rules/helm-drift.rules.test.yaml");
  const promtool = (...args: string[]) => shTimed(tools.promtool, args);
  const fileGroups = () => (parseYaml(readFileSync(RULES, "utf8")) as { groups: unknown[] }).groups;

  /** The groups of the PrometheusRule the chart renders with these values. */
  async function renderedGroups(
    values: Record<string, unknown>,
  ): Promise<{ rules: Record<string, unknown>[] }[]> {
    const objects = await render(clusterBin("helm"), {
      monitoring: { prometheusRule: { enabled: true, ...values } },
    });
    return (
      one(objects, "PrometheusRule") as unknown as {
        spec: { groups: { rules: Record<string, unknown>[] }[] };
      }
    ).spec.groups;
  }

  it("checks the rule file", async () => {
    const result = await promtool("check", "rules", RULES);
    expect(result.stdout).toContain("SUCCESS: 4 rules found");
    expect(result.code).toBe(0);
  });

  it("passes the unit tests of the rule file (drift standing 6h and not before, stale and failing runs)", async () => {
    const result = await promtool("test", "rules", TESTS);
    expect(result.stdout + result.stderr).toContain("SUCCESS");
    expect(result.code).toBe(0);
  });

  it("queries only the metrics helm-drift report emits", () => {
    const exprs = fileGroups().flatMap((g) => (g as { rules: { expr: string }[] }).rules.map((r) => r.expr));
    const used = new Set(exprs.flatMap(metricNames));
    expect([...used].filter((name) => !METRICS.includes(name))).toEqual([]);
    expect(used.size).toBeGreaterThanOrEqual(4);
  });

  describe.skipIf(!cluster.available)("the PrometheusRule the chart renders from it", () => {
    it("holds with the defaults exactly the file's groups, and promtool checks them", async () => {
      const groups = await renderedGroups({});
      expect(groups).toEqual(fileGroups());
      const result = await promtool("check", "rules", tempFile("rendered.rules.yaml", stringify({ groups })));
      expect(result.stdout).toContain("SUCCESS: 4 rules found");
      expect(result.code).toBe(0);
    });

    it("puts other thresholds where the defaults were, and promtool checks them", async () => {
      const groups = await renderedGroups({
        driftSeverity: "medium",
        driftFor: "2h",
        scheduleIntervalSeconds: 900,
        additionalAlertLabels: { team: "platform" },
      });
      const rules = groups.flatMap((g) => g.rules);
      const present = rules.find((r) => r.alert === "HelmDriftPresent");
      expect(present?.for).toBe("2h");
      expect(present?.expr).toContain('severity=~"critical|high|medium"');
      expect(
        rules.filter((r) => r.alert === "HelmDriftReportNotRunning").map((r) => [r.expr, r.for]),
      ).toEqual([
        [expect.stringContaining("> 2 * 900"), undefined],
        ["absent(helm_drift_last_success_timestamp_seconds)", "1800s"],
      ]);
      expect(rules.find((r) => r.alert === "HelmDriftReportFailing")?.expr).toContain("[1800s]");
      for (const rule of rules) expect(rule.labels).toMatchObject({ team: "platform", severity: "warning" });
      const result = await promtool("check", "rules", tempFile("custom.rules.yaml", stringify({ groups })));
      expect(result.code).toBe(0);
    });

    it("fails the unit tests when rendered with another driftFor (they test the thresholds, not just the syntax)", async () => {
      const dir = mkdtempSync(path.join(work, "mutated-"));
      writeFileSync(
        path.join(dir, "helm-drift.rules.yaml"),
        stringify({ groups: await renderedGroups({ driftFor: "1h" }) }),
      );
      writeFileSync(path.join(dir, "helm-drift.rules.test.yaml"), readFileSync(TESTS));
      const result = await promtool("test", "rules", path.join(dir, "helm-drift.rules.test.yaml"));
      expect(result.code).toBe(1);
      expect(result.stdout + result.stderr).toContain("alertname: HelmDriftPresent, time: 5h59m");
    });
  });
});
