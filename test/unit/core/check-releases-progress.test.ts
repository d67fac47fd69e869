import { describe, expect, it } from "vitest";
import { ObjectsClusterReader } from "../../../src/cluster/objects-cluster-reader.js";
import { checkReleases } from "../../../src/core/check-releases.js";
import type { ReleaseData, ReleaseSource } from "../../../src/model/release.js";

const MANIFEST = `# Source: shop/templates/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  mode: fast
`;
const LIVE = new ObjectsClusterReader([
  {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "settings", namespace: "shop" },
    data: { mode: "fast" },
  },
]);

const release = (name: string, manifest = MANIFEST): ReleaseData => ({
  name,
  namespace: "shop",
  revision: 1,
  chartName: "shop",
  chartVersion: "1.0.0",
  manifest,
  origin: `release shop/${name}`,
});

describe("checkReleases reports its progress through onProgress", () => {
  it("listed releases: the total once listed, then one call per finished release, an Error one included", async () => {
    const calls: [number, number][] = [];
    const source: ReleaseSource = {
      list: async () =>
        ["a", "broken", "c"].map((name) => ({
          name,
          namespace: "shop",
          revision: 1,
          chartName: "shop",
          chartVersion: "1.0.0",
          status: "deployed",
        })),
      get: async (name) => (name === "broken" ? release(name, "kind: [") : release(name)),
    };
    const report = await checkReleases(
      { kind: "listed", source, namespace: "shop" },
      { reader: LIVE, onProgress: (done, total) => calls.push([done, total]) },
    );
    expect(report.releases.map((r) => [r.name, r.status])).toEqual([
      ["a", "InSync"],
      ["broken", "Error"],
      ["c", "InSync"],
    ]);
    expect(calls).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });

  it("no release selected: only 0 of 0", async () => {
    const calls: [number, number][] = [];
    await checkReleases(
      { kind: "given", releases: [] },
      { reader: LIVE, onProgress: (done, total) => calls.push([done, total]) },
    );
    expect(calls).toEqual([[0, 0]]);
  });

  it("without onProgress the report is the same", async () => {
    const now = () => new Date("2026-01-01T00:00:00.000Z");
    const selection = { kind: "given" as const, releases: [release("a"), release("b")] };
    const quiet = await checkReleases(selection, { reader: LIVE, now });
    const told = await checkReleases(selection, { reader: LIVE, now, onProgress: () => {} });
    expect(told).toEqual(quiet);
  });
});
