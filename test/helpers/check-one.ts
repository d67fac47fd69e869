import { stringify } from "yaml";
import { ObjectsClusterReader } from "../../src/cluster/objects-cluster-reader.js";
import { checkReleases } from "../../src/core/check-releases.js";
import type { KubeObject } from "../../src/model/kube.js";
import type { DriftReport, ResourceReport } from "../../src/model/report.js";
import type { NoiseRules } from "../../src/noise/finding-filter.js";

export interface CheckOneOptions {
  /** Ignore rules, ignored managers and severity overrides, as a config file gives them. */
  noise?: NoiseRules;
  /** More objects the release renders (reported after `desired`). */
  alsoRendered?: KubeObject[];
  /** More objects the cluster holds. */
  alsoLive?: KubeObject[];
}

/**
 * The whole check of one rendered object against one live object, as the CLI runs it in cluster mode: a
 * release "demo" (revision 1) whose manifest holds `desired` (and `alsoRendered`), and a cluster holding
 * `live` (and `alsoLive`). `resource` is the report of `desired`.
 */
export async function checkOne(
  desired: KubeObject,
  live: KubeObject,
  { noise, alsoRendered = [], alsoLive = [] }: CheckOneOptions = {},
): Promise<{ report: DriftReport; resource: ResourceReport }> {
  const report = await checkReleases(
    {
      kind: "given",
      releases: [
        {
          name: "demo",
          namespace: live.metadata.namespace ?? "default",
          revision: 1,
          chartName: "demo",
          chartVersion: "1.0.0",
          manifest: [desired, ...alsoRendered]
            .map(
              (object) => `# Source: demo/templates/${object.kind.toLowerCase()}.yaml\n${stringify(object)}`,
            )
            .join("---\n"),
          origin: "test manifest",
        },
      ],
    },
    { reader: new ObjectsClusterReader([live, ...alsoLive]), now: () => new Date(0), noise },
  );
  const resource = report.releases[0]?.resources[0];
  if (!resource) throw new Error("no resource reported");
  return { report, resource };
}
