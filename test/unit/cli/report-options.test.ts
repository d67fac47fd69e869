import { describe, expect, it } from "vitest";
import { type ReportFlags, reportRequestFrom } from "../../../src/cli/report-options.js";
import { UsageError } from "../../../src/errors.js";

const DEFAULTS: ReportFlags = {
  renotifyAfter: "24h",
  webhookFormat: "json",
  pushgatewayJob: "helm-drift",
  timeout: "20m",
  concurrency: "16",
};

describe("helm-drift report flags", () => {
  it("with no namespace checks every namespace, from Helm's release storage, and lets drift pass", () => {
    const request = reportRequestFrom(DEFAULTS);
    expect(request.check.mode).toEqual({ kind: "all-namespaces" });
    expect(request.check.desiredFrom).toBe("secrets");
    expect(request.check.allowEmpty).toBe(true);
    expect(request.check.outputs).toEqual([{ format: "json", file: null }]);
    expect(request.failOn).toBeNull();
    expect(request.renotifyAfterMs).toBe(24 * 3_600_000);
    expect(request.check.timeout).toEqual({ ms: 20 * 60_000, text: "20m" });
    expect(request.files).toEqual([]);
    expect(request.state).toBeNull();
    expect(request.pushgateway).toBeNull();
  });

  it.each([
    [{ namespace: ["a", "b", "a"] }, { kind: "namespaces", namespaces: ["a", "b"] }],
    [{ namespace: ["shop"] }, { kind: "namespaces", namespaces: ["shop"] }],
    [{ allNamespaces: true }, { kind: "all-namespaces" }],
  ])("namespaces %j become the mode %j", (flags, mode) => {
    expect(reportRequestFrom({ ...DEFAULTS, ...flags }).check.mode).toEqual(mode);
  });

  it("--namespace-selector is kept for the run to list; the mode stays all namespaces until then", () => {
    const request = reportRequestFrom({ ...DEFAULTS, namespaceSelector: "team=shop,env in (prod,stage)" });
    expect(request.namespaceSelector).toBe("team=shop,env in (prod,stage)");
    expect(reportRequestFrom(DEFAULTS).namespaceSelector).toBeNull();
  });

  it("reads the state ConfigMap, webhook, metrics and failure flags", () => {
    const request = reportRequestFrom({
      ...DEFAULTS,
      stateConfigmap: "helm-drift/helm-drift-state",
      renotifyAfter: "0",
      webhookFormat: "slack",
      webhookUrlFile: "/etc/helm-drift/webhook/url",
      events: true,
      pushgateway: "http://pushgateway:9091",
      metricsFile: "/reports/helm-drift.prom",
      output: ["html=/reports/drift.html", "sarif=drift.sarif"],
      failOn: "high",
      clusterName: "prod-eu",
    });
    expect(request.state).toEqual({ namespace: "helm-drift", name: "helm-drift-state" });
    expect(request.renotifyAfterMs).toBe(0);
    expect(request.webhook).toEqual({ format: "slack", urlFile: "/etc/helm-drift/webhook/url" });
    expect(request.events).toBe(true);
    expect(request.pushgateway).toEqual({ url: "http://pushgateway:9091", job: "helm-drift" });
    expect(request.metricsFile).toBe("/reports/helm-drift.prom");
    expect(request.files).toEqual([
      { format: "html", file: "/reports/drift.html" },
      { format: "sarif", file: "drift.sarif" },
    ]);
    expect(request.failOn).toBe("high");
    expect(request.clusterName).toBe("prod-eu");
  });

  it.each([
    [{ namespace: ["a"], allNamespaces: true }, "give either --namespace or --all-namespaces, not both"],
    [
      { namespaceSelector: "team=shop", namespace: ["a"] },
      "give --namespace-selector alone, without --namespace or --all-namespaces",
    ],
    [
      { namespaceSelector: "team in (shop", allNamespaces: true },
      "give --namespace-selector alone, without --namespace or --all-namespaces",
    ],
    [
      { namespaceSelector: "team in (shop" },
      '--namespace-selector: label selector "team in (shop": cannot read "team in (shop"',
    ],
    [
      { stateConfigmap: "just-a-name" },
      '--state-configmap must be NAMESPACE/NAME of a ConfigMap; got "just-a-name"',
    ],
    [{ stateConfigmap: "Ns/name" }, '--state-configmap must be NAMESPACE/NAME of a ConfigMap; got "Ns/name"'],
    [{ stateConfigmap: "ns/a/b" }, '--state-configmap must be NAMESPACE/NAME of a ConfigMap; got "ns/a/b"'],
    [
      { output: ["html"] },
      "--output html: report writes its JSON report to stdout; give other reports as FORMAT=FILE",
    ],
    [{ renotifyAfter: "1d" }, '--renotify-after must be a duration such as 30s, 5m or 1h30m; got "1d"'],
    [{ timeout: "0s" }, '--timeout must be a duration such as 30s, 5m or 1h30m; got "0s"'],
    [{ webhookFormat: "teams" }, '--webhook-format must be one of json, slack; got "teams"'],
    [{ failOn: "urgent" }, '--fail-on must be one of critical, high, medium, low, info; got "urgent"'],
    [{ concurrency: "0" }, '--concurrency must be a whole number of at least 1; got "0"'],
  ])("refuses %j with one line", (flags, message) => {
    expect(() => reportRequestFrom({ ...DEFAULTS, ...flags })).toThrow(new UsageError(message));
  });
});
