import { describe, expect, it } from "vitest";
import type { DriftReport } from "../../../src/model/report.js";
import {
  canonicalJson,
  findingRecords,
  hex16,
  objectKeyText,
  releaseKeyText,
  unreadScopes,
} from "../../../src/schedule/finding-record.js";
import {
  ARS_KEY,
  arsUnreadable,
  clusterScopedReport,
  edited,
  findingAt,
  INIT,
  incidentReport,
  LIVE_TOKEN,
  MOUNT,
  RELEASE,
  RENDERED_TOKEN,
  releaseFailed,
  resourceOf,
  SA,
  secretDriftReport,
  VOLUMES,
} from "./incident-reports.js";

const incident = await incidentReport();
const HEX16 = /^[0-9a-f]{16}$/;

describe("findingRecords: one record per reported finding", () => {
  it("the incident: the AutoscalingRunnerSet's four findings, most severe first, with release and object", () => {
    const records = findingRecords(incident);
    expect(records.map((record) => [record.code, record.path, record.severity])).toEqual([
      ["volume-mount-broken", MOUNT, "critical"],
      ["field-missing", SA, "high"],
      ["list-missing", INIT, "high"],
      ["list-missing", VOLUMES, "high"],
    ]);
    expect(records.map((record) => record.release)).toEqual(Array(4).fill(RELEASE));
    expect(records[0]?.object).toEqual({
      apiVersion: "actions.github.com/v1alpha1",
      kind: "AutoscalingRunnerSet",
      namespace: "arc-runners",
      name: "arc-runners",
    });
    expect(records.every((record) => HEX16.test(record.fingerprint) && HEX16.test(record.valueDigest))).toBe(
      true,
    );
    expect(new Set(records.map((record) => record.fingerprint)).size).toBe(4);
  });

  it("valueDigest is the digest of the canonical {desired, live} as reported, and the fingerprint covers it", () => {
    const finding = findingAt(incident, "AutoscalingRunnerSet", SA);
    const record = findingRecords(incident).find((candidate) => candidate.path === SA);
    expect(record?.valueDigest).toBe(hex16(canonicalJson({ live: finding.live, desired: finding.desired })));
    expect(record?.fingerprint).toBe(
      hex16(
        canonicalJson([
          "arc-runners",
          "arc-runners",
          "actions.github.com/v1alpha1",
          "AutoscalingRunnerSet",
          "arc-runners",
          "arc-runners",
          "field-missing",
          SA,
          record?.valueDigest,
        ]),
      ),
    );
  });

  const fingerprintCases: {
    name: string;
    a: () => Promise<DriftReport>;
    b: () => Promise<DriftReport>;
    path: string;
    same: boolean;
  }[] = [
    {
      name: "two runs over the same drift give the same fingerprint",
      a: () => incidentReport(),
      b: () => incidentReport(),
      path: SA,
      same: true,
    },
    {
      name: "another live value gives another fingerprint (a ClusterRole's extra verb changed)",
      a: () => clusterScopedReport("arc-reader", ["get", "list", "delete"]),
      b: () => clusterScopedReport("arc-reader", ["get", "list", "escalate"]),
      path: "rules",
      same: false,
    },
    {
      name: "a Secret's value is masked before it is digested: another live token, the same fingerprint",
      a: () => secretDriftReport(),
      b: () => secretDriftReport(Buffer.from("another-token").toString("base64")),
      path: "data.github_token",
      same: true,
    },
  ];
  it.each(fingerprintCases)("$name", async ({ a, b, path, same }) => {
    const [first, second] = [findingRecords(await a()), findingRecords(await b())].map((records) =>
      records.find((record) => record.path === path),
    );
    expect(first?.path).toBe(path);
    expect(first?.fingerprint === second?.fingerprint).toBe(same);
  });

  it("a Secret's record carries no value: neither token appears in it", async () => {
    const report = await secretDriftReport();
    const secret = findingRecords(report).filter((record) => record.object.kind === "Secret");
    expect(secret.map((record) => [record.code, record.path, record.severity])).toEqual([
      ["value-changed", "data.github_token", "medium"],
    ]);
    const text = JSON.stringify(secret);
    for (const value of [RENDERED_TOKEN, LIVE_TOKEN, Buffer.from(LIVE_TOKEN, "base64").toString()]) {
      expect(text.includes(value)).toBe(false);
    }
  });

  it("a missing object is its one object-missing finding, cluster-scoped: namespace null", async () => {
    const report = await clusterScopedReport("arc-reader", null);
    const records = findingRecords(report).filter((record) => record.object.kind === "ClusterRole");
    expect(records.map(({ code, path, severity, object }) => ({ code, path, severity, object }))).toEqual([
      {
        code: "object-missing",
        path: "",
        severity: "high",
        object: {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "ClusterRole",
          namespace: null,
          name: "arc-reader",
        },
      },
    ]);
  });

  const scopeCases: { name: string; report: DriftReport; paths: string[] }[] = [
    {
      name: "ignored findings are not records",
      report: edited(incident, (copy) => {
        const ars = resourceOf(copy, "AutoscalingRunnerSet");
        const [ignored] = ars.findings.splice(1, 1);
        if (ignored) {
          ars.ignoredFindings = [
            { finding: ignored, ignoredBy: { by: "opt-out", on: "live", metadata: "annotations" } },
          ];
        }
      }),
      paths: [MOUNT, INIT, VOLUMES],
    },
    {
      name: "a release without a name is not tracked",
      report: edited(incident, (copy) => {
        if (copy.releases[0]) copy.releases[0].name = null;
      }),
      paths: [],
    },
    {
      name: "a release without a namespace is not tracked",
      report: edited(incident, (copy) => {
        if (copy.releases[0]) copy.releases[0].namespace = null;
      }),
      paths: [],
    },
    { name: "a release in Error has no records", report: releaseFailed(incident), paths: [] },
  ];
  it.each(scopeCases)("$name", ({ report, paths }) => {
    expect(findingRecords(report).map((record) => record.path)).toEqual(paths);
  });
});

