import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ObjectsClusterReader } from "../../../src/cluster/objects-cluster-reader.js";
import { checkReleases } from "../../../src/core/check-releases.js";
import { applyMethodOf } from "../../../src/explain/apply-method.js";
import type { KubeObject } from "../../../src/model/kube.js";
import { parseLiveObjects } from "../../../src/sources/live-objects.js";
import { repoPath } from "../../helpers/repo-path.js";

const manifest = readFileSync(repoPath("fixtures/incident/manifest.yaml"), "utf8");
const live = parseLiveObjects(readFileSync(repoPath("fixtures/incident/live.yaml"), "utf8"), "live.yaml");

/** The incident's objects as Helm 4 leaves them: its writes are server-side applies by manager "helm". */
function appliedServerSide(objects: KubeObject[]): KubeObject[] {
  return structuredClone(objects).map((object) => {
    for (const entry of object.metadata.managedFields ?? []) {
      if (entry.manager === "helm") entry.operation = "Apply";
    }
    return object;
  });
}

async function arsOf(objects: KubeObject[]) {
  const report = await checkReleases(
    {
      kind: "given",
      releases: [
        {
          name: "arc-runners",
          namespace: "arc-runners",
          revision: 2,
          chartName: "gha-runner-scale-set",
          chartVersion: "0.14.2",
          manifest,
          origin: "manifest.yaml",
        },
      ],
    },
    { reader: new ObjectsClusterReader(objects) },
  );
  return report.releases[0]?.resources.find((r) => r.kind === "AutoscalingRunnerSet");
}

describe("whether helm upgrade heals a custom resource depends on how Helm writes it", () => {
  it("reads the apply method from helm's managedFields entry", () => {
    const ars = live.find((o) => o.kind === "AutoscalingRunnerSet") as KubeObject;
    expect(applyMethodOf(ars)).toBe("client-side");
    expect(applyMethodOf(appliedServerSide([ars])[0] as KubeObject)).toBe("server-side");
  });

  it("Helm 3 (client-side): does not heal; recreate with Flux suspended", async () => {
    const ars = await arsOf(live);
    expect(ars?.healsOnUpgrade).toBe("no");
    expect(ars?.findings.map((f) => [f.code, f.upgrade, f.upgradeRule])).toEqual([
      ["volume-mount-broken", "keeps", "follows-volume"],
      ["field-missing", "keeps", "two-way-merge-not-resent"],
      ["list-missing", "keeps", "two-way-merge-not-resent"],
      ["list-missing", "keeps", "two-way-merge-not-resent"],
    ]);
    expect(ars?.remediation?.strategy).toBe("recreate");
  });

  it("Helm 4 (server-side apply): heals on upgrade; an apply as Helm is proposed, not a delete or a patch", async () => {
    const ars = await arsOf(appliedServerSide(live));
    expect(ars?.findings.map((f) => f.code)).toEqual([
      "volume-mount-broken",
      "field-missing",
      "list-missing",
      "list-missing",
    ]);
    expect(ars?.healsOnUpgrade).toBe("yes");
    expect(ars?.findings.map((f) => [f.upgrade, f.upgradeRule])).toEqual([
      ["restores", "follows-volume"],
      ["restores", "server-side-apply-resends"],
      ["restores", "server-side-apply-resends"],
      ["restores", "server-side-apply-resends"],
    ]);
    expect(ars?.remediation?.strategy).toBe("apply");
    expect(ars?.remediation?.reason).toEqual({ code: "apply-as-helm", managers: [] });
    expect(ars?.remediation?.steps.map((s) => s.action)).toEqual([
      "flux-suspend",
      "server-side-apply",
      "verify",
      "flux-resume",
    ]);
    expect(ars?.remediation?.steps[1]).toMatchObject({
      fieldManager: "helm",
      forceConflicts: true,
      source: { from: "release-manifest", release: "arc-runners", namespace: "arc-runners", revision: 2 },
      omit: [],
    });
    expect(ars?.remediation?.alternatives.map((a) => a.steps.map((s) => s.action))).toEqual([
      ["flux-suspend", "helm-upgrade", "verify", "flux-resume"],
    ]);
    expect(ars?.remediation?.alternatives[0]?.steps[1]).toMatchObject({ forceConflicts: true });
    expect(ars?.explanations).toContainEqual(
      expect.objectContaining({ code: "upgrade-restores", mechanism: "server-side-apply" }),
    );
  });
});
