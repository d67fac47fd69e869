import { expect, test } from "vitest";
import { splitChartReference } from "../../../src/sources/chart-reference.js";

test.each([
  ["gha-runner-scale-set-0.14.2", "gha-runner-scale-set", "0.14.2"],
  ["kube-prometheus-stack-35.0.3", "kube-prometheus-stack", "35.0.3"],
  ["podinfo-6.5.4", "podinfo", "6.5.4"],
  ["cert-manager-v1.14.0", "cert-manager", "v1.14.0"],
  ["mychart-1.2.3-rc.1", "mychart", "1.2.3-rc.1"],
  ["app-2-1.0.0+build.7", "app-2", "1.0.0+build.7"],
  ["k8s-dashboard-7.10.0-alpha-2", "k8s-dashboard", "7.10.0-alpha-2"],
  ["legacy-1.0", "legacy", "1.0"],
  ["noversion", "noversion", null],
  ["", null, null],
])("%s → name %s, version %s", (chart, name, version) => {
  expect(splitChartReference(chart)).toEqual({ name, version });
});
