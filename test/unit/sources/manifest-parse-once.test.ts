import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, test, vi } from "vitest";
import { ObjectsClusterReader } from "../../../src/cluster/objects-cluster-reader.js";
import { checkReleases } from "../../../src/core/check-releases.js";
import { offlineRelease } from "../../../src/core/offline-release.js";
import { InputError } from "../../../src/errors.js";
import * as kubeYaml from "../../../src/sources/kube-yaml.js";
import { parseLiveObjects } from "../../../src/sources/live-objects.js";
import { parseManifest, requireRenderedObjects } from "../../../src/sources/manifest-documents.js";
import { repoPath } from "../../helpers/repo-path.js";

// The real parser, counted: how many times a manifest is parsed is what these tests are about.
vi.mock("../../../src/sources/kube-yaml.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../../src/sources/kube-yaml.js")>();
  return { ...original, parseYamlStream: vi.fn(original.parseYamlStream) };
});
const parses = vi.mocked(kubeYaml.parseYamlStream);

const MANIFEST = readFileSync(repoPath("fixtures/incident/manifest.yaml"), "utf8");
const LIVE_TEXT = readFileSync(repoPath("fixtures/incident/live.yaml"), "utf8");

describe("an offline check parses its manifest once", () => {
  beforeEach(() => {
    parses.mockClear();
  });

  test("requireRenderedObjects returns the documents parseManifest gives", () => {
    const documents = requireRenderedObjects(MANIFEST, "manifest.yaml");
    expect(documents).toEqual(parseManifest(MANIFEST, "manifest.yaml"));
    expect(documents.length).toBeGreaterThan(0);
  });

  test("a release carrying its documents is checked without parsing the manifest again, with the same report", async () => {
    const live = parseLiveObjects(LIVE_TEXT, "live.yaml");
    parses.mockClear();
    const documents = requireRenderedObjects(MANIFEST, "manifest.yaml");
    const carried = offlineRelease({
      manifest: MANIFEST,
      origin: "manifest.yaml",
      documents,
      live,
      release: null,
      namespace: null,
    });
    const deps = { reader: new ObjectsClusterReader(live), now: () => new Date("2026-11-30T00:00:00Z") };
    const once = await checkReleases({ kind: "given", releases: [carried] }, deps);
    expect(parses).toHaveBeenCalledTimes(1);
    const plain = offlineRelease({
      manifest: MANIFEST,
      origin: "manifest.yaml",
      live,
      release: null,
      namespace: null,
    });
    const twice = await checkReleases({ kind: "given", releases: [plain] }, deps);
    expect(parses).toHaveBeenCalledTimes(2);
    expect(once).toEqual(twice);
    expect(once.summary.findings).toBe(4);
  });

  test("a manifest with no objects is refused, naming the file", () => {
    expect(() => requireRenderedObjects("---\n# Source: app/templates/none.yaml\n", "m.yaml")).toThrow(
      new InputError(
        "m.yaml",
        "no rendered objects (an empty manifest; with --manifest -, did the command before the pipe fail?)",
      ),
    );
  });
});
