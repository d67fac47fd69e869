import { describe, expect, test } from "vitest";
import { ApiServerError } from "../../../src/cluster/api-server-error.js";
import type { ClusterReader } from "../../../src/cluster/cluster-reader.js";
import { ObjectsClusterReader } from "../../../src/cluster/objects-cluster-reader.js";
import { checkReleases } from "../../../src/core/check-releases.js";
import { exitCodeFor } from "../../../src/core/exit-code.js";
import type { KubeObject } from "../../../src/model/kube.js";
import { renderText } from "../../../src/report/text-reporter.js";
import { givenShopRelease } from "../../helpers/given-release.js";

const configMap = (name: string, mode: string): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "shop" },
  data: { mode },
});
const MANIFEST = ["settings", "flags"]
  .map(
    (name) =>
      `# Source: shop/templates/${name}.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: shop\ndata:\n  mode: fast\n`,
  )
  .join("---\n");

/** The cluster holds `live`; reading ConfigMap `flags` fails as a 503 still there after the retries would. */
function readerFailingOn(live: KubeObject[]): ClusterReader {
  const objects = new ObjectsClusterReader(live);
  return {
    resolve: (apiVersion, kind) => objects.resolve(apiVersion, kind),
    list: (scope, options) => objects.list(scope, options),
    listTypes: (apiVersion, kind) => objects.listTypes(apiVersion, kind),
    get: async (ref) => {
      if (ref.name === "flags")
        throw new ApiServerError(`answered GET …/configmaps/flags with HTTP 503 (tried 5 times)`);
      return objects.get(ref);
    },
  };
}

async function check(live: KubeObject[]) {
  return checkReleases(givenShopRelease(MANIFEST), { reader: readerFailingOn(live), now: () => new Date(0) });
}

describe("a release with an object that could not be read is Incomplete, never InSync", () => {
  test("the other object in sync: Incomplete, exit 1, no ✓ in the text", async () => {
    const report = await check([configMap("settings", "fast"), configMap("flags", "fast")]);
    const release = report.releases[0];
    expect(release?.resources.map((r) => r.status)).toEqual(["InSync", "Unreadable"]);
    expect(release?.status).toBe("Incomplete");
    expect(exitCodeFor(report, "low")).toBe(1);
    expect(exitCodeFor(report, "critical")).toBe(1);
    const text = renderText(report, { color: false });
    expect(text.split("\n")[0]).toBe(
      "! release shop (ns shop, rev 1, chart shop-1.0.0): Incomplete — 1 of 2 resources unreadable, 0 findings",
    );
    expect(text).not.toContain("✓");
  });

  test("the other object drifted: still Incomplete (an error beats drift), exit 1", async () => {
    const report = await check([configMap("settings", "slow"), configMap("flags", "fast")]);
    expect(report.releases[0]?.resources.map((r) => r.status)).toEqual(["Drifted", "Unreadable"]);
    expect(report.releases[0]?.status).toBe("Incomplete");
    expect(exitCodeFor(report, "low")).toBe(1);
  });
});