describe("unreadScopes: what a run did not read", () => {
  const cases: { name: string; report: DriftReport; releases: string[]; objects: string[] }[] = [
    { name: "everything read: nothing", report: incident, releases: [], objects: [] },
    {
      name: "a release in Error: the release",
      report: releaseFailed(incident),
      releases: ["arc-runners/arc-runners"],
      objects: [],
    },
    {
      name: "an Incomplete release: only its Unreadable object",
      report: arsUnreadable(incident),
      releases: [],
      objects: [ARS_KEY],
    },
    {
      name: "a release in Error without a name: nothing to name",
      report: edited(releaseFailed(incident), (copy) => {
        if (copy.releases[0]) copy.releases[0].name = null;
      }),
      releases: [],
      objects: [],
    },
  ];
  it.each(cases)("$name", ({ report, releases, objects }) => {
    const unread = unreadScopes(report);
    expect([...unread.releases]).toEqual(releases);
    expect([...unread.objects]).toEqual(objects);
  });
});

describe("key texts", () => {
  it.each([
    [
      "a namespaced object of a named group",
      { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "web" },
      "apps/v1/Deployment/shop/web",
    ],
    [
      "a core object",
      { apiVersion: "v1", kind: "Secret", namespace: "shop", name: "db" },
      "v1/Secret/shop/db",
    ],
    [
      "a cluster-scoped object: the namespace empty",
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", namespace: null, name: "reader" },
      "rbac.authorization.k8s.io/v1/ClusterRole//reader",
    ],
  ])("objectKeyText: %s", (_name, object, text) => {
    expect(objectKeyText(object)).toBe(text);
  });

  it("releaseKeyText is namespace/name", () => {
    expect(releaseKeyText(RELEASE)).toBe("arc-runners/arc-runners");
  });

  it("canonicalJson sorts keys at every depth and keeps list order", () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: { z: null, y: "x" } })).toBe(
      '{"a":{"y":"x","z":null},"b":[{"c":2,"d":1}]}',
    );
  });
});
