import { describe, expect, it } from "vitest";
import { FINDING_MESSAGES, findingMessage } from "../../../src/catalogue/messages.js";
import type { RawFinding } from "../../../src/model/finding.js";
import { formatPath } from "../../../src/model/path.js";
import { findBrokenReferences } from "../../../src/rules/broken-references.js";
import { incidentDiffFindings, incidentLive } from "./incident-arc.js";

const f = (name: string) => ({ kind: "field", name }) as const;

describe("finding messages", () => {
  const [initContainers, volumes, serviceAccount] = incidentDiffFindings() as [
    RawFinding,
    RawFinding,
    RawFinding,
  ];
  const [workMount] = findBrokenReferences(incidentLive()) as [RawFinding];

  it.each<[string, RawFinding, string]>([
    [
      "names the entries of a missing list",
      initContainers,
      "spec.template.spec.initContainers is missing live; the release sets a list of 1 entry (kubectl-bin)",
    ],
    [
      "names the volumes of a missing list",
      volumes,
      "spec.template.spec.volumes is missing live; the release sets a list of 2 entries (work, kubectl-bin)",
    ],
    [
      "quotes a missing string value",
      serviceAccount,
      'spec.template.spec.serviceAccountName is missing live; the release sets "arc-runners-gha-rs-kube-mode"',
    ],
    [
      "says which container mounts which absent volume",
      workMount,
      'container "runner" mounts volume "work" at /home/runner/_work, but the pod has no volume named "work"',
    ],
    [
      "gives both values of a changed field",
      { type: "changed", code: "value-changed", path: [f("spec"), f("maxRunners")], desired: 5, live: 9 },
      "spec.maxRunners is 9 live; the release sets 5",
    ],
    [
      "names the keys of a missing map",
      {
        type: "missing",
        code: "map-missing",
        path: [f("spec"), f("nodeSelector")],
        desired: { pool: "ci" },
        live: undefined,
      },
      "spec.nodeSelector is missing live; the release sets 1 key (pool)",
    ],
    [
      "says an entry is missing",
      {
        type: "missing",
        code: "entry-missing",
        path: [f("spec"), f("ports"), { kind: "key", key: { port: 80 }, index: 0, liveIndex: -1 }],
        desired: { port: 80 },
        live: undefined,
      },
      "spec.ports[port=80] is missing live: the release's list has this entry, the live list does not",
    ],
    [
      "says an entry exists only live",
      {
        type: "extra",
        code: "entry-extra",
        path: [
          f("spec"),
          f("containers"),
          { kind: "key", key: { name: "istio-proxy" }, index: -1, liveIndex: 1 },
        ],
        desired: undefined,
        live: {},
      },
      "spec.containers[name=istio-proxy] exists live but not in the release",
    ],
    [
      "shortens long values",
      {
        type: "changed",
        code: "value-changed",
        path: [f("data"), f("script")],
        desired: "x".repeat(200),
        live: "y",
      },
      `data.script is "y" live; the release sets "${"x".repeat(78)}…`,
    ],
  ])("%s", (_name, finding, message) => {
    const reported = {
      ...finding,
      path: formatPath(finding.path),
      ...(finding.type === "broken-reference" ? { container: finding.container } : {}),
    };
    const ars = { apiVersion: "actions.github.com/v1alpha1", kind: "AutoscalingRunnerSet" };
    expect(findingMessage(reported, ars)).toBe(message);
  });

  it.each<[string, { manager: string } | null, string]>([
    [
      "names the manager that added a field",
      { manager: "kubectl-patch" },
      "spec.template.spec.hostNetwork was added live by kubectl-patch; the release does not render it",
    ],
    [
      "words an added field without a known manager",
      null,
      "spec.template.spec.hostNetwork was added live; the release does not render it",
    ],
  ])("%s", (_name, owner, message) => {
    const added = {
      code: "field-added",
      path: "spec.template.spec.hostNetwork",
      desired: null,
      live: true,
      owner: owner && { ...owner, operation: "Update", time: null },
    } as const;
    expect(findingMessage(added, { apiVersion: "apps/v1", kind: "Deployment" })).toBe(message);
  });

  it("never prints the value of a field added to a Secret", () => {
    const added = {
      code: "field-added",
      path: "data.backdoor-token",
      desired: null,
      live: "c2VjcmV0LXZhbHVl",
      owner: { manager: "kubectl-patch", operation: "Update", time: null },
    } as const;
    const message = findingMessage(added, { apiVersion: "v1", kind: "Secret" });
    expect(message).toBe(
      "data.backdoor-token was added live by kubectl-patch; the release does not render it",
    );
    expect(message).not.toContain("c2VjcmV0LXZhbHVl");
  });

  it("words a missing object", () => {
    const missing = { code: "object-missing", path: "", desired: null, live: null } as const;
    expect(findingMessage(missing, { apiVersion: "v1", kind: "ServiceAccount" })).toBe(
      "ServiceAccount is in the release but does not exist in the cluster",
    );
  });

  it("has wording for every finding code", () => {
    expect(Object.keys(FINDING_MESSAGES).sort()).toEqual([
      "entry-extra",
      "entry-missing",
      "field-added",
      "field-missing",
      "list-missing",
      "map-missing",
      "object-missing",
      "value-changed",
      "volume-mount-broken",
    ]);
  });
});
