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
    expect(ars?.selfHealsOnUpgrade).toBe(false);
    expect(ars?.remediation?.strategy).toBe("recreate");
  });

  it("Helm 4 (server-side apply): heals on upgrade; an in-place patch is proposed, not a delete", async () => {
    const ars = await arsOf(appliedServerSide(live));
    expect(ars?.findings.map((f) => f.code)).toEqual([
      "volume-mount-broken",
      "field-missing",
      "list-missing",
      "list-missing",
    ]);
    expect(ars?.selfHealsOnUpgrade).toBe(true);
    expect(ars?.remediation?.strategy).toBe("patch");
    expect(ars?.remediation?.reason).toEqual({ code: "server-side-apply-patch" });
    expect(ars?.remediation?.steps.map((s) => s.action)).toEqual([
      "flux-suspend",
      "json-patch",
      "verify",
      "flux-resume",
    ]);
    expect(ars?.explanations).toContainEqual(
      expect.objectContaining({ code: "upgrade-restores", mechanism: "server-side-apply" }),
    );
  });
});
