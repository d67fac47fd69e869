import type { ReleaseSelection } from "../../src/core/check-releases.js";

/** One release "shop" (namespace shop, revision 1, chart shop-1.0.0) whose manifest is `manifest`, given whole. */
export function givenShopRelease(manifest: string): ReleaseSelection {
  return {
    kind: "given",
    releases: [
      {
        name: "shop",
        namespace: "shop",
        revision: 1,
        chartName: "shop",
        chartVersion: "1.0.0",
        manifest,
        origin: "release shop",
      },
    ],
  };
}
