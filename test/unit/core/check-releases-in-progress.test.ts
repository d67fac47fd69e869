import { describe, expect, it } from "vitest";
import type { ClusterReader, GetResult } from "../../../src/cluster/cluster-reader.js";
import { ObjectsClusterReader } from "../../../src/cluster/objects-cluster-reader.js";
import { checkReleases } from "../../../src/core/check-releases.js";
import type { ObjectRef } from "../../../src/model/kube.js";
import type { ReleaseData } from "../../../src/model/release.js";

const manifest = (name: string) => `# Source: shop/templates/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: shop
data:
  mode: fast
`;

/** A reader whose GETs wait until the test lets them go. */
function gatedReader(objects: ObjectsClusterReader) {
  const waiting: (() => void)[] = [];
  const reader: ClusterReader = {
    resolve: (apiVersion, kind) => objects.resolve(apiVersion, kind),
    list: (scope, options) => objects.list(scope, options),
    listTypes: (apiVersion, kind) => objects.listTypes(apiVersion, kind),
    get: (ref: ObjectRef): Promise<GetResult> => {
      return new Promise((resolve) => waiting.push(() => resolve(objects.get(ref))));
    },
  };
  return { reader, releaseOne: () => waiting.shift()?.() };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe("checkReleases starts releases a few at a time", () => {
  it("with one request slot, at most two releases are being checked at once, and all are checked", async () => {
    const names = Array.from({ length: 8 }, (_, i) => `cm-${i}`);
    // A release being checked reads its manifest first: the getter records when each one starts.
    const started: string[] = [];
    const releases: ReleaseData[] = names.map((name) => ({
      name,
      namespace: "shop",
      revision: 1,
      chartName: "shop",
      chartVersion: "1.0.0",
      get manifest() {
        started.push(name);
        return manifest(name);
      },
      origin: `release shop/${name}`,
    }));
    const live = new ObjectsClusterReader(
      names.map((name) => ({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name, namespace: "shop" },
        data: { mode: "fast" },
      })),
    );
    const gate = gatedReader(live);
    const report = checkReleases({ kind: "given", releases }, { reader: gate.reader, concurrency: 1 });
    await settle();
    expect(started).toEqual(["cm-0", "cm-1"]);
    gate.releaseOne();
    await settle();
    // The first release is done, so the third has started.
    expect(started).toEqual(["cm-0", "cm-1", "cm-2"]);
    for (let i = 0; i < 20; i++) {
      gate.releaseOne();
      await settle();
    }
    const done = await report;
    expect(started).toEqual(names);
    expect(done.releases.map((r) => r.status)).toEqual(names.map(() => "InSync"));
  });
});
